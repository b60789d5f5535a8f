"""Where the site's sections are, for the header, footer, home and 404 pages.

The addresses are Wagtail's own (each index page's ``url``), not hard-coded in templates and
not queried per request: they are kept in the shared cache until ``forget`` (called by
the dispatcher, ``core.events``, when the home page or an index is published, moved, renamed or
unpublished, or a view restriction changes).
"""

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.utils.functional import SimpleLazyObject

KEY = "navigation:sections"


def section_urls():
    """``{"home": ..., "glossary": ..., "pulse": ...}``; a section not published is ``None``."""
    urls = cache.get(KEY)
    if urls is None:
        urls = _look_up()
        cache.set(KEY, urls, timeout=None)
    return urls


def forget():
    """The sections may have moved: look them up again (now, and after the change commits,
    so a request that read them mid-change does not keep the old ones)."""
    cache.delete(KEY)
    transaction.on_commit(lambda: cache.delete(KEY))


def _look_up():
    from core.internals import public_pages
    from core.models import HomePage
    from glossary.models import GlossaryIndexPage
    from pulse.models import PulseIndexPage

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

    # Unordered: a set, read through the depth index (glossary migration 0021), not the table.
    return set(Page.objects.filter(depth__in=(2, 3)).order_by().values_list("pk", flat=True))
