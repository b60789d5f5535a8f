"""The glossary's downloads (``glossary.downloads``), built when terms change."""

from django.http import Http404, HttpResponse
from django.views.decorators.http import require_GET

from core.page_cache import DOWNLOADS, cache_publicly
from core.security import rate_limited

from . import downloads


@require_GET
@cache_publicly(DOWNLOADS)
@rate_limited("download", "DOWNLOAD_RATE_LIMIT")
def download(request, format):
    if format not in downloads.FORMATS:
        raise Http404("No such download")
    content = downloads.current_file(format)
    if content is None:
        raise Http404("No glossary")
    response = HttpResponse(content, content_type=downloads.FORMATS[format][0])
    response["Content-Disposition"] = f'inline; filename="glossary.{format}"'
    return response
