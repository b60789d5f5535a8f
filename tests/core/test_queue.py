"""The task queue: Wagtail's tasks and ours go through it, scheduled publishing runs in the
worker, work that follows a change is coalesced, and a real worker process runs the queue."""

import datetime
import os
import re
import signal
import subprocess
import sys
import time
from unittest import mock

import pytest
from django_tasks_db.management.commands.db_worker import Worker
from django_tasks_db.models import DBTaskResult

from django.core.cache import cache
from django.test import TestCase, override_settings
from django.utils import timezone

from core import queue
from core.tasks import publish_scheduled_pages
from glossary import linking
from glossary.models import GlossaryTermPage, TermNeighbour
from tests import servers
from tests.factories import GlossaryTermPageFactory, ImageFactory

DATABASE_QUEUE = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}
RECOMPUTE = "glossary.tasks.recompute_neighbourhood"
DOWNLOADS = "glossary.tasks.rebuild_downloads"
PUBLISH = "core.tasks.publish_scheduled_pages"


def run_due_tasks():
    """Run every task that is due, in this process, as ``manage.py worker --batch`` would
    (without closing the connection between tasks: it holds the test's transaction)."""
    with mock.patch(f"{Worker.__module__}.close_old_connections"):
        _batch_worker().run()


def _batch_worker():
    return Worker(
        queue_names=["default"],
        interval=0,
        batch=True,
        backend_name="default",
        startup_delay=False,
        max_tasks=None,
        worker_id="test",
        excluded_queue_names=[],
    )


def statuses(task_path):
    return list(DBTaskResult.objects.filter(task_path=task_path).values_list("status", flat=True))


def related_ids(term):
    return list(
        TermNeighbour.objects.filter(term=term, kind=TermNeighbour.RELATED)
        .order_by("position")
        .values_list("other_id", flat=True)
    )


