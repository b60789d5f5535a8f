"""Site-wide views: robots.txt, the favicon and the 404 page (the 500/503 page:
core.operations; search: the ``search`` app)."""

from django.http import HttpResponse, HttpResponsePermanentRedirect
from django.shortcuts import render
from django.templatetags.static import static
from django.urls import reverse
from django.views.decorators.http import require_GET

from core.seo import site_url


@require_GET
def robots_txt(request):
    lines = ["User-agent: *", "Disallow: /admin/", "Disallow: /search/", "Disallow: /feedback/", ""]
    lines.append(f"Sitemap: {site_url(request, reverse('sitemap'))}")
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain")


@require_GET
def favicon(request):
    return HttpResponsePermanentRedirect(static("icons/favicon.ico"))


def page_not_found(request, exception=None):
    return render(request, "404.html", status=404)


def media(request, path):
    """Uploaded files, for development and tests only (production serves them from the web
    server or object storage; see docs/deployment-and-operations.md)."""
    from django.conf import settings
    from django.views.static import serve

    return serve(request, path, document_root=settings.MEDIA_ROOT)
