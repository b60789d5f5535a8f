from django import template
from django.utils.safestring import mark_safe

from glossary.linking import link_terms

register = template.Library()


@register.simple_tag(takes_context=True)
def linked_body(context, page):
    """The page's body, with each glossary term's first mention linked to it."""
    rendered = page.body.render_as_block(context.flatten())
    # The blocks' output is already escaped HTML; linking only adds our own markup.
    return mark_safe(link_terms(rendered, exclude_page_id=page.pk))  # noqa: S308
