"""The search page and the search box's suggestions."""

from collections import Counter

from django.http import JsonResponse
from django.template.response import TemplateResponse
from django.utils.http import urlencode
from django.views.decorators.http import require_GET

from core import searchables
from core.filters import listing_page, page_number
from core.page_cache import SEARCH, cache_publicly
from core.security import rate_limited

from . import log, promotions
from .candidates import MAX_CANDIDATES, SearchTooSlow
from .query import requested_query
from .ranking import Found, find, url_of

RESULTS_PER_PAGE = 20
SUGGESTIONS = 8
TEMPLATE = "search/search.html"


@require_GET
@cache_publicly(SEARCH, params=("q", "kind", "category", "page"))
@rate_limited("search", "SEARCH_RATE_LIMIT")
def search(request):
    """Results with their kind and category, matched words highlighted, filters by kind and
    category (with counts over every result) and a "Did you mean …?" for a close name."""
    query = requested_query(request)
    try:
        pinned = promotions.promoted_page_ids(log.normalise(query))
        found = find(query, pinned) if query else Found([], set())
    except SearchTooSlow:
        context = {"search_query": query, "too_slow": True}
        response = TemplateResponse(request, TEMPLATE, context, status=503)
        response["Retry-After"] = "5"
        return response
    kinds = {searchable.kind: searchable.label for searchable in searchables.searchables()}
    kind = request.GET.get("kind", "")
    kind = kind if kind in kinds else ""
    category = request.GET.get("category", "")
    of_kind = [result for result in found.results if not kind or result.kind_slug == kind]
    shown = [result for result in of_kind if not category or result.category == category]
    page = listing_page(request, shown, RESULTS_PER_PAGE, len(shown))  # past the end: 404
    for result in page:
        result.find_url(request)
    if found.suggestion is not None:
        found.suggestion.url = url_of(found.suggestion.url_path, request)
    chosen = {"q": query, "kind": kind, "category": category}
    response = TemplateResponse(
        request,
        TEMPLATE,
        {
            "search_query": query,
            "results": page,
            "found": found,
            "kind": kind,
            "category": category,
            "kinds": _facets(found.results, "kind_slug", chosen, "kind", kinds),
            "categories": _facets(of_kind, "category", chosen, "category"),
            "extra_query": urlencode({name: value for name, value in chosen.items() if value}),
            "capped": len(found.results) >= MAX_CANDIDATES,
        },
    )
    if query and not (kind or category) and page_number(request.GET.get("page", "")) in (None, 1):
        # A search, counted (search.log); its other pages and filters are the same search.
        log.counted(response, len(found.results))
    return response


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


@require_GET
@cache_publicly(SEARCH, params=("q",))
@rate_limited("suggest", "SUGGEST_RATE_LIMIT")
def suggest(request):
    """Pages for the search box's suggestions (JSON): names from the registered name matchers,
    as forgiving as the results page (``stratgy`` offers "Operations strategy"), then pages
    whose titles start like the query (the types registered with ``suggest_titles``)."""
    query = requested_query(request)
    suggestions = _suggestions(query, request) if len(query) >= 2 else []
    response = JsonResponse({"query": query, "suggestions": suggestions})
    response["X-Robots-Tag"] = "noindex"
    return response


def _suggestions(query, request):
    """[{title, url, kind, status}]: ``status`` is a flagged page's label ("Deprecated")."""
    found = []
    registered = searchables.searchables()
    for searchable in (searchable for searchable in registered if searchable.names):
        kind = searchable.model._meta.verbose_name
        matches = searchable.names.match(query, SUGGESTIONS - len(found), min_prefix=2)
        flagged = searchable.flagged_ids([match.term_id for match in matches])
        for match in matches:
            status = searchable.flag.label if match.term_id in flagged else ""
            url = url_of(match.url_path, request)
            found.append({"title": match.title, "url": url, "kind": kind, "status": status})
    for searchable in (searchable for searchable in registered if searchable.suggest_titles):
        kind = searchable.model._meta.verbose_name
        pages = searchable.model.objects.live().public().autocomplete(query)
        for page in pages[: SUGGESTIONS - len(found)]:
            found.append({"title": page.title, "url": page.url, "kind": kind, "status": ""})
    return found