def load_settings(module, **env):
    environment = {k: v for k, v in os.environ.items() if k != "TASKS_BACKEND"}
    environment.update(env, DJANGO_SETTINGS_MODULE=module)
    return subprocess.run(  # noqa: S603 - our own interpreter and a fixed script
        [
            sys.executable,
            "-c",
            "import django; django.setup(); from django.conf import settings; "
            "print(settings.TASKS['default']['BACKEND'])",
        ],
        cwd=servers.ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_the_site_queues_in_its_database_unless_told_otherwise():
    assert load_settings("config.settings.dev").stdout.strip() == "django_tasks_db.DatabaseBackend"
    immediate = load_settings("config.settings.dev", TASKS_BACKEND="immediate")
    assert immediate.stdout.strip() == "django_tasks.backends.immediate.ImmediateBackend"
    wrong = load_settings("config.settings.dev", TASKS_BACKEND="rq")
    assert wrong.returncode != 0
    assert "TASKS_BACKEND must be one of database, immediate, not 'rq'" in wrong.stderr


@override_settings(TASKS=DATABASE_QUEUE)
class WagtailTasksTests(TestCase):
    def test_wagtails_own_work_goes_through_the_queue(self):
        image = ImageFactory()
        with (
            override_settings(
                WAGTAILFRONTENDCACHE={
                    "varnish": {
                        "BACKEND": "wagtail.contrib.frontend_cache.backends.HTTPBackend",
                        "LOCATION": f"http://127.0.0.1:{servers.free_port()}",
                    }
                }
            ),
            self.captureOnCommitCallbacks(execute=True),
        ):
            term = GlossaryTermPageFactory(title="Lead time", slug="lead-time")
            term.save_revision().publish()
        for path in (
            "wagtail.tasks.update_reference_index_task",
            "modelsearch.tasks.insert_or_update_object_task",
            # The front cache's purge: ours, coalesced (it calls Wagtail's purge in the worker).
            "core.refresh.purge_front_cache",
        ):
            self.assertIn("READY", statuses(path), path)
        run_due_tasks()
        self.assertEqual(DBTaskResult.objects.exclude(status="SUCCESSFUL").count(), 0)
        with self.captureOnCommitCallbacks(execute=True):
            image.delete()
        self.assertIn("READY", statuses("wagtail.tasks.delete_file_from_storage_task"))
        run_due_tasks()
        self.assertEqual(DBTaskResult.objects.exclude(status="SUCCESSFUL").count(), 0)


class ScheduledPublishingTests(TestCase):
    def test_the_periodic_task_publishes_what_is_due_and_unpublishes_what_expired(self):
        scheduled = GlossaryTermPageFactory(title="Due term", slug="due-term", live=False)
        scheduled.save_revision(approved_go_live_at=timezone.now() - datetime.timedelta(minutes=1))
        expired = GlossaryTermPageFactory(title="Old term", slug="old-term")
        GlossaryTermPage.objects.filter(pk=expired.pk).update(
            expire_at=timezone.now() - datetime.timedelta(minutes=1)
        )
        publish_scheduled_pages.enqueue()  # the immediate backend: run now
        self.assertTrue(GlossaryTermPage.objects.get(pk=scheduled.pk).live)
        self.assertFalse(GlossaryTermPage.objects.get(pk=expired.pk).live)

    @override_settings(TASKS=DATABASE_QUEUE, PUBLISH_SCHEDULED_EVERY=60)
    def test_the_worker_keeps_one_run_waiting(self):
        scheduled = GlossaryTermPageFactory(title="Due term", slug="due-term", live=False)
        scheduled.save_revision(approved_go_live_at=timezone.now() - datetime.timedelta(minutes=1))
        queue.ensure_periodic()  # what `manage.py worker` does first
        queue.ensure_periodic()  # a second worker starting: still one run waiting
        self.assertEqual(statuses(PUBLISH), ["READY"])
        run_due_tasks()
        self.assertTrue(GlossaryTermPage.objects.get(pk=scheduled.pk).live)
        self.assertEqual(sorted(statuses(PUBLISH)), ["READY", "SUCCESSFUL"])
        following = DBTaskResult.objects.get(task_path=PUBLISH, status="READY")
        self.assertGreater(following.run_after, timezone.now() + datetime.timedelta(seconds=50))
        queue.ensure_periodic()
        self.assertEqual(len(statuses(PUBLISH)), 2)

    @override_settings(TASKS=DATABASE_QUEUE, NIGHTLY_HOUR=3, TIME_ZONE="Europe/London")
    def test_a_new_worker_leaves_the_full_recompute_for_the_night(self):
        """Publishing is due at once; the glossary-sized recompute waits for 03:00."""
        before = timezone.now()
        queue.ensure_periodic()
        due_now = DBTaskResult.objects.ready().filter(task_path=PUBLISH)
        self.assertEqual(due_now.count(), 1)
        nightly = DBTaskResult.objects.get(
            task_path="glossary.tasks.recompute_all_neighbourhoods", status="READY"
        )
        due = timezone.localtime(nightly.run_after)
        self.assertEqual((due.hour, due.minute), (3, 0))
        self.assertGreater(nightly.run_after, before)
        self.assertFalse(DBTaskResult.objects.ready().filter(pk=nightly.pk).exists())
        self.assertLessEqual(nightly.run_after, before + datetime.timedelta(days=1))

    def test_seconds_until_an_hour(self):
        at = datetime.datetime(2026, 12, 1, 2, 30, tzinfo=datetime.UTC)
        with self.settings(TIME_ZONE="UTC"):
            self.assertEqual(queue.seconds_until_hour(3, at), 30 * 60)
            self.assertEqual(queue.seconds_until_hour(2, at), 23 * 3600 + 30 * 60)
            self.assertEqual(queue.seconds_until_hour(2, at.replace(minute=0)), 24 * 3600)
        # London's clocks go forward at 01:00 UTC on 29 March 2026: 03:00 is 02:00 UTC.
        spring = datetime.datetime(2026, 3, 29, 0, 30, tzinfo=datetime.UTC)
        with self.settings(TIME_ZONE="Europe/London"):
            self.assertEqual(queue.seconds_until_hour(3, spring), 90 * 60)


@override_settings(RELATED_RECOMPUTE="task", DOWNLOADS_REBUILD="task")
class WorkAfterAChangeTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        with override_settings(RELATED_RECOMPUTE="inline"):
            cls.term = GlossaryTermPageFactory(
                title="Capacity planning",
                slug="capacity-planning",
                key_questions=[("question", "How does capacity planning reduce backlog?")],
            )
            cls.similar = GlossaryTermPageFactory(
                title="Backlog management",
                slug="backlog-management",
                description="Keeping the backlog and capacity in step.",
            )
            # Between the first term and the next one A to Z: "Queueing" is not its neighbour.
            GlossaryTermPageFactory(
                title="Delivery", slug="delivery", description="Shipping.", key_questions=[]
            )
            cls.other = GlossaryTermPageFactory(
                title="Queueing", slug="queueing", description="Waiting lines.", key_questions=[]
            )

    def setUp(self):
        cache.clear()

    def test_the_recompute_runs_after_commit_and_invalidates_the_pages_it_changes(self):
        """A term given key questions that share the first term's words becomes related to
        it: the editor's request does not recompute the glossary; the task does, after commit,
        and only then does the first term's page render afresh."""
        linking.refresh_vocabulary()  # as after any earlier change (the cache was cleared)
        self.client.get(self.term.url)
        other = GlossaryTermPage.objects.get(pk=self.other.pk)
        other.key_questions = [("question", "Why does capacity planning shorten a backlog?")]
        with self.captureOnCommitCallbacks() as callbacks:
            other.save_revision().publish()
        self.assertNotIn(other.pk, related_ids(self.term))
        self.assertEqual(self.client.get(self.term.url)["X-Page-Cache"], "hit")
        for callback in callbacks:
            callback()  # the commit: the task runs (immediate backend)
        self.assertIn(other.pk, related_ids(self.term))
        response = self.client.get(self.term.url)
        self.assertEqual(response["X-Page-Cache"], "miss")
        self.assertContains(response, 'href="/glossary/queueing/"')

    @override_settings(TASKS=DATABASE_QUEUE)
    def test_ten_publishes_cause_one_recompute_and_one_rebuild(self):
        page = GlossaryTermPage.objects.get(pk=self.similar.pk)
        for number in range(10):
            page.title = f"Backlog management {number}"
            with self.captureOnCommitCallbacks(execute=True):
                page.save_revision().publish()
        self.assertEqual(statuses(RECOMPUTE), ["READY"])
        self.assertEqual(statuses(DOWNLOADS), ["READY"])
        run_due_tasks()
        self.assertEqual(statuses(RECOMPUTE), ["SUCCESSFUL"])
        self.assertEqual(statuses(DOWNLOADS), ["SUCCESSFUL"])
        self.assertIn(
            "Backlog management 9",
            self.client.get("/glossary/download/glossary.csv").getvalue().decode(),  # streamed
        )
        with self.captureOnCommitCallbacks(execute=True):
            page.save_revision().publish()  # after the run started: a run of its own
        self.assertEqual(sorted(statuses(RECOMPUTE)), ["READY", "SUCCESSFUL"])

    @override_settings(TASKS=DATABASE_QUEUE)
    def test_no_page_links_to_a_term_that_left_while_the_recompute_waits(self):
        self.assertIn(self.similar.pk, related_ids(self.term))
        with self.captureOnCommitCallbacks(execute=True):
            GlossaryTermPage.objects.get(pk=self.similar.pk).unpublish()
        self.assertEqual(statuses(RECOMPUTE), ["READY"])  # the worker has not run yet
        response = self.client.get(self.term.url)
        self.assertEqual(response.status_code, 200)
        self.assertNotContains(response, "/glossary/backlog-management/")
        self.assertFalse(TermNeighbour.objects.filter(other=self.similar).exists())


def _wait_until(condition, seconds=60):
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, "the worker did not do it in time"
        time.sleep(0.2)


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_worker_process_runs_the_queue(settings, tmp_path):
    """``manage.py worker`` against the test database: it schedules and runs scheduled
    publishing, and recomputes related terms after an editor's change."""
    settings.TASKS = DATABASE_QUEUE
    settings.RELATED_RECOMPUTE = "task"
    cache.clear()
    term = GlossaryTermPageFactory(
        title="Capacity planning",
        slug="capacity-planning",
        key_questions=[("question", "How does capacity planning reduce backlog?")],
    )
    scheduled = GlossaryTermPageFactory(title="Due term", slug="due-term", live=False)
    scheduled.save_revision(approved_go_live_at=timezone.now() - datetime.timedelta(minutes=1))
    worker = servers.start_worker(tmp_path / "cache")
    try:
        similar = GlossaryTermPageFactory(
            title="Backlog management",
            slug="backlog-management",
            description="Keeping the backlog and capacity in step.",
        )
        _wait_until(lambda: similar.pk in related_ids(term))
        _wait_until(lambda: GlossaryTermPage.objects.get(pk=scheduled.pk).live)
        _wait_until(lambda: "SUCCESSFUL" in statuses(RECOMPUTE))
        # Published by the first run, which enqueued the next (in a minute) when it started.
        _wait_until(lambda: sorted(statuses(PUBLISH)) == ["READY", "SUCCESSFUL"])
    finally:
        worker.send_signal(signal.SIGTERM)
        _, errors = worker.communicate(timeout=30)
    assert worker.returncode == 0, errors.decode()
    assert DBTaskResult.objects.filter(status="FAILED").count() == 0


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_run_site_serves_with_a_worker_and_stops_both(tmp_path):
    """``make run``'s last step: the site and a worker; SIGTERM (or Ctrl-C) stops both."""
    scheduled = GlossaryTermPageFactory(title="Due term", slug="due-term", live=False)
    scheduled.save_revision(approved_go_live_at=timezone.now() - datetime.timedelta(minutes=1))
    port = servers.free_port()
    env = servers.server_env({"CACHE_DIR": str(tmp_path / "cache")}, TASKS_BACKEND="database")
    launcher = subprocess.Popen(  # noqa: S603 - our own command
        [sys.executable, "manage.py", "run_site", f"127.0.0.1:{port}"],
        cwd=servers.ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    try:
        started = launcher.stdout.readline()
        pids = [int(pid) for pid in re.findall(r"pid (\d+)", started)]
        assert len(pids) == 2, started
        servers.wait_for(f"http://127.0.0.1:{port}/robots.txt")
        _wait_until(lambda: GlossaryTermPage.objects.get(pk=scheduled.pk).live)  # the worker
    finally:
        launcher.send_signal(signal.SIGTERM)
        launcher.wait(timeout=30)
    for pid in pids:
        with pytest.raises(ProcessLookupError):
            os.kill(pid, 0)
