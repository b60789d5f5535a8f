"""Render again the pages a change made stale, so visitors meet warm pages (the worker's job).

``core.refresh.warm_pages`` calls ``warm`` with the scopes and pages the changes since its
last run invalidated. The addresses come from the registry: a page's own URL and its
``get_cached_paths`` (the glossary index lists its letter pages there), then the URLs of the
shared scopes declared ``warm`` (the sitemap, the feeds; not search results). A change that
touched everything (``site``) warms the home page, the indexes and their lists, the sitemap
and the feeds. At most ``WARM_MAX_PAGES`` a run, the changed pages first; an address whose
stored response is still current is skipped.

Each address is requested in this process, as an anonymous visitor of the default site would,
through Django's test client (the whole middleware stack, the page cache included: no HTTP
round trip, no second copy of the rendering rules). No library renders a Django site's pages
into its own cache; this is written by hand.
"""

import logging

from django.conf import settings
from django.test import Client

from . import dependencies, page_cache
from .page_roles import listing_page_ids

logger = logging.getLogger(__name__)


def max_pages():
    return getattr(settings, "WARM_MAX_PAGES", 500)


def _default_site():
    from wagtail.models import Site

    return Site.objects.filter(is_default_site=True).select_related("root_page").first()


def page_paths(page_ids, site):
    """The paths of the live, public pages ``page_ids`` on ``site``: every page's own, the
    changed pages before the lists (``lists_pages``), then their further ``get_cached_paths``
    (a letter page, a term's list of mentions), so a run cut short by ``WARM_MAX_PAGES`` has
    warmed the pages that changed first."""
    from wagtail.models import Page

    from .internals import public_pages

    pages = public_pages(Page.objects.live().filter(pk__in=page_ids)).order_by("path")
    pages = sorted(pages.specific(defer=True), key=lambda page: getattr(page, "lists_pages", False))
    own, further = [], []
    for page in pages:
        url = page.get_url(current_site=site)
        if not url or not url.startswith("/"):
            continue  # on another site: not ours to warm
        paths = [url + path.lstrip("/") for path in page.get_cached_paths()]
        own.extend(paths[:1])
        further.extend(paths[1:])
    return own + further


def paths_to_warm(scopes, page_ids, site):
    if dependencies.covers_everything(scopes):
        page_ids = set(page_ids) | listing_page_ids()
        scopes = list(dependencies.declared())
    found = page_paths(page_ids, site)
    found += [path for path in dependencies.paths(sorted(scopes), warm=True) if path not in found]
    return list(dict.fromkeys(found))


def warm(scopes, page_ids):
    """Render the stale pages of ``scopes`` and ``page_ids``; the number rendered."""
    limit = max_pages()
    site = _default_site()
    if site is None or limit <= 0:
        return 0
    secure = site.port == 443
    host = site.hostname if site.port in (80, 443) else f"{site.hostname}:{site.port}"
    scheme = "https" if secure else "http"
    client = Client(HTTP_HOST=host, raise_request_exception=False)
    rendered = 0
    for path in paths_to_warm(scopes, page_ids, site)[:limit]:
        if page_cache.is_current(f"{scheme}://{host}{path}"):
            continue
        response = client.get(path, secure=secure)
        if response.status_code == 200 and response.get("X-Page-Cache") == "miss":
            rendered += 1
        elif response.status_code != 200:
            logger.warning("warming %s: %s", path, response.status_code)
    return rendered
