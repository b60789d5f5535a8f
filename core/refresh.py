"""After a change: the front cache purged and the stale pages rendered again, by the worker.

``page_cache.invalidate`` makes stored responses stale at once (their tokens move); what
remains is slow or reaches out of the process, so it never runs in the editor's request:

- **Purging the front cache** (Varnish, a CDN; ``core.frontend``): only when one is set up
  (``WAGTAILFRONTENDCACHE``). Until the purge has run, the front cache may serve the old page
  for as long as it would anyway: never longer than ``PAGE_CACHE_SHARED_MAX_AGE``, usually a
  second or two (a worker's poll interval and the purge requests).
- **Warming** (``core.warming``): the changed pages, the lists that show them, the sitemap and
  the feeds are rendered through the page cache, so the first visitor after a change meets a
  stored page. Until it has run, a visitor renders the page himself (never a stale one).

Each change writes a row (``StaleResponses``) in its own transaction and enqueues a run of
each task after commit, coalesced (``core.queue``): a run drains every row written before it
started, so ten publishes in a second are purged and warmed by one run each.
"""

from django_tasks import task

from django.conf import settings

from . import queue

# Rows one run reads at most; a run that leaves some enqueues the next.
ROWS_PER_RUN = 1000


def warming_enabled():
    return getattr(settings, "WARM_MAX_PAGES", 500) > 0


def after_commit(scopes, page_ids, url_paths):
    """Write down what a change made stale (in its transaction) and have the worker purge and
    warm it after the change commits."""
    from . import frontend
    from .models import StaleResponses

    values = {
        "scopes": sorted(scopes),
        "page_ids": sorted(page_ids),
        "url_paths": sorted(url_paths),
    }
    wanted = []
    if frontend.is_enabled():
        wanted.append((StaleResponses.Purpose.PURGE, purge_front_cache))
    if warming_enabled() and (scopes or page_ids):
        wanted.append((StaleResponses.Purpose.WARM, warm_pages))
    if not wanted:
        return
    StaleResponses.objects.bulk_create(
        [StaleResponses(purpose=purpose, **values) for purpose, _task in wanted]
    )
    for _purpose, follow_up in wanted:
        queue.enqueue_coalesced(follow_up)


def take(purpose):
    """The rows of ``purpose`` waiting (at most ``ROWS_PER_RUN``), merged: (scopes, page ids,
    url paths, ids of the rows read, whether more are waiting)."""
    from .models import StaleResponses

    rows = list(
        StaleResponses.objects.filter(purpose=purpose)
        .order_by("pk")
        .values_list("pk", "scopes", "page_ids", "url_paths")[: ROWS_PER_RUN + 1]
    )
    more = len(rows) > ROWS_PER_RUN
    rows = rows[:ROWS_PER_RUN]
    scopes, page_ids, url_paths = set(), set(), set()
    for _pk, row_scopes, row_pages, row_paths in rows:
        scopes.update(row_scopes)
        page_ids.update(row_pages)
        url_paths.update(row_paths)
    return scopes, page_ids, url_paths, [row[0] for row in rows], more


def done(ids):
    from .models import StaleResponses

    StaleResponses.objects.filter(pk__in=ids).delete()


@task()
def purge_front_cache():
    """Purge from the front cache every URL the changes since the last run made stale: one
    batch of requests, whatever the number of changes."""
    from . import frontend
    from .models import StaleResponses

    queue.run_started(purge_front_cache)
    scopes, page_ids, url_paths, ids, more = take(StaleResponses.Purpose.PURGE)
    urls = frontend.purge(scopes, page_ids, url_paths) if ids else []
    done(ids)
    if more:
        queue.enqueue_coalesced(purge_front_cache)
    return len(urls)


@task()
def warm_pages():
    """Render again, through the page cache, the pages the changes since the last run made
    stale (at most ``WARM_MAX_PAGES``); the number of pages rendered."""
    from . import warming
    from .models import StaleResponses

    queue.run_started(warm_pages)
    scopes, page_ids, _url_paths, ids, more = take(StaleResponses.Purpose.WARM)
    rendered = warming.warm(scopes, page_ids) if ids else 0
    done(ids)
    if more:
        queue.enqueue_coalesced(warm_pages)
    return rendered
