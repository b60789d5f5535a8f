"""One bad record fails alone, with its file and line, and the dry run finds the same failures
without writing; whatever fails, the run ends with a status and no traceback."""

import io
import json
import tempfile
import threading
from io import StringIO
from pathlib import Path
from unittest import mock

from PIL import Image

from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.db import DataError, connection
from django.test import TestCase
from django.urls import reverse

from glossary.models import GlossaryTermPage
from importer.applying import Writer
from importer.locking import import_lock
from importer.models import ImportJob, ImportRun
from pulse.models import PulseArticlePage

from .helpers import ImportTestMixin, article_text, term_text

URL = "/admin/import-fixtures/"


def png_bytes(size=(64, 48)):
    out = io.BytesIO()
    Image.effect_noise(size, 40).convert("RGB").save(out, format="PNG")
    return out.getvalue()


def jpeg_bytes(size=(64, 48)):
    out = io.BytesIO()
    Image.effect_noise(size, 40).convert("RGB").save(out, format="JPEG")
    return out.getvalue()


def failures(report):
    return sorted(
        (entry["path"].rsplit("/", 1)[-1], entry["line"], entry["label"], entry["detail"])
        for entry in report["files"]
        if entry["verb"] == "failed"
    )


def written(report, verb):
    return sorted(
        entry["path"].rsplit("/", 1)[-1] for entry in report["files"] if entry["verb"] == verb
    )


class BadRecordTests(ImportTestMixin, TestCase):
    def write_folder(self):
        """Good records and bad ones: each bad one for a reason only the database side knows."""
        self.write("images/whole.png", png_bytes())
        self.write("images/cut.png", png_bytes()[:300])
        self.write("images/cut.jpg", jpeg_bytes()[:200])
        self.write("glossary/good-1.txt", term_text(key="good1", name="Service level"))
        self.write("glossary/good-2.txt", term_text(key="good2", name="Error budget"))
        self.write("pulse/good-article.md", article_text())
        self.write(
            "pulse/whole-image.md",
            article_text(title="Whole picture", slug="whole-picture").replace(
                "/data_operations_boardroom.jpg", "/whole.png"
            ),
        )
        # The term id column holds 64 characters.
        self.write("glossary/long-id.txt", term_text(key="k" * 65, name="Long id"))
        # A page title holds 255.
        long_name = "Word " * 60
        self.write(
            "glossary/long-title.txt",
            term_text(key="longtitle", name="Long").replace("name: Long\n", f"name: {long_name}\n"),
        )
        # A truncated PNG as an article's image, a truncated JPEG as a card's.
        self.write(
            "pulse/cut-image.md",
            article_text(title="Cut picture", slug="cut-picture").replace(
                "/data_operations_boardroom.jpg", "/cut.png"
            ),
        )
        self.write(
            "glossary/cut-card.txt",
            term_text(key="cutcard", name="Cut card").replace(
                "/data_operations_boardroom.jpg", "/cut.jpg"
            ),
        )
        # A slug longer than a redirect's old path holds (the page's own slug is cut to fit).
        self.write(
            "glossary/long-slug.txt",
            term_text(key="longslug", name="Long slug", slug_line=f"slug: {'s' * 300}\n"),
        )
        # The same name twice: the second file's page would have the first one's address.
        self.write("glossary/same-slug.txt", term_text(key="clash", name="Error budget"))

    def test_bad_records_fail_alone_identically_in_the_dry_run_and_the_import(self):
        self.write_folder()
        output, error = self.run_failing(dry_run=True, format="json")
        dry = json.loads(output)
        self.assertIn("6 file(s) failed", error)
        self.assertFalse(GlossaryTermPage.objects.exists(), "a dry run writes nothing")

        output, error = self.run_failing(format="json")
        done = json.loads(output)
        self.assertIn("6 file(s) failed", error)

        expected_lines = {
            "long-id.txt": 2,  # id:
            "long-title.txt": 3,  # name:
            "cut-image.md": 6,  # image:
            "cut-card.txt": 13,  # the card's '{'
            "long-slug.txt": 4,  # slug:
            "same-slug.txt": 3,  # name:, which gives the slug
        }
        self.assertEqual(failures(dry), failures(done))
        self.assertEqual({name: line for name, line, _, _ in failures(done)}, expected_lines)
        reasons = {name: detail for name, _, _, detail in failures(done)}
        self.assertIn("image '/cut.png'", reasons["cut-image.md"])
        self.assertIn("image '/cut.jpg'", reasons["cut-card.txt"])
        self.assertIn("title: 299 characters; at most 255", reasons["long-title.txt"])
        self.assertIn("/error-budget/ is already in use", reasons["same-slug.txt"])
        for detail in reasons.values():
            self.assertNotIn("Traceback", detail)

        good = ["good-1.txt", "good-2.txt", "good-article.md", "whole-image.md"]
        self.assertEqual(written(dry, "created"), good)
        self.assertEqual(written(done, "created"), good)
        self.assertEqual(
            sorted(GlossaryTermPage.objects.values_list("term_id", flat=True)), ["good1", "good2"]
        )
        self.assertEqual(
            sorted(PulseArticlePage.objects.values_list("slug", flat=True)),
            ["uptime-explained", "whole-picture"],
        )
        self.assertEqual(PulseArticlePage.objects.get(slug="whole-picture").hero_image.width, 64)
        run = ImportRun.objects.get()
        self.assertEqual((run.status, run.counts["failed"]), (ImportRun.Status.FINISHED, 6))

    def test_a_database_error_of_one_record_fails_that_record_only(self):
        """What the plan cannot foresee (here a DataError raised for one record) rolls back that
        record alone; the cards and sections it made are not reused by the records after it."""
        self.write("a.txt", term_text(key="a1", name="Alpha", cards=("first-card",)))
        self.write("b.txt", term_text(key="b1", name="Beta", cards=("shared-card",)))
        self.write("c.txt", term_text(key="c1", name="Gamma", cards=("shared-card",)))
        self.run_import()
        for name in ("a.txt", "b.txt", "c.txt"):
            self.write(name, (self.dir / name).read_text().replace("measured", "measured daily"))
        real_apply = Writer.apply

        def apply(writer, action):
            page = real_apply(writer, action)
            if action.record.key == "b1":
                raise DataError("value too long for type character varying(64)\nCONTEXT: ...")
            return page

        with mock.patch.object(Writer, "apply", apply):
            output, error = self.run_failing(format="json")
        report = json.loads(output)
        self.assertEqual(
            failures(report),
            [
                (
                    "b.txt",
                    1,
                    "term 'Beta'",
                    "DataError: value too long for type character varying(64)",
                )
            ],
        )
        self.assertEqual(written(report, "updated"), ["a.txt", "c.txt"])
        self.assertIn("1 file(s) failed", error)
        self.assertNotIn("daily", GlossaryTermPage.objects.get(term_id="b1").content_raw)
        self.assertIn("daily", GlossaryTermPage.objects.get(term_id="c1").content_raw)
        self.assertEqual(ImportRun.objects.latest("started_at").status, ImportRun.Status.FINISHED)

    def test_a_crash_ends_the_run_failed_without_a_traceback(self):
        self.write("a.txt", term_text(key="a1", name="Alpha"))
        with (
            mock.patch.object(Writer, "finish", side_effect=OSError("No space left on device")),
            self.assertLogs("importer", "ERROR"),
        ):
            output, error = self.run_failing(format="json")
        self.assertEqual(
            error, "The import stopped before its end: OSError: No space left on device"
        )
        self.assertEqual(json.loads(output)["stopped"], "OSError: No space left on device")
        run = ImportRun.objects.get()
        self.assertEqual(run.status, ImportRun.Status.FAILED)
        self.assertIsNotNone(run.finished_at)
        self.assertFalse(ImportRun.objects.filter(status=ImportRun.Status.RUNNING).exists())

    def test_the_next_run_finishes_what_a_failed_run_left(self):
        """A run stopped by an error may have written batches before it: the next run does
        their follow-up (letters, related terms, caches) and says the failed run is done."""
        self.write("a.txt", term_text(key="a1", name="Alpha"))
        self.run_import()
        failed = ImportRun.objects.create(status=ImportRun.Status.FAILED)
        self.run_import()  # every file unchanged
        failed.refresh_from_db()
        self.assertEqual(failed.status, ImportRun.Status.INTERRUPTED)


