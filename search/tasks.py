"""The worker's part of counting searches (``search.log``): registered as periodic tasks by
``SearchConfig.ready``."""

from django_tasks import task

from django.conf import settings

from core import queue

EVERY_DAY = 24 * 60 * 60


@task()
def flush_search_log():
    """Write the searches buffered in the cache to the database, every
    ``SEARCH_LOG_FLUSH_EVERY`` seconds; idempotent, so a run repeated or overlapping counts
    nothing twice."""
    from . import log

    queue.schedule_next(flush_search_log, settings.SEARCH_LOG_FLUSH_EVERY)
    return log.flush()


@task()
def prune_search_log():
    """Forget the counts older than ``SEARCH_LOG_DAYS``, nightly."""
    from . import log

    queue.schedule_next(prune_search_log, EVERY_DAY)
    return log.prune()
