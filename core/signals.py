"""Wagtail's and Django's signals, handed to the dispatcher (``core.events``) as content events.

Pages: publish and unpublish (Wagtail sends these after the page's child relations, such as
pinned terms, are saved), a page created live without a publish (``add_child`` of a live
page), deletes, moves and new slugs. Drafts change nothing visitors see.

Snippets and images: any save, and a delete before it happens (while the handlers can still
see what showed them). View restrictions: any save or delete.

Sites: a save that changes the hostname, port, root page or default flag, and any delete, is
``SITE_CHANGED``. The address is in every absolute URL the site writes (canonical links, the
sitemap, feeds, the API, the downloads' IRIs), so every cached response and the downloads
(rebuilt by the worker) follow it; no content changed, so nothing is recomputed. A save that
keeps the address (a new site name) changes nothing.

Connected by ``CoreConfig.ready``; which app's handlers act on which model is theirs to say.
"""

from django.db.models.signals import post_delete, post_save, pre_delete, pre_save

from wagtail.images import get_image_model
from wagtail.models import Page, PageViewRestriction, Site
from wagtail.signals import page_published, page_slug_changed, page_unpublished, post_page_move

from . import events


def _is_content_page(instance):
    # Deleting a page sends a signal for its specific row and one for its base row; one is
    # enough. A plain ``Page`` is the tree's root.
    return isinstance(instance, Page) and type(instance) is not Page


def page_published_or_unpublished(sender, instance, **kwargs):
    events.send(events.PAGE_CHANGED, page=instance)


def page_created_live(sender, instance, created, **kwargs):
    if created and _is_content_page(instance) and instance.live:
        events.send(events.PAGE_CHANGED, page=instance)


def page_deleted(sender, instance, **kwargs):
    if _is_content_page(instance):
        events.send(events.PAGE_CHANGED, page=instance)


def page_was_moved(sender, instance, url_path_before, **kwargs):
    with events.batch():
        events.send(events.PAGE_CHANGED, page=instance)
        events.send(events.PAGE_MOVED, page=instance, url_path_before=url_path_before)


def page_was_renamed(sender, instance, instance_before, **kwargs):
    events.send(events.PAGE_RENAMED, page=instance, url_path_before=instance_before.url_path)


_snippet_models = None


def _is_snippet(model):
    global _snippet_models  # noqa: PLW0603 - read once, after every app registered its snippets
    if _snippet_models is None:
        from wagtail.snippets.models import get_snippet_models

        _snippet_models = frozenset(get_snippet_models())
    return model in _snippet_models


def snippet_saved(sender, instance, **kwargs):
    if not issubclass(sender, Page) and _is_snippet(sender):
        events.send(events.SNIPPET_CHANGED, instance=instance, deleted=False)


def snippet_deleted(sender, instance, **kwargs):
    if not issubclass(sender, Page) and _is_snippet(sender):
        events.send(events.SNIPPET_CHANGED, instance=instance, deleted=True)


def image_saved(sender, instance, **kwargs):
    events.send(events.IMAGE_CHANGED, image=instance, deleted=False)


def image_deleted(sender, instance, **kwargs):
    events.send(events.IMAGE_CHANGED, image=instance, deleted=True)


def restriction_changed(sender, instance, **kwargs):
    events.send(events.RESTRICTION_CHANGED, restriction=instance)


ADDRESS_FIELDS = ("hostname", "port", "root_page_id", "is_default_site")


def _address(site):
    return tuple(getattr(site, name) for name in ADDRESS_FIELDS)


def site_about_to_save(sender, instance, **kwargs):
    """Remember the Site's address as stored, so a save that keeps it (a new name) is free."""
    stored = Site.objects.filter(pk=instance.pk).values_list(*ADDRESS_FIELDS).first()
    instance._address_before = stored


def site_saved(sender, instance, **kwargs):
    if getattr(instance, "_address_before", None) != _address(instance):
        events.send(events.SITE_CHANGED, site=instance)


def site_deleted(sender, instance, **kwargs):
    events.send(events.SITE_CHANGED, site=instance)


def connect():
    page_published.connect(page_published_or_unpublished, dispatch_uid="events_published")
    page_unpublished.connect(page_published_or_unpublished, dispatch_uid="events_unpublished")
    post_save.connect(page_created_live, dispatch_uid="events_page_created_live")
    post_delete.connect(page_deleted, dispatch_uid="events_page_deleted")
    post_page_move.connect(page_was_moved, dispatch_uid="events_page_moved")
    page_slug_changed.connect(page_was_renamed, dispatch_uid="events_page_renamed")
    post_save.connect(snippet_saved, dispatch_uid="events_snippet_saved")
    pre_delete.connect(snippet_deleted, dispatch_uid="events_snippet_deleted")
    image = get_image_model()
    post_save.connect(image_saved, sender=image, dispatch_uid="events_image_saved")
    pre_delete.connect(image_deleted, sender=image, dispatch_uid="events_image_deleted")
    for signal in (post_save, post_delete):
        signal.connect(
            restriction_changed,
            sender=PageViewRestriction,
            dispatch_uid=f"events_restriction_{signal is post_save}",
        )
    pre_save.connect(site_about_to_save, sender=Site, dispatch_uid="events_site_saving")
    post_save.connect(site_saved, sender=Site, dispatch_uid="events_site_saved")
    post_delete.connect(site_deleted, sender=Site, dispatch_uid="events_site_deleted")
    # Making an image's renditions is the core's own answer to an image change.
    events.connect(events.IMAGE_CHANGED, _make_renditions)


def _make_renditions(changes, image, deleted):
    """An image was uploaded, replaced or edited: its renditions are made now, never on a
    visitor's request."""
    from .images import ALL_RENDITIONS

    if not deleted:
        image.get_renditions(*ALL_RENDITIONS)
