"""Site-wide views: search, robots.txt and the 404 page (the 500/503 page: core.operations)."""

from django.core.paginator import Paginator
from django.http import HttpResponse, JsonResponse
from django.shortcuts import render
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.http import urlencode
from django.views.decorators.http import require_GET

from core.page_cache import SEARCH, cache_publicly
from core.search import (
    MAX_CANDIDATES,
    MAX_QUERY_LENGTH,
    SearchTooSlow,
    requested_query,
    search_pages,
)
from core.security import rate_limited

RESULTS_PER_PAGE = 20


@require_GET
@cache_publicly(SEARCH)
@rate_limited("search", "SEARCH_RATE_LIMIT")
def search(request):
    query = requested_query(request)
    try:
        results = search_pages(query) if query else []
    except SearchTooSlow:
        response = TemplateResponse(
            request, "core/search.html", {"search_query": query, "too_slow": True}, status=503
        )
        response["Retry-After"] = "5"
        return response
    page = Paginator(results, RESULTS_PER_PAGE).get_page(request.GET.get("page"))
    for result in page:
        result.find_url(request)
    return TemplateResponse(
        request,
        "core/search.html",
        {
            "search_query": query,
            "results": page,
            "extra_query": urlencode({"q": query}),
            "capped": len(results) >= MAX_CANDIDATES,
        },
    )


SUGGESTIONS = 8


@require_GET
@cache_publicly(SEARCH)
@rate_limited("suggest", "SUGGEST_RATE_LIMIT")
def suggest(request):
    """Titles that start like the query, for the search box's suggestions (JSON)."""
    from glossary.models import GlossaryTermPage
    from pulse.models import PulseArticlePage

    query = " ".join(request.GET.get("q", "").split())[:MAX_QUERY_LENGTH]
    suggestions = []
    if len(query) >= 2:
        for model in (GlossaryTermPage, PulseArticlePage):
            for page in model.objects.live().public().autocomplete(query)[:SUGGESTIONS]:
                suggestions.append(
                    {"title": page.title, "url": page.url, "kind": model._meta.verbose_name}
                )
    response = JsonResponse({"query": query, "suggestions": suggestions[:SUGGESTIONS]})
    response["X-Robots-Tag"] = "noindex"
    return response


@require_GET
def robots_txt(request):
    lines = ["User-agent: *", "Disallow: /admin/", "Disallow: /search/", ""]
    lines.append(f"Sitemap: {request.build_absolute_uri(reverse('sitemap'))}")
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain")


def page_not_found(request, exception=None):
    return render(request, "404.html", status=404)


def media(request, path):
    """Uploaded files, for development and tests only (production serves them from the web
    server or object storage; see the README)."""
    from django.conf import settings
    from django.views.static import serve

    return serve(request, path, document_root=settings.MEDIA_ROOT)
