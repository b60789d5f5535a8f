"""The site's periodic tasks, run by the worker (``manage.py worker``): no cron needed.

The base schedules its own (Wagtail's scheduled publishing); an app adds its tasks in its
``AppConfig.ready`` with ``register_periodic`` (the glossary its nightly recompute), so the
worker runs them without the base knowing the app. ``core.queue.ensure_periodic`` reads the
registry when the worker starts.
"""

from io import StringIO

from django_tasks import task

from django.conf import settings
from django.core.management import call_command

from . import queue


@task()
def publish_scheduled_pages():
    """Publish what editors scheduled to go live and unpublish what expired: Wagtail's own
    ``publish_scheduled`` command, every ``PUBLISH_SCHEDULED_EVERY`` seconds. The next run is
    enqueued first, so a failing run does not stop the chain."""
    queue.schedule_next(publish_scheduled_pages, settings.PUBLISH_SCHEDULED_EVERY)
    output = StringIO()
    call_command("publish_scheduled", stdout=output)
    return output.getvalue()


PERIODIC = [publish_scheduled_pages]
# First run at night (settings.NIGHTLY_HOUR), then every day.
NIGHTLY = []


def register_periodic(periodic_task, *, nightly=False):
    """Have the worker keep ``periodic_task`` scheduled: a task that enqueues its own next run
    (``queue.schedule_next``) when it starts. ``nightly``: its first run waits for
    ``NIGHTLY_HOUR``, so a new worker does not start with a long job. Idempotent."""
    if periodic_task not in PERIODIC:
        PERIODIC.append(periodic_task)
    if nightly and periodic_task not in NIGHTLY:
        NIGHTLY.append(periodic_task)
