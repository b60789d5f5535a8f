"""The glossary's Django views: its downloads (``glossary.downloads``: files the worker
built, streamed) and "What's new" (``glossary.changes``)."""

from django.http import FileResponse, Http404, HttpResponse
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.cache import get_conditional_response, patch_cache_control
from django.utils.http import http_date, quote_etag
from django.views.decorators.http import require_GET

from core import page_cache
from core.filters import listing_page
from core.internals import public_pages
from core.page_cache import DOWNLOADS, cache_publicly
from core.security import rate_limited
from core.seo import canonical_listing_url, site_url

from . import changes, downloads
from .changes import TERM_FEEDS
from .models import GlossaryIndexPage

BUILD_HEADER = "X-Downloads-Build"  # when the served file's terms were read; current or behind


def _unavailable():
    response = HttpResponse(
        "The downloads are being rebuilt; please try again shortly.",
        status=503,
        content_type="text/plain; charset=utf-8",
    )
    response["Retry-After"] = str(downloads.RETRY_AFTER)
    return response


@require_GET
@cache_publicly(DOWNLOADS)
@rate_limited("download", "DOWNLOAD_RATE_LIMIT")
def download(request, format):
    """Streamed from media storage (the page cache does not keep streamed responses; the
    front cache does, and ETag/Last-Modified answer a client's revalidation with 304)."""
    if format not in downloads.FORMATS:
        raise Http404("No such download")
    served = downloads.served()
    if served is None or served.withdrawn:
        # No build yet, or the newest shows a term that has left public view: never served.
        return _unavailable()
    entry, started = served.entry(format), served.build.started_at
    if entry is None:
        raise Http404("No glossary")
    headers = {
        "ETag": quote_etag(entry["sha256"]),
        "Last-Modified": http_date(started.timestamp()),
        BUILD_HEADER: f"{started.isoformat()}; {'behind' if served.behind else 'current'}",
    }
    response = get_conditional_response(
        request, etag=headers["ETag"], last_modified=int(started.timestamp())
    )
    if response is None:
        try:
            handle = served.open(format)
        except FileNotFoundError:  # the media storage lost it: the next build writes it again
            downloads.ask_for_rebuild()
            return _unavailable()
        response = FileResponse(
            handle,
            content_type=downloads.FORMATS[format].content_type,
            filename=f"glossary.{format}",
        )
    for name, value in headers.items():
        response[name] = value
    if served.behind:
        # A rebuild is on its way: no shared cache may keep this copy, browsers revalidate.
        patch_cache_control(response, public=True, no_cache=True)
    else:
        patch_cache_control(response, public=True, max_age=page_cache.browser_max_age())
        patch_cache_control(response, s_maxage=page_cache.shared_max_age())
    return response


@require_GET
@cache_publicly(TERM_FEEDS, params=("page",))
def whats_new(request):
    """The newest changes of live, public terms, a page of them at a time, grouped by day:
    under the glossary index in its breadcrumb, with the index's head (its JSON-LD names the
    whole glossary). ``?page=`` as on every listing (``core.filters.listing_page``)."""
    index = public_pages(GlossaryIndexPage.objects.live()).order_by("path").first()
    newest = changes.newest_changes()[: changes.WHATS_NEW_ENTRIES]
    count = changes.newest_changes(shown=False)[: changes.WHATS_NEW_ENTRIES].count()
    items = listing_page(request, newest, changes.WHATS_NEW_PER_PAGE, count)
    days = {}
    for change in items:
        change.label = changes.label(change)
        days.setdefault(timezone.localdate(change.date), []).append(change)
    context = {
        "page": index,
        "changes": items,
        "days": list(days.items()),
        "canonical_url": canonical_listing_url(site_url(request, request.path), items),
        "meta_description": "Terms recently added to the glossary, and definitions changed.",
    }
    return TemplateResponse(request, "glossary/whats_new.html", context)
