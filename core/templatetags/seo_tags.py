from django import template

from core.seo import breadcrumb_name, breadcrumb_trail, page_seo

register = template.Library()


@register.inclusion_tag("includes/seo_head.html", takes_context=True)
def seo_head(context):
    """Meta description, canonical, Open Graph, Twitter and JSON-LD for the page being shown."""
    page, request = context.get("page"), context.get("request")
    if page is None or request is None:
        return {"seo": None}
    seo = page_seo(page, request)
    # A route of a page (a letter, a page of a list) gives its own address and description.
    if context.get("canonical_url"):
        seo["url"] = context["canonical_url"]
    if context.get("meta_description"):
        seo["description"] = context["meta_description"]
    return {"seo": seo}


@register.simple_tag
def breadcrumb(page):
    """The pages above ``page`` (Home first), without the tree root."""
    return breadcrumb_trail(page)[:-1]


@register.simple_tag(takes_context=True)
def crumb_name(context, item):
    """``item``'s name in the breadcrumb ("Home" for the site's root page)."""
    return breadcrumb_name(item, context["request"])
