"""The page cache: anonymous GETs of public pages served from Django's cache, never stale.

How it stays fresh. Every cacheable response depends on a few *scopes*: ``page:<id>`` for a
page's own URLs, plus shared ones (``site`` for everything, ``terms`` for pages whose bodies
link glossary terms, ``sitemap``, ``feeds``, ``search``). Each scope has a *generation token*
in the shared cache. A stored response keeps the tokens it was rendered under; it is served
only while every one of them is still current. ``invalidate()`` gives the scopes that a content
change touched new random tokens (never a counter: a cleared or evicted token can never come
back), so the next request renders afresh. ``glossary.effects`` decides which scopes a change
touches; nothing else calls ``invalidate``.

Tokens are bumped at once and again when the transaction commits: the first keeps this
process right at once (tests, the admin's next request), the second throws away anything
another process cached from the database while the change was not yet committed. The purge
of the front cache (Varnish, a CDN) is sent after commit, batched, through Wagtail's
``frontend_cache``.

The cache must be shared by every process that serves or writes (gunicorn workers, the import
command): Redis when ``REDIS_URL`` is set, otherwise a file-based cache on this host (see
``config/settings/base.py``).

Known limit: the tokens of a page are read after routing, just before it renders; a change
that commits in the instant between the two could leave that one response stored until the
page's next change or ``PAGE_CACHE_TIMEOUT`` (a day).

Never cached: anything but GET, requests with a session cookie (logged-in users, previews,
the admin), responses that set cookies or say private/no-cache (Wagtail's password-protected
pages do), any status but 200, and views that did not declare their scopes.
"""

import hashlib
import logging
import secrets
from functools import wraps

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import DisallowedHost
from django.db import transaction
from django.http import HttpResponse
from django.utils.cache import patch_cache_control

logger = logging.getLogger(__name__)

SITE = "site"
TERMS = "terms"
SITEMAP = "sitemap"
FEEDS = "feeds"
SEARCH = "search"
DOWNLOADS = "downloads"  # the glossary as CSV, SKOS and JSON-LD: every live term
API = "api"  # the read API: any content change may show in a listing

ENTRY_PREFIX = "pagecache:entry:"
TOKEN_PREFIX = "pagecache:token:"  # noqa: S105 - a cache key, not a password
# Headers never stored with a response (a response that sets a cookie is not stored at all).
DROPPED_HEADERS = {"set-cookie", "x-page-cache"}


def page_scope(page_id):
    return f"page:{page_id}"


def scopes_for_page(page):
    """A page's own scope, and the shared ones its type declares (``cache_depends_on``)."""
    return [page_scope(page.pk), *getattr(page, "cache_depends_on", ())]


def browser_max_age():
    return getattr(settings, "PAGE_CACHE_BROWSER_MAX_AGE", 60)


def shared_max_age():
    """How long a shared cache (Varnish, a CDN) may keep a page: long when we purge it on
    change, as short as a browser's otherwise."""
    if getattr(settings, "WAGTAILFRONTENDCACHE", None):
        return getattr(settings, "PAGE_CACHE_SHARED_MAX_AGE", 24 * 60 * 60)
    return browser_max_age()


def entry_timeout():
    return getattr(settings, "PAGE_CACHE_TIMEOUT", 24 * 60 * 60)


# --- generation tokens ------------------------------------------------------------------------


def current_tokens(scopes):
    """{scope: token}, creating a token for a scope that has none (first use, or evicted)."""
    keys = {TOKEN_PREFIX + scope: scope for scope in scopes}
    found = cache.get_many(keys)
    missing = [key for key in keys if key not in found]
    for key in missing:
        cache.add(key, secrets.token_hex(8), timeout=None)
    if missing:
        found.update(cache.get_many(missing))
    return {keys[key]: token for key, token in found.items()}


def _bump(scopes):
    if not scopes:
        return
    cache.set_many({TOKEN_PREFIX + scope: secrets.token_hex(8) for scope in scopes}, timeout=None)


def invalidate(scopes=(), pages=(), url_paths=()):
    """Make every stored response that depends on ``scopes`` or on ``pages`` (Page objects or
    ids) stale, in this cache and in the front cache; ``url_paths`` (pages' old ``url_path``)
    are purged from the front cache too. Called by ``glossary.effects`` only."""
    page_ids = {getattr(page, "pk", page) for page in pages}
    all_scopes = set(scopes) | {page_scope(page_id) for page_id in page_ids}
    if not all_scopes and not url_paths:
        return
    _bump(all_scopes)

    def after_commit():
        _bump(all_scopes)
        from core.frontend import purge

        purge(scopes=set(scopes), page_ids=page_ids, url_paths=list(url_paths))

    transaction.on_commit(after_commit)


# --- declaring what a response depends on -------------------------------------------------------


def declare(request, scopes):
    """Say that the response to ``request`` may be cached under ``scopes``; the tokens are read
    now, before the view renders, so a change committed while it renders makes it stale."""
    scopes = [SITE, *scopes]
    request.page_cache_scopes = scopes
    if is_cacheable_request(request):
        request.page_cache_tokens = current_tokens(scopes)


def cache_publicly(*scopes):
    """Decorator for a view whose anonymous GET responses may be cached under ``scopes``."""

    def decorator(view):
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            declare(request, scopes)
            return view(request, *args, **kwargs)

        return wrapped

    return decorator


# --- the middleware ----------------------------------------------------------------------------


def is_cacheable_request(request):
    return (
        request.method == "GET"
        and settings.SESSION_COOKIE_NAME not in request.COOKIES
        and "HTTP_AUTHORIZATION" not in request.META
    )


def _entry_key(request):
    try:
        host = request.get_host()
    except DisallowedHost:
        return None
    address = f"{request.scheme}://{host}{request.get_full_path()}"
    return ENTRY_PREFIX + hashlib.sha256(address.encode()).hexdigest()


def _storable(request, response):
    if response.status_code != 200 or response.streaming or response.cookies:
        return False
    if not getattr(request, "page_cache_tokens", None):
        return False
    control = response.get("Cache-Control", "")
    return not any(word in control for word in ("private", "no-cache", "no-store"))


class PageCacheMiddleware:
    """Serve stored responses to anonymous GETs; store what views declared cacheable."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not is_cacheable_request(request):
            response = self.get_response(request)
            if getattr(request, "page_cache_scopes", None):
                # A public page shown to a logged-in user: no shared cache may keep it.
                patch_cache_control(response, private=True, no_cache=True)
            return response
        key = _entry_key(request)
        if key is None:
            return self.get_response(request)
        entry = cache.get(key)
        if entry is not None and current_tokens(entry["tokens"]) == entry["tokens"]:
            return self._from_entry(entry)
        response = self.get_response(request)
        if _storable(request, response):
            patch_cache_control(response, public=True, max_age=browser_max_age())
            patch_cache_control(response, s_maxage=shared_max_age())
            cache.set(key, self._entry(request, response), timeout=entry_timeout())
            response["X-Page-Cache"] = "miss"
        return response

    @staticmethod
    def _entry(request, response):
        headers = [
            (name, value) for name, value in response.items() if name.lower() not in DROPPED_HEADERS
        ]
        return {
            "tokens": request.page_cache_tokens,
            "content": response.content,
            "headers": headers,
        }

    @staticmethod
    def _from_entry(entry):
        response = HttpResponse(entry["content"])
        for name, value in entry["headers"]:
            response[name] = value
        response["X-Page-Cache"] = "hit"
        return response
