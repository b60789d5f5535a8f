"""Counting searches without writing to the database on a visitor's request.

**On the request** (``SearchCountMiddleware``, outside the page cache): a search view says it
answered a search by setting the ``X-Search-Results`` header (how many results it found). The
header is stored with the response in the page cache, so a search answered from the cache is
counted too, with the results it found when it was rendered; the middleware takes the header
off and adds one to a counter in the cache (``record``). Searches are counted before any front
cache could answer them: a counted response is made ``private`` (a browser may keep it for a
minute, Varnish or a CDN never), so every search reaches the site, where the page cache still
answers it without the database. Counted: a results page with a query (its first page, no
filter: paging and filtering are the same search, browsed) and every API search with a query.

**The buffer**: per day and normalised query (``normalise``: lower-cased, white space collapsed,
capped), a counter (atomic ``incr``: Redis in production), the latest result count and a
numbered slot naming the query so the worker can find it (the cache cannot list keys). At most
``SEARCH_LOG_MAX_PENDING`` distinct queries a day are buffered; past that, only queries already
buffered that day are counted, so random queries cannot grow the cache without bound. Every
buffered key expires after ``BUFFER_DAYS``.

**The flush** (``flush``, a periodic task of the worker): the counters are absolute for their
day, so each is written as it stands (an upsert keeping the larger of the stored and the
buffered count): a counter flushed twice is counted once, and a counter the cache lost
(evicted, restarted) never lowers what was stored. ``prune`` deletes the days older than
``SEARCH_LOG_DAYS``.
"""

import datetime
import hashlib
import logging

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.utils import timezone

from core import page_cache
from core.filters import search_text

from .models import SearchQueryDay

logger = logging.getLogger(__name__)

HEADER = "X-Search-Results"
PREFIX = "searchlog:"
BUFFER_DAYS = 3  # today's counters, and two days for a worker that was away to catch up
BUFFER_TIMEOUT = BUFFER_DAYS * 24 * 60 * 60
CHUNK = 500  # buffered queries read at once by the flush


def normalise(query):
    """The query as it is counted (and as Wagtail's search promotions match it)."""
    return search_text(query or "").lower()


def log_days():
    return getattr(settings, "SEARCH_LOG_DAYS", 180)


def max_pending():
    return getattr(settings, "SEARCH_LOG_MAX_PENDING", 10_000)


def _digest(query):
    return hashlib.sha256(query.encode()).hexdigest()[:32]


def _count_key(day, digest):
    return f"{PREFIX}{day.isoformat()}:count:{digest}"


def _results_key(day, digest):
    return f"{PREFIX}{day.isoformat()}:results:{digest}"


def _slot_key(day, number):
    return f"{PREFIX}{day.isoformat()}:slot:{number}"


def _slots_key(day):
    return f"{PREFIX}{day.isoformat()}:slots"


def counted(response, results):
    """Mark ``response`` as the answer to a search that found ``results``: the middleware
    counts it, whether the view or the page cache answers."""
    response[HEADER] = str(int(results))
    return response


def record(query, results, day=None):
    """Count one search for ``query`` that found ``results``: cache operations only. A cache
    that fails loses the count, never the visitor's answer."""
    query = normalise(query)
    if not query:
        return
    day = day or timezone.localdate()
    digest = _digest(query)
    try:
        try:
            cache.incr(_count_key(day, digest))
        except ValueError:  # the first search for it today
            if not _buffer_new(day, query, digest):
                return
        cache.set(_results_key(day, digest), int(results), timeout=BUFFER_TIMEOUT)
    except Exception:
        logger.warning("Could not count a search", exc_info=True)


def _buffer_new(day, query, digest):
    """Start the day's counter for ``query`` and give it a slot, unless the day's slots are
    all taken. False when the search is not counted."""
    slots_key = _slots_key(day)
    if (cache.get(slots_key) or 0) >= max_pending():
        return False
    if not cache.add(_count_key(day, digest), 1, timeout=BUFFER_TIMEOUT):
        cache.incr(_count_key(day, digest))  # another request started it a moment ago
        return True
    cache.add(slots_key, 0, timeout=BUFFER_TIMEOUT)
    number = cache.incr(slots_key)
    cache.set(_slot_key(day, number), query, timeout=BUFFER_TIMEOUT)
    return True


def flush(today=None):
    """Write the buffered counters of the last ``BUFFER_DAYS`` days to ``SearchQueryDay``;
    how many rows were written. Idempotent."""
    today = today or timezone.localdate()
    written = 0
    for offset in range(BUFFER_DAYS):
        day = today - datetime.timedelta(days=offset)
        slots = cache.get(_slots_key(day)) or 0
        for start in range(1, slots + 1, CHUNK):
            numbers = range(start, min(start + CHUNK, slots + 1))
            queries = cache.get_many([_slot_key(day, number) for number in numbers]).values()
            written += _flush_queries(day, set(queries))
    return written


def _flush_queries(day, queries):
    digests = {query: _digest(query) for query in queries}
    counts = cache.get_many([_count_key(day, digest) for digest in digests.values()])
    results = cache.get_many([_results_key(day, digest) for digest in digests.values()])
    buffered = {
        query: (counts[_count_key(day, digest)], results.get(_results_key(day, digest), 0))
        for query, digest in digests.items()
        if _count_key(day, digest) in counts
    }
    if not buffered:
        return 0
    with transaction.atomic():
        stored = dict(
            SearchQueryDay.objects.filter(day=day, query__in=list(buffered)).values_list(
                "query", "searches"
            )
        )
        rows = [
            SearchQueryDay(
                query=query,
                day=day,
                searches=max(searches, stored.get(query, 0)),
                results=found,
            )
            for query, (searches, found) in buffered.items()
        ]
        SearchQueryDay.objects.bulk_create(
            rows,
            update_conflicts=True,
            unique_fields=["day", "query"],
            update_fields=["searches", "results"],
        )
    return len(rows)


def prune(today=None):
    """Delete the counts of days older than ``SEARCH_LOG_DAYS``; how many rows went."""
    today = today or timezone.localdate()
    oldest = today - datetime.timedelta(days=log_days() - 1)
    deleted, _ = SearchQueryDay.objects.filter(day__lt=oldest).delete()
    return deleted


class SearchCountMiddleware:
    """Count the searches the views marked (``counted``), answered by the view or by the page
    cache: listed just outside ``core.page_cache.PageCacheMiddleware``."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        results = response.get(HEADER)
        if results is None:
            return response
        del response[HEADER]
        record(request.GET.get("q", ""), int(results))
        if "public" in response.get("Cache-Control", ""):
            # Every search must reach the site to be counted: no shared cache keeps it.
            response["Cache-Control"] = f"private, max-age={page_cache.browser_max_age()}"
        return response
