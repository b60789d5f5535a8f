"""The site's Content-Security-Policy, and the client address behind our proxies.

Visitors' pages load only the site's own files: no inline script (JSON-LD is data, which CSP
does not run), no inline style, nothing from elsewhere, never framed. The policy is
django-csp's (``CONTENT_SECURITY_POLICY`` in settings).

The Wagtail admin gets the same policy plus ``'unsafe-inline'`` for scripts and styles
(``ADMIN_CSP_ADDITIONS``): Wagtail 8's choosers and modals run the inline ``<script>`` of
the HTML they load (wagtail/wagtail#7053), so the card chooser never opens without it. The
admin may also be framed by itself (``frame-ancestors 'self'``: the live preview). Every
other directive is as strict there as on public pages. Wagtail's previews and "view draft"
are admin URLs, so they get the admin's policy.

Public pages get the strict policy whoever is signed in: a signed-in administrator reading a
page is exactly whom injected script would target. Wagtail 8's user bar needs no inline code
(its scripts and style sheet are files; it sets styles through the CSSOM, which CSP allows).
"""

from csp.middleware import CSPMiddleware, PolicyParts

from django.urls import NoReverseMatch, reverse

ADMIN_CSP_ADDITIONS = {
    "script-src": ["'unsafe-inline'"],
    "style-src": ["'unsafe-inline'"],
}
# The editor's live preview is an admin page framed by another admin page.
ADMIN_CSP_REPLACEMENTS = {"frame-ancestors": ["'self'"]}


def is_admin_request(request):
    try:
        prefix = reverse("wagtailadmin_home")
    except NoReverseMatch:  # a URLconf without the admin (the benchmark's ceiling)
        return False
    return request.path.startswith(prefix)


def is_preview_request(request):
    """Wagtail's previews and "view draft" render the page for a request it makes itself, at
    the page's own URL, inside the admin's; it marks that request (``is_preview``), which no
    visitor can do. The admin frames the preview, so it gets the admin's policy."""
    return getattr(request, "is_preview", False) is True


class SiteCSPMiddleware(CSPMiddleware):
    """django-csp's middleware, widened for the admin's own URLs and its previews only."""

    def get_policy_parts(self, request, response, report_only=False) -> PolicyParts:
        parts = super().get_policy_parts(request, response, report_only)
        if is_admin_request(request) or is_preview_request(request):
            parts.update = {**ADMIN_CSP_ADDITIONS, **(parts.update or {})}
            parts.replace = {**ADMIN_CSP_REPLACEMENTS, **(parts.replace or {})}
        return parts


def client_ip(request):
    """The visitor's address, for login throttling and rate limits.

    ``X-Forwarded-For`` is believed only as far as it was written by our own proxies
    (``TRUSTED_PROXIES``: Varnish, nginx, a load balancer): read from the right, the first
    address that is not one of them is the client. A visitor who writes the header directly
    to the site, or adds addresses in front of it, cannot choose the address counted.
    """
    from django.conf import settings

    trusted = set(settings.TRUSTED_PROXIES)
    address = request.META.get("REMOTE_ADDR", "")
    if address not in trusted:
        return address
    forwarded = [
        hop.strip()
        for hop in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")
        if hop.strip()
    ]
    for hop in reversed(forwarded):
        if hop not in trusted:
            return hop
    return address


def rate_limited(scope, setting):
    """A view decorator: at most ``limit`` computed responses per client in each fixed window
    of ``window`` seconds (the setting named ``setting`` reads "limit/window", looked up on
    each request), counted in the shared cache (every worker sees the same count); past it a
    429 whose ``Retry-After`` is the time left in the window. Responses served by the page
    cache never reach the view, so they are not counted: only the work is limited.

    Each window has its own key (``rate:<scope>:<client's HMAC>:<window index>``), so its end never
    moves whatever the cache does on ``incr``: Django's file and database caches implement
    ``incr`` as get-then-set with the cache's default timeout, which pushed a single key's
    expiry back on every request and locked a steady client out for good. That get-then-set
    also gives the key the default timeout (300 s unless set), shorter than a longer window:
    there the key is touched again to last to the window's end. ``add`` then ``incr`` is atomic on
    Redis and local memory; on the file cache (development) two requests at the same instant
    may be counted as one. Written by hand: django-ratelimit also counts with ``add`` then
    ``incr`` on a key per fixed window, but its system check (``django_ratelimit.E003``) is an
    error on the local-memory and file caches that the tests and development use."""
    import functools
    import math
    import time

    from django.conf import settings
    from django.core.cache import DEFAULT_CACHE_ALIAS, cache, caches
    from django.core.cache.backends.base import BaseCache
    from django.http import HttpResponse
    from django.utils.crypto import salted_hmac

    def decorator(view):
        @functools.wraps(view)
        def wrapped(request, *args, **kwargs):
            limit, window = (int(part) for part in getattr(settings, setting).split("/"))
            now = time.time()
            index = int(now // window)
            # Keyed by an HMAC of the address (SECRET_KEY): the cache holds no visitor's
            # address, and without the key no one can try every address to find one.
            client = salted_hmac("rate-limit", client_ip(request)).hexdigest()[:32]
            key = f"rate:{scope}:{client}:{index}"
            # Kept a little past the window's end: a key of a window gone is never read again.
            timeout = window + 1
            cache.add(key, 0, timeout=timeout)
            try:
                count = cache.incr(key)
            except ValueError:  # evicted between add and incr
                cache.add(key, 1, timeout=timeout)
                count = 1
            left = max(1, math.ceil((index + 1) * window - now))
            backend = caches[DEFAULT_CACHE_ALIAS]
            default = backend.default_timeout
            if type(backend).incr is BaseCache.incr and default is not None and left >= default:
                cache.touch(key, timeout=left + 1)  # get-then-set gave it the default timeout
            if count > limit:
                response = HttpResponse(
                    f"Too many requests from your address; please wait {left} s.",
                    status=429,
                    content_type="text/plain; charset=utf-8",
                )
                response["Retry-After"] = str(left)
                response["Cache-Control"] = "no-store"
                return response
            return view(request, *args, **kwargs)

        return wrapped

    return decorator
