"""Work that follows a change of terms, run by the worker (``core.queue``): coalesced, and
idempotent (each recomputes from the database, whichever change asked for it)."""

from django_tasks import task

from core import queue

EVERY_DAY = 24 * 60 * 60


@task()
def recompute_neighbourhood():
    """Related, previous and next terms of the terms changed since the last run (recorded in
    their changes' transactions) and of the terms those changes can move; the pages whose
    lists moved are invalidated when they are written."""
    from . import effects, related

    queue.run_started(recompute_neighbourhood)
    changed = related.drain()
    effects.neighbourhood_recomputed(changed)
    return len(changed)


@task()
def recompute_all_neighbourhoods():
    """Every term's related, previous and next terms, nightly (registered with
    ``core.tasks.register_periodic`` by ``GlossaryConfig.ready``):
    whatever a change could not be followed by (a term pinned by a deleted term's pinner is
    one) is right again by morning."""
    from . import effects, related

    queue.schedule_next(recompute_all_neighbourhoods, EVERY_DAY)
    changed = related.recompute()
    effects.neighbourhood_recomputed(changed)
    return len(changed)


@task()
def rebuild_downloads():
    """The CSV, SKOS and JSON-LD files, stored for the generation tokens now current."""
    from . import downloads

    queue.run_started(rebuild_downloads)
    downloads.rebuild()


@task()
def relink_mentions():
    """The terms mentioned in the bodies of the pages that changed, or that a changed name or
    synonym may now be found on (``glossary.linking.relink_requested``)."""
    from . import linking

    queue.run_started(relink_mentions)
    return linking.relink_requested()


@task()
def roll_over_day():
    """Just after midnight: the pages that show the term of the day (the ``daily`` scope, and
    pages whose type depends on it) are purged from the front cache and warmed for the new
    day. The page cache needs no help (the scope's token carries the date): this is for
    Varnish or a CDN, and for the first visitor of the day. Registered by ``glossary.daily``."""
    from core import page_cache

    from . import daily

    queue.schedule_next(roll_over_day, queue.seconds_until_hour(0) + 60)
    pages = daily.showing_page_ids()
    page_cache.invalidate(scopes={daily.DAILY}, pages=pages)
    return len(pages)
