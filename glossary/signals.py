"""Cards waiting for a Pulse article link up as soon as an article with their slug is published."""

from django.dispatch import receiver

from wagtail.signals import page_published


@receiver(page_published)
def link_waiting_cards(sender, instance, **kwargs):
    from pulse.models import PulseArticlePage

    from .models import RelatedArticleCard

    if isinstance(instance, PulseArticlePage):
        RelatedArticleCard.objects.filter(
            target_page__isnull=True, target_slug=instance.slug
        ).update(target_page=instance)