class HeldLock:
    """The import lock held by another connection, as a running import holds it."""

    def __enter__(self):
        self.taken, self.release = threading.Event(), threading.Event()
        self.thread = threading.Thread(target=self.hold)
        self.thread.start()
        assert self.taken.wait(30), "could not take the lock"
        return self

    def hold(self):
        try:
            with import_lock(timeout=0):
                self.taken.set()
                self.release.wait(60)
        finally:
            connection.close()

    def __exit__(self, *exc):
        self.release.set()
        self.thread.join()


class AdminLockTests(TestCase):
    def setUp(self):
        cache.clear()
        boss = get_user_model().objects.create_superuser("boss", "boss@example.com", "pw")
        self.client.force_login(boss)

    def test_no_request_waits_for_a_running_import(self):
        upload = SimpleUploadedFile("t1.txt", term_text().encode())
        with HeldLock():
            # The task runs when the request's transaction commits, then the page is read.
            with self.captureOnCommitCallbacks(execute=True):
                checked = self.client.post(URL, {"files": [upload]})
            checked = self.client.get(checked.url)
            dry_run = ImportJob.objects.get()
            confirm = reverse("importer_job_confirm", args=[dry_run.pk])
            with self.captureOnCommitCallbacks(execute=True):
                confirmed = self.client.post(confirm)
            confirmed = self.client.get(confirmed.url)
        # The dry run reads without the lock.
        self.assertContains(checked, "What the import would do")
        self.assertContains(checked, "would be created")
        # The import (here run at once, by the immediate backend, which cannot retry later)
        # says that another one is running, and keeps the upload to try again.
        self.assertContains(confirmed, "another import is running")
        self.assertNotContains(confirmed, "What the import did")
        self.assertFalse(GlossaryTermPage.objects.exists())
        self.assertFalse(ImportRun.objects.exists())
        self.assertContains(
            self.client.get(reverse("importer_job", args=[dry_run.pk])), "Try the import again"
        )

        with self.captureOnCommitCallbacks(execute=True):
            done = self.client.post(confirm)
        self.assertContains(self.client.get(done.url), "1 created")

    def test_the_commands_dry_run_does_not_take_the_lock(self):
        out = StringIO()
        with HeldLock(), tempfile.TemporaryDirectory() as folder:
            (Path(folder) / "t1.txt").write_text(term_text())
            call_command("import_fixtures", folder, dry_run=True, stdout=out)
        self.assertIn("would be created", out.getvalue())
