"""Purging the front cache (Varnish, a CDN) through Wagtail's ``frontend_cache``.

``FRONTEND_CACHE_PURGE_URL`` switches it on (``config/settings/base.py``). The worker calls
``purge`` (``core.refresh.purge_front_cache``, a coalesced task after the change commits) with
the scopes and pages the changes since its last run invalidated, and every URL goes out in one
batch. A scope's URLs are the ones declared with it (``core.dependencies``), a page's its own
``get_cached_paths``: no path is written here. ``wagtail.contrib.frontend_cache`` is
deliberately not an installed app: its own signal handlers would purge only the published
page, a second time, while the dispatcher (``core.events``) knows every page a change touches.

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
from wagtail.contrib.frontend_cache.tasks import purge_urls_from_cache_task
from wagtail.contrib.frontend_cache.utils import PurgeBatch

from . import dependencies
from .internals import path_on_site

PURGE_ALL_PATH = "/.well-known/purge-all"
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
    if dependencies.covers_everything(scopes):
        return [base + PURGE_ALL_PATH]
    batch = PurgeBatch()
    # Query strings included: the VCL bans every variant of a path.
    batch.add_urls(base + path for path in dependencies.paths(sorted(scopes)))
    roots = [site.root_page.url_path if site else "/"]
    paths = (path_on_site(url_path, roots) for url_path in url_paths)
    batch.add_urls(base + path for path in paths if path is not None)
    batch.add_pages(Page.objects.filter(pk__in=page_ids).specific(defer=True))
    return sorted(batch.urls)


def purge(scopes, page_ids, url_paths=()):
    """Purge now (the worker runs this): Wagtail's purge task called in this process, not
    enqueued again. The URLs purged."""
    if not is_enabled():
        return []
    urls = urls_to_purge(scopes, page_ids, url_paths)
    if urls:
        purge_urls_from_cache_task.call(urls)
    return urls
