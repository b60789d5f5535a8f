"""Where the site's sections are, for the header, footer, home and 404 pages.

The addresses are Wagtail's own (each index page's ``url``), not hard-coded in templates and
not queried per request: they are kept in the shared cache with the token of the page cache's
``site`` scope they were looked up under, and looked up again once that token changed. The
dispatcher (``core.events``) gives ``site`` a new token, at once and again after the change
commits, whenever the home page or an index is published, moved, renamed or unpublished, or a
view restriction or a Site changes: the navigation follows without the base knowing of it.
"""

from django.conf import settings
from django.core.cache import cache
from django.utils.functional import SimpleLazyObject

from core import page_cache
from core.internals import public_pages
from glossary.models import GlossaryIndexPage
from pulse.models import PulseIndexPage

from .models import HomePage

KEY = "navigation:sections"


def section_urls():
    """``{"home": ..., "glossary": ..., "pulse": ...}``; a section not published is ``None``."""
    token = page_cache.current_tokens([page_cache.SITE])[page_cache.SITE]
    stored = cache.get(KEY)
    if stored is not None and stored[0] == token:
        return stored[1]
    urls = _look_up()
    cache.set(KEY, (token, urls), timeout=None)
    return urls


def _look_up():
    urls = {}
    for name, model in (
        ("home", HomePage),
        ("glossary", GlossaryIndexPage),
        ("pulse", PulseIndexPage),
    ):
        page = public_pages(model.objects.live()).order_by("path").first()
        urls[name] = page.url if page is not None else None
    return urls


SECTIONS = [("glossary", "Glossary"), ("pulse", "Pulse")]


def site(request):
    """Context processor: the site's name (one place: ``WAGTAIL_SITE_NAME``) and, only when a
    template uses them, its sections' addresses and the main navigation."""

    def sections():
        urls = section_urls()
        return [
            {"label": label, "url": urls[name], "current": request.path.startswith(urls[name])}
            for name, label in SECTIONS
            if urls[name]
        ]

    return {
        "site_name": settings.WAGTAIL_SITE_NAME,
        "navigation": SimpleLazyObject(section_urls),
        "main_sections": SimpleLazyObject(sections),
    }


def listing_pages():
    """The ids of the pages that list the sections' pages: the home page and the section
    indexes (depth 2 and 3 of the tree). A change of a term or an article shows there."""
    from wagtail.models import Page

    return set(Page.objects.filter(depth__in=(2, 3)).values_list("pk", flat=True))
