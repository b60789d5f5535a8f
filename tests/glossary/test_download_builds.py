"""The glossary's downloads built by the worker into media storage in chunks, streamed, never
built on a request; withdrawn terms never served from an older build."""

import re
from unittest import mock

import pytest

from django.core.cache import cache
from django.core.files.storage import default_storage
from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext

from wagtail.models import PageViewRestriction

from glossary import downloads
from glossary.models import DownloadBuild, GlossaryTermPage
from tests.core.test_queue import DATABASE_QUEUE, run_due_tasks, statuses
from tests.factories import GlossaryTermPageFactory
from tests.glossary.downloads_case import BASE, DownloadTestCase, body

REBUILD = "glossary.tasks.rebuild_downloads"


def neighbour_reads(captured):
    return [q["sql"] for q in captured if "glossary_termneighbour" in q["sql"]]


class DownloadBuildTests(DownloadTestCase):
    def test_the_build_holds_one_chunk_of_terms_at_a_time(self):
        """Rows stream from one query; each chunk's related terms come from a query of its
        own, for that chunk's terms only: no step reads the whole glossary at once."""
        index = downloads._live_index()
        with CaptureQueriesContext(connection) as captured:
            chunks = list(downloads.term_chunks(index, f"{BASE}/glossary/", chunk_size=2))
        self.assertEqual([len(chunk) for chunk in chunks], [2, 1])
        reads = neighbour_reads(captured)
        self.assertEqual(len(reads), 2)
        for read, chunk in zip(reads, [["lt-1", "x-2"], ["om-3"]], strict=True):
            asked = re.search(r'"term_id" IN \(([^)]*)\)', read).group(1).split(",")
            pks = GlossaryTermPage.objects.filter(term_id__in=chunk).values_list("pk", flat=True)
            self.assertEqual({int(pk) for pk in asked}, set(pks))
        self.assertEqual(chunks[0][0].related, (("Ωμέγα", f"{BASE}/glossary/omega/"),))

    def test_a_download_is_a_file_in_media_storage_streamed_with_validators(self):
        build = downloads.rebuild()
        for name in downloads.FORMATS:
            entry = build.files[name]
            self.assertEqual(entry["name"], f"{build.folder}/glossary.{name}")
            self.assertTrue(build.folder.startswith("downloads/"))
            with default_storage.open(entry["name"], "rb") as stored:
                self.assertEqual(len(stored.read()), entry["size"])
            response = self.download(name)
            self.assertTrue(response.streaming)
            self.assertEqual(int(response["Content-Length"]), entry["size"])
            self.assertEqual(response["ETag"], f'"{entry["sha256"]}"')
            self.assertIn("current", response["X-Downloads-Build"])
            self.assertIn("public", response["Cache-Control"])
            self.assertIn("max-age=60", response["Cache-Control"])
            with CaptureQueriesContext(connection) as captured:
                again = self.client.get(
                    f"/glossary/download/glossary.{name}",
                    headers={"If-None-Match": response["ETag"]},
                )
            self.assertEqual(again.status_code, 304)
            self.assertEqual(again["ETag"], response["ETag"])
            self.assertIn("max-age=60", again["Cache-Control"])
            self.assertEqual(len(captured), 1)  # which build is newest
            since = self.client.get(
                f"/glossary/download/glossary.{name}",
                headers={"If-Modified-Since": response["Last-Modified"]},
            )
            self.assertEqual(since.status_code, 304)

    def test_a_request_never_builds_and_reads_one_row(self):
        downloads.rebuild()
        self.content("csv")  # the Site, looked up once and cached
        for name in downloads.FORMATS:
            with CaptureQueriesContext(connection) as captured:
                self.content(name)
            self.assertEqual(len(captured), 1, [q["sql"] for q in captured])
            self.assertEqual(neighbour_reads(captured), [])

    def test_a_term_change_rebuilds_every_file_before_a_visitor_asks(self):
        old = downloads.rebuild()
        self.assertNotIn("Omega point", self.content("csv").decode("utf-8-sig"))
        with (
            override_settings(DOWNLOADS_REBUILD="inline"),
            self.captureOnCommitCallbacks(execute=True),
        ):
            self.publish_title(self.greek, "Omega point")
        self.assertNotEqual(downloads.newest_build().pk, old.pk)
        for name in downloads.FORMATS:
            with CaptureQueriesContext(connection) as captured:
                response = self.download(name)
                content = body(response).decode("utf-8-sig")
            self.assertIn("Omega point", content)
            self.assertIn("current", response["X-Downloads-Build"])
            self.assertEqual(neighbour_reads(captured), [], f"glossary.{name} built on request")

    @override_settings(TASKS=DATABASE_QUEUE)
    def test_with_no_build_yet_a_503_asks_the_queue_once(self):
        for name in downloads.FORMATS:
            response = self.client.get(f"/glossary/download/glossary.{name}")
            self.assertEqual(response.status_code, 503)
            self.assertEqual(response["Retry-After"], str(downloads.RETRY_AFTER))
            self.assertEqual(response["Cache-Control"], "no-store")
        self.assertEqual(statuses(REBUILD), ["READY"])  # three requests, one run
        run_due_tasks()
        self.assertEqual(statuses(REBUILD), ["SUCCESSFUL"])
        self.assertIn("Lead time", self.content("csv").decode("utf-8-sig"))

    @override_settings(TASKS=DATABASE_QUEUE)
    def test_a_build_behind_the_content_is_served_marked_and_uncached_until_the_worker_runs(self):
        old = downloads.rebuild()
        self.publish_title(self.greek, "Omega point")  # DOWNLOADS_REBUILD off: nothing asked
        GlossaryTermPageFactory(title="Not yet", slug="not-yet", live=False)  # new, hidden
        self.assertEqual(statuses(REBUILD), [])
        for _ in range(3):
            response = self.download("csv")
            self.assertNotIn("Omega point", body(response).decode("utf-8-sig"))
            self.assertEqual(response["X-Downloads-Build"], f"{old.started_at.isoformat()}; behind")
            self.assertEqual(response["Cache-Control"], "public, no-cache")
        self.assertEqual(statuses(REBUILD), ["READY"])  # asked once by three requests
        run_due_tasks()
        response = self.download("csv")
        self.assertIn("Omega point", body(response).decode("utf-8-sig"))
        self.assertIn("current", response["X-Downloads-Build"])

    @override_settings(TASKS=DATABASE_QUEUE, DOWNLOAD_RATE_LIMIT="100/60")
    def test_a_term_that_left_public_view_is_never_served_from_an_older_build(self):
        """Made private, unpublished or deleted after the newest build: until the rebuild has
        run, a 503 rather than a file that shows it."""
        downloads.rebuild()
        withdrawals = [
            (
                "x-2",
                lambda: PageViewRestriction.objects.create(
                    page=self.formula, restriction_type=PageViewRestriction.LOGIN
                ),
            ),
            ("om-3", lambda: GlossaryTermPage.objects.get(pk=self.greek.pk).unpublish()),
            ("lt-1", lambda: GlossaryTermPage.objects.get(pk=self.lead.pk).delete()),
        ]
        for term_id, withdraw in withdrawals:
            self.assertIn(f"\r\n{term_id},", self.content("csv").decode("utf-8-sig"))
            withdraw()
            for name in downloads.FORMATS:
                response = self.client.get(f"/glossary/download/glossary.{name}")
                self.assertEqual(response.status_code, 503, (term_id, name))
                self.assertEqual(response["Retry-After"], str(downloads.RETRY_AFTER))
            self.assertIn("READY", statuses(REBUILD))
            run_due_tasks()
            self.assertNotIn(f"\r\n{term_id},", self.content("csv").decode("utf-8-sig"))

    @override_settings(TASKS=DATABASE_QUEUE)
    def test_past_the_hidden_terms_it_remembers_any_change_counts_as_a_withdrawal(self):
        with mock.patch.object(downloads, "HIDDEN_LIMIT", 1):  # a draft and a private term
            self.assertIsNone(downloads.rebuild().guard["hidden"])
        self.publish_title(self.greek, "Omega point")
        self.assertEqual(self.client.get("/glossary/download/glossary.csv").status_code, 503)

    def test_a_glossary_made_private_has_no_downloads(self):
        build = downloads.rebuild()
        PageViewRestriction.objects.create(
            page=self.lead.get_parent(), restriction_type=PageViewRestriction.LOGIN
        )
        with override_settings(TASKS=DATABASE_QUEUE):  # the worker has not run yet
            self.assertEqual(self.client.get("/glossary/download/glossary.csv").status_code, 503)
        downloads.rebuild()
        self.assertEqual(self.client.get("/glossary/download/glossary.csv").status_code, 404)
        for entry in build.files.values():  # the files that showed it are gone at once
            self.assertFalse(default_storage.exists(entry["name"]))

    def test_the_rebuild_reads_the_terms_once_for_every_format_and_then_nothing(self):
        with CaptureQueriesContext(connection) as captured:
            build = downloads.rebuild()
        self.assertEqual(len(neighbour_reads(captured)), 2)  # two chunks, all three formats
        self.assertEqual(build.term_count, 3)
        with CaptureQueriesContext(connection) as captured:
            self.assertEqual(downloads.rebuild(), build)  # current: nothing read
        self.assertEqual(neighbour_reads(captured), [])

    def test_two_builds_are_kept_and_older_files_deleted(self):
        builds = []
        for number in range(3):
            builds.append(downloads.rebuild())
            self.publish_title(self.greek, f"Omega {number}")
        self.assertEqual(
            set(DownloadBuild.objects.values_list("pk", flat=True)), {builds[1].pk, builds[2].pk}
        )
        for entry in builds[0].files.values():
            self.assertFalse(default_storage.exists(entry["name"]))
        self.assertFalse(default_storage.exists(builds[0].folder))
        for entry in builds[1].files.values():
            self.assertTrue(default_storage.exists(entry["name"]))

    def test_files_lost_from_storage_give_a_503_and_the_next_build_writes_them(self):
        build = downloads.rebuild()
        default_storage.delete(build.files["csv"]["name"])
        with override_settings(TASKS=DATABASE_QUEUE):
            response = self.client.get("/glossary/download/glossary.csv")
            self.assertEqual(response.status_code, 503)
            self.assertEqual(statuses(REBUILD), ["READY"])
        self.assertNotEqual(downloads.rebuild().pk, build.pk)  # tokens current, file missing
        self.assertIn("Lead time", self.content("csv").decode("utf-8-sig"))

    def test_the_index_links_every_download(self):
        html = self.client.get("/glossary/").content.decode()
        for name in ("csv", "ttl", "jsonld"):
            self.assertIn(f'href="/glossary/download/glossary.{name}"', html)

    def test_other_names_are_not_found(self):
        for name in ("tbx", "csv/../../x", "", "CSV"):
            self.assertEqual(
                self.client.get(f"/glossary/download/glossary.{name}").status_code, 404
            )


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_rebuild_task_reads_the_committed_change(settings):
    """In production the worker rebuilds, once the change has committed (the immediate
    backend runs the task where the database backend's worker would)."""
    settings.DOWNLOADS_REBUILD = "task"
    cache.clear()
    term = GlossaryTermPageFactory(title="Takt time", slug="takt-time", term_id="tt-1")
    term.title = "Takt time (TT)"
    term.save_revision().publish()
    build = downloads.newest_build()
    assert build.tokens == downloads._tokens()
    for name, entry in build.files.items():
        with default_storage.open(entry["name"], "rb") as stored:
            assert "Takt time (TT)" in stored.read().decode("utf-8-sig"), name
