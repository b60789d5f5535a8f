"""The page cache: anonymous GETs of public pages served from Django's cache, never stale.

How it stays fresh. Every cacheable response depends on a few *scopes*: ``page:<id>`` for a
page's own URLs, plus shared ones (``site`` for everything, ``terms`` for pages whose bodies
link glossary terms, ``sitemap``, ``feeds``, ``search``). Each scope has a *generation token*
in the shared cache. A stored response keeps the tokens it was rendered under; it is served
only while every one of them is still current. ``invalidate()`` gives the scopes that a content
change touched new random tokens (never a counter: a cleared or evicted token can never come
back), so the next request renders afresh. Each shared scope is declared once, with the URLs
it covers, in ``core.dependencies``; which scopes and pages a change touches is decided by the
handlers apps register with the dispatcher (``core.events``), which alone calls
``invalidate`` (and the worker's tasks that recompute derived state).

Tokens are bumped at once and again when the transaction commits: the first keeps this
process right at once (tests, the admin's next request), the second throws away anything
another process cached from the database while the change was not yet committed. What a
change made stale is also written down, in the change's transaction, for two coalesced tasks
of the worker (``core.models.StaleResponses``): the front cache's purge (``core.frontend``,
when there is a front cache) and re-rendering the pages a visitor will ask for
(``core.warming``). Both are eventually consistent: see docs/caching-and-performance.md.

The cache must be shared by every process that serves or writes (gunicorn workers, the import
command): Redis when ``REDIS_URL`` is set, otherwise a file-based cache on this host (see
``config/settings/base.py``).

Known limit: the tokens of a page are read after routing, just before it renders; a change
that commits in the instant between the two could leave that one response stored until the
page's next change or ``PAGE_CACHE_TIMEOUT`` (a day).

Query strings cannot force renders. Every cacheable view says which parameters it reads
(``cache_publicly(..., params=...)``, a page type's ``cache_params``); ``declare`` hands the
view only those (sorted by name, each name's values in their order) and the stored response
is keyed by them, so ``?utm_source=N`` or ``?x=N`` for any N is the one stored page. The
tracking parameters of ``TRACKING_PARAMETER`` are dropped even for views that read every
parameter (the API). Before the view runs, the middleware learns a path's parameters from
``pagecache:params:<address>``, stored with its first response. ``deploy/varnish.vcl`` keeps the
same parameters (the union of all views', checked by a test) and sorts them.

Never cached: anything but GET, requests with a session cookie (logged-in users, previews,
the admin), responses that set cookies or say private/no-cache (Wagtail's password-protected
pages do), any status but 200, and views that did not declare their scopes.
"""

import hashlib
import logging
import re
import secrets
from functools import wraps

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import DisallowedHost, SuspiciousOperation
from django.db import transaction
from django.http import HttpResponse, QueryDict
from django.utils.cache import patch_cache_control
from django.utils.http import urlencode

from . import dependencies, filters

logger = logging.getLogger(__name__)


def _sitemap_routes():
    from .sitemaps import SITEMAPS

    return [("sitemap", {}), *(("sitemap_section", {"section": name}) for name in SITEMAPS)]


SITE = dependencies.declare("site", everything=True, help="Every cacheable response.")
TERMS = dependencies.declare(
    "terms",
    everything=True,
    help="Pages whose bodies link glossary terms: any page with a body.",
)
SITEMAP = dependencies.declare(
    "sitemap", routes=_sitemap_routes, help="The sitemap index and its sections."
)
SEARCH = dependencies.declare(
    "search",
    routes=["search", "search_suggest"],
    warm=False,  # the queries are the visitors'
    help="Search results and suggestions.",
)
API = dependencies.declare(
    "api",
    warm=False,
    help="The read API: any content change may show in a listing.",
)
# Declared by the apps that own them (their AppConfig.ready), with their URLs.
FEEDS = "feeds"  # pulse: the article feeds
DOWNLOADS = "downloads"  # glossary: the glossary as CSV, SKOS and JSON-LD: every live term

