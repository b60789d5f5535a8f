"""Wagtail's and Django's signals, handed to ``glossary.effects`` (which decides what follows).

Pages: publish and unpublish (Wagtail sends these after the page's child relations, such as
pinned terms, are saved), a page created live without a publish (``add_child`` of a live
page), deletes and moves. Drafts change nothing visitors see.

Snippets and images: any save, and a delete before it happens (while we can still see which
terms showed them).
"""

from django.db.models.signals import post_delete, post_save, pre_delete
from django.dispatch import receiver

from wagtail.images import get_image_model
from wagtail.models import Page, PageViewRestriction
from wagtail.signals import (
    page_published,
    page_slug_changed,
    page_unpublished,
    post_page_move,
)

from . import effects


def _page_changed(page):
    from pulse.models import PulseArticlePage

    from .models import GlossaryTermPage

    if isinstance(page, GlossaryTermPage):
        effects.term_changed(page)
    elif isinstance(page, PulseArticlePage):
        effects.article_changed(page)
    else:
        # The home page or an index: shown in every page's breadcrumb, navigation or lists.
        effects.site_changed()


@receiver(page_published)
@receiver(page_unpublished)
def page_published_or_unpublished(sender, instance, **kwargs):
    _page_changed(instance)


@receiver(post_save)
def page_created_live(sender, instance, created, **kwargs):
    if created and isinstance(instance, Page) and type(instance) is not Page and instance.live:
        _page_changed(instance)


@receiver(post_delete)
def page_deleted(sender, instance, **kwargs):
    # Deleting a page sends a signal for its specific row and one for its base row; one is enough.
    if isinstance(instance, Page) and type(instance) is not Page:
        _page_changed(instance)


@receiver(post_page_move)
def page_was_moved(sender, instance, url_path_before, **kwargs):
    _page_changed(instance)
    effects.address_left(url_path_before)


@receiver(page_slug_changed)
def page_was_renamed(sender, instance, instance_before, **kwargs):
    effects.address_left(instance_before.url_path)


@receiver(post_save, sender="glossary.RelatedArticleCard")
@receiver(pre_delete, sender="glossary.RelatedArticleCard")
def card_saved(sender, instance, **kwargs):
    effects.card_changed(instance)


@receiver(post_save, sender="glossary.RelatedArticlesSection")
@receiver(pre_delete, sender="glossary.RelatedArticlesSection")
def section_saved(sender, instance, **kwargs):
    effects.section_changed(instance)


@receiver(post_save, sender=get_image_model())
def image_saved(sender, instance, **kwargs):
    effects.image_changed(instance)


@receiver(pre_delete, sender=get_image_model())
def image_deleted(sender, instance, **kwargs):
    effects.image_changed(instance, deleted=True)


@receiver(post_save, sender=PageViewRestriction)
@receiver(post_delete, sender=PageViewRestriction)
def restriction_changed(sender, instance, **kwargs):
    # Who may see a page changed: the public lists, related terms and links follow.
    effects.site_changed()
