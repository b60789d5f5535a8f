"""The image renditions the templates use, named once.

The importer makes these ahead of time so visitors never wait for an image to be resized,
and querysets prefetch them so a page's images cost a fixed number of queries.
"""

from django.db.models import Prefetch

from wagtail.images import get_image_model

CARD_RENDITION = "fill-640x360|format-webp"
HERO_RENDITION = "fill-1200x630|format-webp"
ALL_RENDITIONS = (CARD_RENDITION, HERO_RENDITION)


def prefetch_renditions(lookup, *specs):
    """Prefetch the renditions for ``specs`` of the image at ``lookup``, when the image itself
    comes with ``select_related``: one query for the renditions of every image in the list."""
    renditions = get_image_model().get_rendition_model().objects.filter(filter_spec__in=specs)
    return Prefetch(f"{lookup}__renditions", queryset=renditions)


def rendition(image, spec):
    return image.get_rendition(spec) if image is not None else None
