"""The glossary's downloads (``glossary.downloads``), cached until a term changes."""

from django.http import Http404, HttpResponse
from django.views.decorators.http import require_GET

from core.page_cache import DOWNLOADS, cache_publicly
from core.security import rate_limited

from . import downloads
from .models import GlossaryIndexPage


@require_GET
@cache_publicly(DOWNLOADS)
@rate_limited("download", "DOWNLOAD_RATE_LIMIT")
def download(request, format):
    if format not in downloads.FORMATS:
        raise Http404("No such download")
    index = GlossaryIndexPage.objects.live().public().first()
    if index is None:
        raise Http404("No glossary")
    content_type, build = downloads.FORMATS[format]
    root = request.build_absolute_uri("/").rstrip("/")
    terms = downloads.terms_for_download(index, root)
    response = HttpResponse(build(terms, root + index.url, index.title), content_type=content_type)
    response["Content-Disposition"] = f'inline; filename="glossary.{format}"'
    return response
