"""Work that follows a change, on the task queue (Django's tasks API, ``TASKS`` in settings).

Two things django-tasks leaves to its users, written here by hand (no maintained library adds
them to its database backend):

- **Coalescing.** ``enqueue_coalesced(task)`` enqueues a run of ``task`` after the change
  commits, unless a run is already waiting: ten publishes in a second cause one run. A claim
  in the shared cache says a run is waiting; the run gives it up (``run_started``) before it
  reads anything, so a change committed while it runs enqueues one more run and no change is
  left unread. The tasks are idempotent: they recompute from the database, whatever asked.
- **Periodic tasks.** django-tasks has no scheduler. A periodic task calls ``schedule_next``
  when it starts, which enqueues its next run ``every`` seconds later (``run_after``) unless one
  is already waiting; ``manage.py worker`` starts the chain (``ensure_periodic``). Only the
  database backend can defer a task: with the immediate one a periodic task runs once.
"""

import datetime
import logging
import math

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.utils import timezone

logger = logging.getLogger(__name__)

PENDING_PREFIX = "queue:pending:"
# A claim whose run never started (no worker for that long, or its row deleted) lapses, so a
# later change enqueues again.
PENDING_TIMEOUT = 15 * 60
SCHEDULING_PREFIX = "queue:scheduling:"


def _pending_key(task):
    return PENDING_PREFIX + task.module_path


def enqueue_coalesced(task):
    """Enqueue ``task`` (no arguments) once the current transaction commits (at once outside
    one), unless a run of it is already waiting."""
    transaction.on_commit(lambda: enqueue_coalesced_now(task))


def enqueue_coalesced_now(task):
    """``enqueue_coalesced`` for a caller with no change of its own to wait for (a request that
    only reads and finds derived state behind): enqueued at once, even inside a transaction."""
    key = _pending_key(task)
    if not cache.add(key, 1, timeout=PENDING_TIMEOUT):
        return
    try:
        task.enqueue()
    except Exception:
        cache.delete(key)
        raise


def run_started(task):
    """Called first by a coalesced task: changes from now on need a run of their own."""
    cache.delete(_pending_key(task))


def _waiting(task):
    """Whether a run of ``task`` is queued and not started (database backend only)."""
    from django_tasks_db.models import DBTaskResult

    return DBTaskResult.objects.filter(
        status="READY", task_path=task.module_path, backend_name=task.backend
    ).exists()


def schedule_next(task, every):
    """Enqueue the next run of periodic ``task`` in ``every`` seconds (at once for 0), unless
    one is waiting already; the result, or None when nothing was enqueued."""
    from django_tasks_db import DatabaseBackend

    if not isinstance(task.get_backend(), DatabaseBackend):
        return None
    # Two workers starting together: one of them looks and enqueues.
    lock = SCHEDULING_PREFIX + task.module_path
    if not cache.add(lock, 1, timeout=30):
        return None
    try:
        if _waiting(task):
            return None
        if every:
            task = task.using(run_after=timezone.now() + datetime.timedelta(seconds=every))
        return task.enqueue()
    finally:
        cache.delete(lock)


def seconds_until_hour(hour, now=None):
    """Whole seconds from ``now`` until the next ``hour``:00 in the site's time zone."""
    now = timezone.localtime(now)
    due = now.replace(hour=hour, minute=0, second=0, microsecond=0)
    if due <= now:
        due += datetime.timedelta(days=1)  # the same hour on the wall clock tomorrow
    # Real seconds: across a change of daylight saving time the wall clock is not the clock.
    elapsed = due.astimezone(datetime.UTC) - now.astimezone(datetime.UTC)
    return max(1, math.ceil(elapsed.total_seconds()))


def ensure_periodic():
    """Make sure each periodic task (``core.tasks.PERIODIC``: the base's and those the apps
    registered) has a run waiting when none was (a worker starting for the first time, or
    after the chain broke): due now, or for a nightly task at the next ``NIGHTLY_HOUR``, so a
    new worker does not start with a glossary-sized job in front of the work editors wait
    for."""
    from .tasks import NIGHTLY, PERIODIC

    for task in PERIODIC:
        delay = seconds_until_hour(settings.NIGHTLY_HOUR) if task in NIGHTLY else 0
        if schedule_next(task, delay) is not None:
            logger.info("Scheduled %s", task.module_path)
