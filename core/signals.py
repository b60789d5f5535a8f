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

Each receiver names its senders: the concrete page types (``get_page_models``), the snippet
models (``get_snippet_models``), the image model, ``PageViewRestriction`` and ``Site``, each
with its own ``dispatch_uid``; saving any other model (a user, an import run) runs none of
them. ``CoreConfig.ready`` connects the pages' and the rest (every model class exists before
any ``ready``); the snippets are connected by ``SnippetsConfig.ready`` (core/apps.py), which
replaces Wagtail's snippets app in INSTALLED_APPS: Wagtail registers the snippets in that
app's ``ready`` (the ``register_snippet`` calls of every wagtail_hooks.py), after the core's,
so only from there is the list complete. Which app's handlers act on which model is theirs
to say.
"""

from django.db.models.signals import post_delete, post_save, pre_delete, pre_save

from wagtail.images import get_image_model
from wagtail.models import Page, PageViewRestriction, Site, get_page_models
from wagtail.signals import page_published, page_slug_changed, page_unpublished, post_page_move

from . import events


def page_published_or_unpublished(sender, instance, **kwargs):
    events.send(events.PAGE_CHANGED, page=instance)


def page_created_live(sender, instance, created, **kwargs):
    if created and instance.live:
        events.send(events.PAGE_CHANGED, page=instance)


def page_deleted(sender, instance, **kwargs):
    events.send(events.PAGE_CHANGED, page=instance)


def page_was_moved(sender, instance, url_path_before, **kwargs):
    with events.batch():
        events.send(events.PAGE_CHANGED, page=instance)
        events.send(events.PAGE_MOVED, page=instance, url_path_before=url_path_before)


def page_was_renamed(sender, instance, instance_before, **kwargs):
    events.send(events.PAGE_RENAMED, page=instance, url_path_before=instance_before.url_path)


def snippet_saved(sender, instance, **kwargs):
    events.send(events.SNIPPET_CHANGED, instance=instance, deleted=False)


def snippet_deleted(sender, instance, **kwargs):
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


def content_page_models():
    """The concrete page types; a plain ``Page`` is the tree's root (and the base row of
    every page, whose delete would send a second event)."""
    return [model for model in get_page_models() if model is not Page]


# (signal, receiver, name) for each sender: Wagtail's page signals name the page's specific
# class as their sender, as Django's model signals name the saved model.
PAGE_RECEIVERS = (
    (page_published, page_published_or_unpublished, "published"),
    (page_unpublished, page_published_or_unpublished, "unpublished"),
    (post_save, page_created_live, "created_live"),
    (post_delete, page_deleted, "deleted"),
    (post_page_move, page_was_moved, "moved"),
    (page_slug_changed, page_was_renamed, "renamed"),
)
SNIPPET_RECEIVERS = (
    (post_save, snippet_saved, "saved"),
    (pre_delete, snippet_deleted, "deleting"),
)


def _connect_each(receivers, models):
    for model in models:
        for signal, receiver, name in receivers:
            uid = f"events_{model._meta.label_lower}_{name}"
            signal.connect(receiver, sender=model, dispatch_uid=uid)


def connect():
    _connect_each(PAGE_RECEIVERS, content_page_models())
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


def connect_snippets():
    """Snippet saves and deletes as content events: called once Wagtail has registered every
    snippet (``SnippetsConfig.ready``)."""
    from wagtail.snippets.models import get_snippet_models

    models = get_snippet_models()
    _connect_each(SNIPPET_RECEIVERS, models)
    CONNECTED_SNIPPETS.update(models)


# The snippet models whose saves are content events; a system check (core.checks) names any
# snippet registered too late to be among them.
CONNECTED_SNIPPETS = set()


def _make_renditions(changes, image, deleted):
    """An image was uploaded, replaced or edited: its renditions are made now, never on a
    visitor's request."""
    from .images import ALL_RENDITIONS

    if not deleted:
        image.get_renditions(*ALL_RENDITIONS)
