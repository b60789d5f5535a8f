from django import template
from django.utils.safestring import mark_safe

from glossary.linked_html import LinkedBody, stored_linked_body

register = template.Library()


@register.simple_tag(takes_context=True)
def linked_body(context, page):
    """The page's body with each glossary term's first mention linked (``.html``), and the
    terms it mentions (``.terms``). Use as ``{% linked_body page as body %}``.

    The mentions are the worker's, stored with the page (``glossary.linking``): no web
    process builds the glossary's vocabulary."""
    rendered = page.body.render_as_block(context.flatten())
    if getattr(page, "no_linked_terms", False):  # the editor's switch: no links, at once
        body = LinkedBody(str(rendered), [])
    else:
        body = stored_linked_body(rendered, page.pk)
    # The blocks' output is already escaped HTML; linking only adds our own markup.
    body.html = mark_safe(body.html)  # noqa: S308
    return body
