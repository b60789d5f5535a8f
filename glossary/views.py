"""The glossary's downloads (``glossary.downloads``): files the worker built, streamed."""

from django.http import FileResponse, Http404, HttpResponse
from django.utils.cache import get_conditional_response, patch_cache_control
from django.utils.http import http_date, quote_etag
from django.views.decorators.http import require_GET

from core import page_cache
from core.page_cache import DOWNLOADS, cache_publicly
from core.security import rate_limited

from . import downloads

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