# More pages than this in one invalidation make every page stale instead (``site``).
MANY_PAGES = 2000
ENTRY_PREFIX = "pagecache:entry:"
PARAMS_PREFIX = "pagecache:params:"
TOKEN_PREFIX = "pagecache:token:"  # noqa: S105 - a cache key, not a password
# Parameters that only tell analytics where a visitor came from: no view reads them, and they
# never take part in a cache key (deploy/varnish.vcl drops them too).
TRACKING_PARAMETER = re.compile(
    r"utm_[a-z0-9_]*|gclid|gbraid|wbraid|dclid|fbclid|msclkid|mc_cid|mc_eid|_ga|_gl|yclid|igshid",
    re.IGNORECASE,
)
ALL_PARAMETERS = None  # ``params`` of a view that reads any parameter (the API)
# Headers never stored with a response (a response that sets a cookie is not stored at all).
DROPPED_HEADERS = {"set-cookie", "x-page-cache"}


def page_scope(page_id):
    return f"page:{page_id}"


def scopes_for_page(page):
    """A page's own scope, and the shared ones its type declares (``cache_depends_on``)."""
    return [page_scope(page.pk), *getattr(page, "cache_depends_on", ())]


def params_for_page(page, request=None):
    """The query parameters a page reads: its route's for ``request`` if declared
    (``route_params``), else its type's ``cache_params`` (none by default)."""
    match = getattr(request, "routable_resolver_match", None)
    declared = getattr(getattr(match, "func", None), "page_cache_params", None)
    if declared is not None:
        return tuple(declared)
    return tuple(getattr(page, "cache_params", ()))


def route_params(*params):
    """Decorator: the page cache keys this route of a routable page by ``params`` (a term's
    list of mentions reads ``page``), its page's other routes by the type's ``cache_params``."""

    def decorator(view):
        view.page_cache_params = params
        return view

    return decorator


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
    return {keys[key]: dependencies.dated_token(keys[key], token) for key, token in found.items()}


def _bump(scopes):
    if not scopes:
        return
    cache.set_many({TOKEN_PREFIX + scope: secrets.token_hex(8) for scope in scopes}, timeout=None)


def invalidate(scopes=(), pages=(), url_paths=()):
    """Make every stored response that depends on ``scopes`` or on ``pages`` (Page objects or
    ids) stale, in this cache at once and in the front cache by the worker; ``url_paths``
    (pages' old ``url_path``) are purged from the front cache too. The pages are re-rendered
    by the worker (``core.warming``). Called by the dispatcher, ``core.events``, and the
    tasks that recompute derived state."""
    page_ids = {getattr(page, "pk", page) for page in pages}
    if len(page_ids) > MANY_PAGES:
        # A large import or a full recompute: one token instead of thousands, and one ban of
        # the front cache instead of a purge per page.
        scopes, page_ids = {*scopes, SITE}, set()
    all_scopes = set(scopes) | {page_scope(page_id) for page_id in page_ids}
    if not all_scopes and not url_paths:
        return
    for name in scopes:
        dependencies.scope(name)  # a scope nobody declared is a mistake, not a silent no-op
    _bump(all_scopes)
    transaction.on_commit(lambda: _bump(all_scopes))
    from . import refresh

    refresh.after_commit(scopes=set(scopes), page_ids=page_ids, url_paths=set(url_paths))


# --- declaring what a response depends on -------------------------------------------------------


def declare(request, scopes, params=()):
    """Say that the response to ``request`` may be cached under ``scopes`` and depends on the
    query parameters ``params`` only (``ALL_PARAMETERS``: any but tracking ones). The tokens
    are read now, before the view renders, so a change committed while it renders makes it
    stale; the view sees only ``params``, so what it renders is what the key says."""
    scopes = [SITE, *scopes]
    request.page_cache_scopes = scopes
    request.page_cache_params = params
    if is_cacheable_request(request):
        query = normalised_query(request.META.get("QUERY_STRING", ""), params)
        if query is None:
            return  # not stored
        request.META["QUERY_STRING"] = query
        request.GET = QueryDict(query)
        request.page_cache_tokens = current_tokens(scopes)


def cache_publicly(*scopes, params=()):
    """Decorator for a view whose anonymous GET responses may be cached under ``scopes``;
    ``params`` are the query parameters it reads (none by default)."""

    def decorator(view):
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            declare(request, scopes, params)
            return view(request, *args, **kwargs)

        wrapped.page_cache_params = params
        return wrapped

    return decorator


