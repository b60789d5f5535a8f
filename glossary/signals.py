"""Cards link up when their article is published; linked mentions follow the live terms."""

from django.db.models.signals import post_delete
from django.dispatch import receiver

from wagtail.signals import page_published, page_unpublished

from .linking import term_index_changed


@receiver(page_published)
def link_waiting_cards(sender, instance, **kwargs):
    from pulse.models import PulseArticlePage

    from .models import RelatedArticleCard

    if isinstance(instance, PulseArticlePage):
        RelatedArticleCard.objects.filter(
            target_page__isnull=True, target_slug=instance.slug
        ).update(target_page=instance)


@receiver(page_published)
@receiver(page_unpublished)
@receiver(post_delete)
def terms_changed(sender, instance, **kwargs):
    """Linked mentions follow the live terms: rebuild the matcher when one comes or goes."""
    from .models import GlossaryTermPage

    if isinstance(instance, GlossaryTermPage):
        term_index_changed()
