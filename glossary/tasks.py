"""Work that follows a change of terms, run by the worker (``core.queue``): coalesced, and
idempotent (each recomputes from the database, whichever change asked for it)."""

from django_tasks import task

from core import queue


@task()
def recompute_neighbourhood():
    """Related, previous and next terms of the whole glossary; the pages whose lists moved
    are invalidated when they are written."""
    from . import effects, related

    queue.run_started(recompute_neighbourhood)
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
