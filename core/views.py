"""Site-wide views: search, robots.txt and the 404 page (the 500/503 page: core.operations)."""

from collections import Counter

from django.http import HttpResponse, HttpResponsePermanentRedirect, JsonResponse
from django.shortcuts import render
from django.template.response import TemplateResponse
from django.templatetags.static import static
from django.urls import reverse
from django.utils.http import urlencode
from django.views.decorators.http import require_GET

from core.filters import listing_page
from core.page_cache import SEARCH, cache_publicly
from core.search import (
    MAX_CANDIDATES,
    Found,
    SearchTooSlow,
    find,
    requested_query,
    url_of,
)
from core.security import rate_limited
from core.seo import site_url

RESULTS_PER_PAGE = 20


KINDS = {"term": "Glossary terms", "article": "Pulse articles"}  # the kind filter's choices


@require_GET
@cache_publicly(SEARCH, params=("q", "kind", "category", "page"))
@rate_limited("search", "SEARCH_RATE_LIMIT")
def search(request):
    """Results with their kind and category, matched words highlighted, filters by kind and
    category (with counts over every result) and a "Did you mean …?" for a close name."""
    query = requested_query(request)
    try:
        found = find(query) if query else Found([], set())
    except SearchTooSlow:
        response = TemplateResponse(
            request, "core/search.html", {"search_query": query, "too_slow": True}, status=503
        )
        response["Retry-After"] = "5"
        return response
    kind = request.GET.get("kind", "")
    kind = kind if kind in KINDS else ""
    category = request.GET.get("category", "")
    of_kind = [result for result in found.results if not kind or result.kind_slug == kind]
    shown = [result for result in of_kind if not category or result.category == category]
    page = listing_page(request, shown, RESULTS_PER_PAGE, len(shown))  # past the end: 404
    for result in page:
        result.find_url(request)
    if found.suggestion is not None:
        found.suggestion.url = url_of(found.suggestion.url_path, request)
    chosen = {"q": query, "kind": kind, "category": category}
    return TemplateResponse(
        request,
        "core/search.html",
        {
            "search_query": query,
            "results": page,
            "found": found,
            "kind": kind,
            "category": category,
            "kinds": _facets(found.results, "kind_slug", chosen, "kind", KINDS),
            "categories": _facets(of_kind, "category", chosen, "category"),
            "extra_query": urlencode({name: value for name, value in chosen.items() if value}),
            "capped": len(found.results) >= MAX_CANDIDATES,
        },
    )


def _facets(results, attribute, chosen, parameter, labels=None):
    """[(label, count, link, selected)] for each value of ``attribute`` among ``results``."""
    counts = Counter(getattr(result, attribute) for result in results)
    facets = []
    for value, count in sorted(counts.items(), key=lambda item: (-item[1], item[0])):
        if not value:
            continue
        selected = chosen[parameter] == value
        query = {**chosen, parameter: "" if selected else value}
        if parameter == "kind":
            query["category"] = ""  # categories differ by kind
        link = "?" + urlencode({name: given for name, given in query.items() if given})
        label = labels.get(value, value) if labels else value
        facets.append((label, count, link, selected))
    return facets if len(facets) > 1 or chosen[parameter] else []


SUGGESTIONS = 8


@require_GET
@cache_publicly(SEARCH, params=("q",))
@rate_limited("suggest", "SUGGEST_RATE_LIMIT")
def suggest(request):
    """Terms and articles for the search box's suggestions (JSON): terms from the name index,
    as forgiving as the results page (``stratgy`` offers "Operations strategy"), then articles
    whose titles start like the query."""
    from glossary.names import match_names
    from pulse.models import PulseArticlePage

    query = requested_query(request)
    suggestions = []
    if len(query) >= 2:
        for match in match_names(query, SUGGESTIONS, min_prefix=2):
            url = url_of(match.url_path, request)
            suggestions.append({"title": match.title, "url": url, "kind": "glossary term"})
        articles = PulseArticlePage.objects.live().public().autocomplete(query)
        for page in articles[: SUGGESTIONS - len(suggestions)]:
            suggestions.append({"title": page.title, "url": page.url, "kind": "Pulse article"})
    response = JsonResponse({"query": query, "suggestions": suggestions})
    response["X-Robots-Tag"] = "noindex"
    return response


@require_GET
def robots_txt(request):
    lines = ["User-agent: *", "Disallow: /admin/", "Disallow: /search/", ""]
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
