from django import template

from core.reader_links import links

register = template.Library()


@register.inclusion_tag("includes/reader_links.html")
def reader_links(place, **arguments):
    """What the installed apps link from ``place`` (``core.reader_links``)."""
    return {"links": links(place, **arguments)}
