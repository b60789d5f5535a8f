"""The read API's search, ``/api/v2/search/?q=``: the site's own bounded search, as JSON.

Wagtail's pages ``?search=`` ranks every match, however many, and is refused
(``core.api``); this answers instead, cached and rate-limited like the rest of the API.
"""

from django.http import JsonResponse
from django.views.decorators.http import require_GET

from wagtail.api.utils import get_full_url

from core.page_cache import API, cache_publicly
from core.security import rate_limited

from . import log, promotions
from .candidates import SearchTooSlow
from .query import requested_query
from .ranking import find

SEARCH_LIMIT = 20  # results per search response (the search itself stops at MAX_CANDIDATES)


@require_GET
@cache_publicly(API, params=("q",))
@rate_limited("api-search", "SEARCH_RATE_LIMIT")
def search(request):
    """``?q=``: live, public terms and articles, best first, as the site's search ranks them."""
    query = requested_query(request)
    try:
        pinned = promotions.promoted_page_ids(log.normalise(query))
        results = find(query, pinned).results if query else []
    except SearchTooSlow:
        response = JsonResponse(
            {"message": "The search took too long; try fewer words."}, status=503
        )
        response["Retry-After"] = "5"
        return response
    shown = results[:SEARCH_LIMIT]
    for result in shown:
        result.find_url(request)
    items = [
        {
            "id": result.fields["pk"],
            "meta": {
                "type": result.kind,
                "detail_url": get_full_url(request, f"/api/v2/pages/{result.fields['pk']}/"),
                "html_url": get_full_url(request, result.url),
            },
            "title": result.title,
            "category": result.category,
            "description": result.description,
            "status": result.status,
            "recommended": result.recommended,
        }
        for result in shown
    ]
    response = JsonResponse({"meta": {"total_count": len(results), "query": query}, "items": items})
    return log.counted(response, len(results)) if query else response