def normalised_query(query_string, params):
    """The query string with only ``params`` (or every non-tracking parameter), sorted by name;
    None when it cannot be parsed (too many fields: the view answers 400 itself)."""
    try:
        given = QueryDict(query_string)
    except (ValueError, SuspiciousOperation):  # too many fields: the view answers 400 itself
        return None
    names = sorted(
        name
        for name in given
        if not TRACKING_PARAMETER.fullmatch(name) and (params is None or name in params)
    )
    if params is None:  # the API reads its parameters itself: every value counts
        return urlencode([(name, value) for name in names for value in given.getlist(name)])
    # A declared parameter is read with ``.get`` (its last value), in its canonical form, so
    # ``?page=x1`` or ``?q=kanban%20%20`` cannot make a page of its own.
    pairs = ((name, canonical_value(name, given.getlist(name)[-1])) for name in names)
    return urlencode([(name, value) for name, value in pairs if value is not None])


def canonical_value(name, value):
    """The form of a declared parameter's value a view cannot tell apart from the others,
    read as the views read it (``core.filters``): a page number as a plain whole number
    (anything else is page 1: dropped), a search query cleaned and capped; other values as
    given."""
    if name == "page":
        number = filters.page_number(value)
        return None if number is None else str(number)
    if name == "q":
        return filters.search_text(value)
    return value


# --- the middleware ----------------------------------------------------------------------------


def is_cacheable_request(request):
    return (
        request.method == "GET"
        and settings.SESSION_COOKIE_NAME not in request.COOKIES
        and "HTTP_AUTHORIZATION" not in request.META
    )


def _address(request):
    """scheme://host/path: the scheme as Django sees it (``SECURE_PROXY_SSL_HEADER``), as the
    VCL hashes ``X-Forwarded-Proto``; None for a host ``ALLOWED_HOSTS`` refuses."""
    try:
        host = request.get_host()
    except DisallowedHost:
        return None
    return f"{request.scheme}://{host}{request.path}"


def _hashed(prefix, text):
    return prefix + hashlib.sha256(text.encode()).hexdigest()


def _entry_key(address, query):
    return _hashed(ENTRY_PREFIX, f"{address}?{query}")


def _storable(request, response):
    if response.status_code != 200 or response.streaming or response.cookies:
        return False
    if not getattr(request, "page_cache_tokens", None):
        return False
    control = response.get("Cache-Control", "")
    return not any(word in control for word in ("private", "no-cache", "no-store"))


def is_current(address):
    """Whether ``address`` (scheme://host/path, no query) has a stored response whose tokens
    are all current: the warmer need not render it."""
    known = cache.get(_hashed(PARAMS_PREFIX, address))
    if known is None:
        return False
    entry = cache.get(_entry_key(address, ""))
    return entry is not None and current_tokens(entry["tokens"]) == entry["tokens"]


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
        address = _address(request)
        if address is None:
            return self.get_response(request)
        params_key = _hashed(PARAMS_PREFIX, address)
        known = cache.get(params_key)  # {"params": ...}, stored with the path's first response
        if known is not None:
            query = normalised_query(request.META.get("QUERY_STRING", ""), known["params"])
            entry = cache.get(_entry_key(address, query)) if query is not None else None
            if entry is not None and current_tokens(entry["tokens"]) == entry["tokens"]:
                return self._from_entry(entry)
        response = self.get_response(request)
        if _storable(request, response):
            patch_cache_control(response, public=True, max_age=browser_max_age())
            patch_cache_control(response, s_maxage=shared_max_age())
            # declare() left only the view's parameters in the query string.
            key = _entry_key(address, request.META.get("QUERY_STRING", ""))
            cache.set_many(
                {
                    params_key: {"params": request.page_cache_params},
                    key: self._entry(request, response),
                },
                timeout=entry_timeout(),
            )
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


class PrivateRedirectsAndErrorsMiddleware:
    """Keep redirects and errors out of shared caches unless a view said otherwise.

    Django's HTTPS redirect (``SECURE_SSL_REDIRECT``, which depends on ``X-Forwarded-Proto``),
    ``APPEND_SLASH``, Wagtail's editable redirects and error pages carry no ``Cache-Control``,
    so Varnish or a CDN would keep them for its default time and a browser heuristically: a
    redirect an editor changed, or a 404 for a page published a second later, would outlive
    its truth. Redirects and 4xx get ``private, no-cache`` (a browser may keep them but asks
    again); 5xx and 429 get ``no-store`` (an outage or a limit must never be replayed).
    Outermost but for the request id, so the health check's 503 and the host check's 400 are
    covered too.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        status = response.status_code
        if status < 300 or status == 304 or response.has_header("Cache-Control"):
            return response
        if status >= 500 or status == 429:
            response["Cache-Control"] = "no-store"
        else:
            response["Cache-Control"] = "private, no-cache"
        return response
