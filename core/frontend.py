"""Purging the front cache (Varnish, a CDN) through Wagtail's ``frontend_cache``.

``FRONTEND_CACHE_PURGE_URL`` switches it on (``config/settings/base.py``). The page cache calls
``purge`` after a change commits, with the same scopes and pages it invalidated itself, and
every URL goes out in one ``PurgeBatch``. ``wagtail.contrib.frontend_cache`` is deliberately
not an installed app: its own signal handlers would purge only the published page, a second
time, while ``glossary.effects`` already knows every page a change touches.

A purge of one URL removes every query-string variant of it (``deploy/varnish.vcl`` bans by
path); a change that touches every page (``site``, ``terms``) purges ``PURGE_ALL_PATH``, which
the VCL turns into a ban of everything.

Only the site may purge: every PURGE carries ``FRONTEND_CACHE_PURGE_SECRET`` in the
``X-Purge-Secret`` header, and the VCL refuses a purge without the value it reads from its own
environment (``VARNISH_PURGE_SECRET``), or from anyone outside its ``purgers`` ACL.
"""

import logging
from urllib.error import HTTPError, URLError
from urllib.parse import urlsplit, urlunsplit
from urllib.request import urlopen

from django.conf import settings

from wagtail import __version__ as wagtail_version
from wagtail.contrib.frontend_cache.backends import HTTPBackend
from wagtail.contrib.frontend_cache.backends.http import PurgeRequest
from wagtail.contrib.frontend_cache.utils import PurgeBatch

from . import page_cache

PURGE_ALL_PATH = "/.well-known/purge-all"
# Paths whose responses a shared scope covers (query strings included, see the VCL).
SCOPE_PATHS = {
    page_cache.SITEMAP: [
        "/sitemap.xml",
        "/sitemap-glossary.xml",
        "/sitemap-pulse.xml",
        "/sitemap-pages.xml",
    ],
    page_cache.FEEDS: ["/pulse/feed/", "/pulse/feed/atom/"],
    page_cache.SEARCH: ["/search/", "/search/suggest/"],
    page_cache.DOWNLOADS: [
        "/glossary/download/glossary.csv",
        "/glossary/download/glossary.ttl",
        "/glossary/download/glossary.jsonld",
    ],
}
EVERYTHING = {page_cache.SITE, page_cache.TERMS}
PURGE_SECRET_HEADER = "X-Purge-Secret"  # noqa: S105 - a header's name, not a password

logger = logging.getLogger("wagtail.frontendcache")


class SecretPurgeHTTPBackend(HTTPBackend):
    """Wagtail's ``HTTPBackend`` with the shared secret in every PURGE.

    Wagtail's backend sends only ``Host`` and ``User-Agent`` and has no option for another
    header, so its ``purge`` is repeated here with one more (Wagtail 8.0's, otherwise the same).
    """

    def __init__(self, params):
        self.secret = params.pop("SECRET", "")
        super().__init__(params)

    def purge(self, url):
        parts = urlsplit(url)
        host = parts.hostname + (f":{parts.port}" if parts.port else "")
        request = PurgeRequest(
            url=urlunsplit(
                [self.cache_scheme, self.cache_netloc, parts.path, parts.query, parts.fragment]
            ),
            headers={
                "Host": host,
                "User-Agent": "Wagtail-frontendcache/" + wagtail_version,
                PURGE_SECRET_HEADER: self.secret,
            },
        )
        try:
            urlopen(request, timeout=10)  # noqa: S310 - the configured FRONTEND_CACHE_PURGE_URL
        except HTTPError as error:
            logger.error(
                "Couldn't purge '%s' from HTTP cache. HTTPError: %d %s",
                url,
                error.code,
                error.reason,
            )
        except URLError as error:
            logger.error("Couldn't purge '%s' from HTTP cache. URLError: %s", url, error.reason)


def is_enabled():
    return bool(getattr(settings, "WAGTAILFRONTENDCACHE", None))


def urls_to_purge(scopes, page_ids, url_paths=()):
    """The URLs that make the front cache forget ``scopes``, ``page_ids`` and the pages' old
    ``url_paths``."""
    from wagtail.models import Page, Site

    site = Site.objects.filter(is_default_site=True).select_related("root_page").first()
    base = site.root_url if site else "http://localhost"
    if EVERYTHING & set(scopes):
        return [base + PURGE_ALL_PATH]
    batch = PurgeBatch()
    batch.add_urls(base + path for scope in scopes for path in SCOPE_PATHS.get(scope, []))
    root = site.root_page.url_path if site else "/"
    batch.add_urls(
        base + "/" + url_path[len(root) :] for url_path in url_paths if url_path.startswith(root)
    )
    batch.add_pages(Page.objects.filter(pk__in=page_ids).specific(defer=True))
    return sorted(batch.urls)


def purge(scopes, page_ids, url_paths=()):
    if not is_enabled():
        return
    PurgeBatch(urls_to_purge(scopes, page_ids, url_paths)).purge()
