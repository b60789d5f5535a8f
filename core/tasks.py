"""The site's periodic tasks, run by the worker (``manage.py worker``): no cron needed."""

from io import StringIO

from django_tasks import task

from django.conf import settings
from django.core.management import call_command

from glossary.tasks import recompute_all_neighbourhoods

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


PERIODIC = [publish_scheduled_pages, recompute_all_neighbourhoods]
# First run at night (settings.NIGHTLY_HOUR), then every day.
NIGHTLY = [recompute_all_neighbourhoods]
