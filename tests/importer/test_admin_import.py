"""Importing from the admin: the same pipeline, run as a job on the task queue (a dry run
first, then the import the moderator confirms), with its progress on the job's page, and only
for those allowed."""

import io
import stat
import tempfile
import threading
import zipfile
from pathlib import Path
from unittest import mock

from django_tasks_db.models import DBTaskResult

from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.db import connection
from django.test import TestCase, override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from glossary.models import GlossaryTermPage
from importer import jobs
from importer.locking import import_lock
from importer.models import ImportJob, ImportRun

from ..core.test_queue import DATABASE_QUEUE, run_due_tasks
from .helpers import FIXTURES, term_text, terms, user, zipped

URL = "/admin/import-fixtures/"
TASK = "importer.tasks.run_import_job"


class AdminImportTests(TestCase):
    def upload(self, *files, **options):
        with self.captureOnCommitCallbacks(execute=True):
            return self.client.post(URL, {"files": list(files), **options})

    def confirm(self, job):
        with self.captureOnCommitCallbacks(execute=True):
            return self.client.post(reverse("importer_job_confirm", args=[job.pk]))

    def job_of(self, response):
        self.assertEqual(response.status_code, 302, getattr(response, "content", b"")[:2000])
        job = ImportJob.objects.get(pk=response.url.rstrip("/").split("/")[-1])
        self.assertEqual(response.url, reverse("importer_job", args=[job.pk]))
        return job

    def progress(self, job):
        response = self.client.get(reverse("importer_job_progress", args=[job.pk]))
        self.assertEqual(response.status_code, 200)
        return response.json()

    def test_only_users_with_the_permission_see_it(self):
        self.client.force_login(user("ed", "Editors"))
        self.assertNotContains(self.client.get("/admin/"), URL)
        self.assertEqual(
            self.client.get(URL).status_code, 302
        )  # Wagtail's "permission denied" redirect
        self.client.force_login(user("mo", "Moderators"))
        self.assertContains(self.client.get("/admin/"), URL)
        self.assertContains(self.client.get(URL), 'type="file"')

    def test_150_files_are_checked_then_imported_as_jobs(self):
        self.client.force_login(user("mo", "Moderators"))
        dry_run = self.job_of(self.upload(*terms(150)))  # Django alone refuses over 100
        self.assertEqual(dry_run.kind, ImportJob.Kind.DRY_RUN)
        self.assertEqual(dry_run.status, ImportJob.Status.FINISHED, dry_run.message)
        self.assertFalse(GlossaryTermPage.objects.exists(), "a dry run writes nothing")
        self.assertEqual(
            self.progress(dry_run),
            self.progress(dry_run)
            | {
                "status": "finished",
                "files_total": 150,
                "files_done": 150,
                "created": 150,
                "updated": 0,
                "unchanged": 0,
                "failed": 0,
                "seconds_left": None,
            },
        )
        page = self.client.get(reverse("importer_job", args=[dry_run.pk]))
        self.assertContains(page, "What the import would do")
        self.assertContains(page, "would be created", count=150)
        self.assertContains(page, "Confirm import")
        self.assertContains(page, "importer/job.js")

        applied = self.job_of(self.confirm(dry_run))
        self.assertEqual((applied.kind, applied.dry_run), (ImportJob.Kind.APPLY, dry_run))
        self.assertEqual(applied.status, ImportJob.Status.FINISHED, applied.message)
        self.assertEqual(GlossaryTermPage.objects.count(), 150)
        progress = self.progress(applied)
        self.assertEqual((progress["files_done"], progress["created"]), (150, 150))
        page = self.client.get(reverse("importer_job", args=[applied.pk]))
        self.assertContains(page, "What the import did")
        self.assertContains(page, "150 created")
        term = GlossaryTermPage.objects.get(term_id="t7")
        self.assertContains(page, reverse("wagtailadmin_pages:edit", args=[term.pk]))
        self.assertContains(page, f'href="{term.url}"')
        self.assertEqual(term.imported_record.source_path, "uploads/t0007.txt")
        # The import deleted the upload; confirming again opens the same import.
        self.assertFalse(default_storage.exists(dry_run.files[0][1]))
        self.assertEqual(self.job_of(self.confirm(dry_run)), applied)

    def test_dry_run_report_names_files_lines_and_missing_articles(self):
        self.client.force_login(user("mo", "Moderators"))
        seed = (FIXTURES / "glossary" / "000_54b8be97246d5048.txt").read_bytes()
        job = self.job_of(
            self.upload(
                SimpleUploadedFile("000_54b8be97246d5048.txt", seed),
                SimpleUploadedFile(
                    "broken.txt", b'---\nid: b1\nname: Broken\nkey_words: ["a"\n---\n'
                ),
            )
        )
        response = self.client.get(reverse("importer_job", args=[job.pk]))
        self.assertContains(response, "What the import would do")
        self.assertContains(response, "would be created")
        self.assertContains(response, "uploads/broken.txt")
        self.assertContains(response, "line 4")
        self.assertContains(response, "broken list")
        # The kind's own notes, under their heading (importer.kinds.related.MISSING_ARTICLES).
        self.assertContains(response, "Cards whose Pulse article does not exist yet (shown")
        self.assertContains(response, "/pulse/elevating-workflows-with-ai-mavens-approach/")
        self.assertEqual((self.progress(job)["created"], self.progress(job)["failed"]), (1, 1))

    def test_the_report_says_what_changes_field_by_field_and_links_the_page(self):
        self.client.force_login(user("mo", "Moderators"))
        first = self.job_of(self.upload(SimpleUploadedFile("t1.txt", term_text().encode())))
        self.confirm(first)
        term = GlossaryTermPage.objects.get(term_id="t1")
        changed = term_text(name="Service level agreement").replace(
            "They are measured.", "They are measured every month."
        )
        job = self.job_of(self.upload(SimpleUploadedFile("t1.txt", changed.encode())))
        response = self.client.get(reverse("importer_job", args=[job.pk]))
        self.assertContains(response, "would be updated")
        self.assertContains(response, "title: “Service level” → “Service level agreement”")
        self.assertContains(response, "body: changed")
        self.assertContains(response, reverse("wagtailadmin_pages:edit", args=[term.pk]))
        self.assertContains(response, f'href="{term.url}"')
        self.assertEqual(GlossaryTermPage.objects.get(pk=term.pk).title, "Service level")

    def test_a_page_imported_from_elsewhere_is_linked_from_the_dry_run(self):
        """The page is the plan's (found by the record's key), not the one imported from the
        uploaded file's path: a term first imported by the command is linked too."""
        with tempfile.TemporaryDirectory() as tmp:
            folder = Path(tmp) / "glossary"
            folder.mkdir()
            (folder / "t1.txt").write_text(term_text(), encoding="utf-8")
            call_command("import_fixtures", tmp, stdout=io.StringIO())
        term = GlossaryTermPage.objects.get(term_id="t1")
        self.client.force_login(user("mo", "Moderators"))
        changed = term_text(name="Service level agreement")
        job = self.job_of(self.upload(SimpleUploadedFile("renamed.txt", changed.encode())))
        response = self.client.get(reverse("importer_job", args=[job.pk]))
        self.assertContains(response, "would be updated")
        self.assertContains(response, reverse("wagtailadmin_pages:edit", args=[term.pk]))

    def test_upload_as_draft(self):
        self.client.force_login(user("boss", superuser=True))
        job = self.job_of(
            self.upload(SimpleUploadedFile("t1.txt", term_text().encode()), draft="on")
        )
        self.confirm(job)
        self.assertFalse(GlossaryTermPage.objects.get(term_id="t1").live)

    def test_rejects_other_file_types(self):
        self.client.force_login(user("boss", superuser=True))
        response = self.upload(SimpleUploadedFile("photo.jpg", b"\xff\xd8"))
        self.assertContains(response, "only .md and .txt files can be imported")
        self.assertFalse(ImportJob.objects.exists())

    @override_settings(IMPORT_UPLOAD_MAX_BYTES=2000)
    def test_the_size_limit_is_a_setting(self):
        self.client.force_login(user("boss", superuser=True))
        response = self.upload(*terms(3))
        self.assertContains(response, "Upload at most 2.0")
        self.assertFalse(ImportJob.objects.exists())

    def test_a_zip_of_fixtures_in_folders(self):
        self.client.force_login(user("mo", "Moderators"))
        seed = (FIXTURES / "glossary" / "000_54b8be97246d5048.txt").read_bytes()
        archive = zipped(
            [
                ("fixtures/glossary/000_54b8be97246d5048.txt", seed),
                ("fixtures/glossary/t1.txt", term_text().encode()),
                ("fixtures/README.md", b"Notes, not a fixture."),
            ]
        )
        job = self.job_of(self.upload(archive))
        self.assertEqual((job.files_total, job.status), (2, ImportJob.Status.FINISHED))
        applied = self.job_of(self.confirm(job))
        self.assertEqual(applied.counts["created"], 2)
        term = GlossaryTermPage.objects.get(term_id="t1")
        self.assertEqual(term.imported_record.source_path, "uploads/fixtures/glossary/t1.txt")

    def test_a_zip_with_a_bad_member_is_refused_naming_it(self):
        self.client.force_login(user("mo", "Moderators"))
        good = ("ok.txt", term_text().encode())
        link = zipfile.ZipInfo("glossary/link.txt")
        link.external_attr = (stat.S_IFLNK | 0o777) << 16
        cases = {
            "../outside.txt": [good, ("../outside.txt", b"x")],
            "/etc/absolute.txt": [good, ("/etc/absolute.txt", b"x")],
            "glossary/link.txt": [good, (link, b"/etc/passwd")],
            "images/photo.jpg": [good, ("images/photo.jpg", b"\xff\xd8")],
            "bomb.txt": [good, ("bomb.txt", b"\0" * 5_000_000)],
            "twice.txt": [good, ("twice.txt", b"a"), ("twice.txt", b"b")],
        }
        for member, members in cases.items():
            with self.subTest(member):
                if member == "twice.txt":
                    with self.assertWarns(UserWarning):  # zipfile: "Duplicate name"
                        archive = zipped(members)
                else:
                    archive = zipped(members)
                response = self.upload(archive)
                self.assertEqual(response.status_code, 200)
                self.assertContains(response, f"{member}: ")
        response = self.upload(SimpleUploadedFile("fixtures.zip", b"PK not a zip"))
        self.assertContains(response, "fixtures.zip: not a readable zip file")
        response = self.upload(zipped([good]), SimpleUploadedFile("t2.txt", b"---\n"))
        self.assertContains(response, "Upload one .zip alone")
        with override_settings(IMPORT_UPLOAD_MAX_FILES=2):
            response = self.upload(zipped([good, ("b.txt", b"x"), ("c.txt", b"y")]))
            self.assertContains(response, "c.txt: the zip holds more than 2 fixture files")
        self.assertFalse(ImportJob.objects.exists())

    @override_settings(TASKS=DATABASE_QUEUE)
    def test_the_request_only_stores_and_enqueues(self):
        self.client.force_login(user("mo", "Moderators"))
        with CaptureQueriesContext(connection) as queries:
            job = self.job_of(self.upload(*terms(150)))
        self.assertEqual(job.status, ImportJob.Status.QUEUED)
        self.assertEqual(self.progress(job)["status"], "queued")
        self.assertEqual(job.files_done, 0)
        self.assertEqual(
            list(DBTaskResult.objects.values_list("task_path", "status")), [(TASK, "READY")]
        )
        self.assertFalse(ImportRun.objects.exists())
        self.assertFalse(any("advisory" in query["sql"] for query in queries.captured_queries))
        self.assertEqual(len(default_storage.listdir(job.upload_folder)[1]), 150)
        page = self.client.get(reverse("importer_job", args=[job.pk]))
        self.assertContains(page, "Waiting for a worker")
        self.assertContains(page, "<noscript>")

        run_due_tasks()  # the worker
        job.refresh_from_db()
        self.assertEqual((job.status, job.files_done), (ImportJob.Status.FINISHED, 150))

    @override_settings(TASKS=DATABASE_QUEUE)
    def test_an_import_that_finds_another_running_waits_on_the_queue(self):
        self.client.force_login(user("mo", "Moderators"))
        dry_run = self.job_of(self.upload(SimpleUploadedFile("t1.txt", term_text().encode())))
        run_due_tasks()
        held, release = threading.Event(), threading.Event()

        def other_import():  # another process's import, on a connection of its own
            try:
                with import_lock(timeout=0):
                    held.set()
                    release.wait(30)
            finally:
                connection.close()

        holder = threading.Thread(target=other_import)
        holder.start()
        try:
            held.wait(30)
            applied = self.job_of(self.confirm(dry_run))
            run_due_tasks()
            applied.refresh_from_db()
            self.assertEqual(applied.status, ImportJob.Status.QUEUED)
            self.assertIn("Another import is running", applied.message)
            self.assertIn("Another import is running", self.progress(applied)["message"])
            waiting = DBTaskResult.objects.get(task_path=TASK, status="READY")
            self.assertGreater(waiting.run_after, applied.created_at)
        finally:
            release.set()
            holder.join(30)
        self.assertFalse(GlossaryTermPage.objects.exists())
        # Its time has come.
        DBTaskResult.objects.filter(pk=waiting.pk).update(run_after=timezone.now())
        run_due_tasks()
        applied.refresh_from_db()
        self.assertEqual(applied.status, ImportJob.Status.FINISHED, applied.message)
        self.assertTrue(GlossaryTermPage.objects.filter(term_id="t1").exists())

    def test_progress_writes_do_not_grow_with_the_upload(self):
        self.client.force_login(user("mo", "Moderators"))
        with (
            mock.patch.object(jobs, "PROGRESS_EVERY", 3600),
            CaptureQueriesContext(connection) as queries,
        ):
            self.job_of(self.upload(*terms(120)))
        writes = [
            query
            for query in queries.captured_queries
            if query["sql"].startswith("UPDATE") and "importer_importjob" in query["sql"]
        ]
        # running; reading; checking; the end.
        self.assertEqual(len(writes), 4, [query["sql"][:120] for query in writes])

    def test_the_job_page_and_its_progress_cost_the_same_queries_whatever_the_size(self):
        self.client.force_login(user("mo", "Moderators"))
        costs = []
        for count in (1, 30):
            dry_run = self.job_of(self.upload(*terms(count, f"Batch {count}", f"b{count}x")))
            applied = self.job_of(self.confirm(dry_run))
            cost = []
            for name in ("importer_job", "importer_job_progress"):
                self.client.get(reverse(name, args=[applied.pk]))  # caches warm (the site)
                with CaptureQueriesContext(connection) as queries:
                    response = self.client.get(reverse(name, args=[applied.pk]))
                self.assertEqual(response.status_code, 200)
                cost.append(len(queries))
            self.assertContains(response, f'"created": {count}')
            costs.append(cost)
        self.assertEqual(costs[0], costs[1])

    def test_each_user_sees_only_their_own_jobs(self):
        self.client.force_login(user("mo", "Moderators"))
        job = self.job_of(self.upload(SimpleUploadedFile("t1.txt", term_text().encode())))
        self.client.force_login(user("other", "Moderators"))
        for name in ("importer_job", "importer_job_progress"):
            self.assertEqual(self.client.get(reverse(name, args=[job.pk])).status_code, 404)
        self.assertEqual(self.confirm(job).status_code, 404)
        self.assertNotContains(self.client.get(URL), reverse("importer_job", args=[job.pk]))
        self.client.force_login(user("boss", superuser=True))
        self.assertEqual(self.progress(job)["files_total"], 1)
        self.assertFalse(ImportJob.objects.filter(kind=ImportJob.Kind.APPLY).exists())

    def test_the_moderator_who_imported_is_on_revisions_and_log_entries(self):
        from wagtail.models import PageLogEntry

        moderator = user("mo", "Moderators")
        self.client.force_login(moderator)
        seed = (FIXTURES / "glossary" / "000_54b8be97246d5048.txt").read_bytes()
        job = self.job_of(self.upload(SimpleUploadedFile("000_54b8be97246d5048.txt", seed)))
        with self.assertLogs("importer", "INFO") as logs:
            self.confirm(job)
        term = GlossaryTermPage.objects.get(term_id="e0c71804d0d3")
        self.assertEqual(term.live_revision.user, moderator)
        entries = PageLogEntry.objects.filter(page=term)
        self.assertEqual(
            sorted(entries.values_list("action", "user__username")),
            [("wagtail.create", "mo"), ("wagtail.edit", "mo"), ("wagtail.publish", "mo")],
        )
        self.assertIn("imported_by", logs.records[0].__dict__)
        self.assertEqual(logs.records[0].imported_by, "mo")

    # The import pages are built from Wagtail's own admin templates and components.

    def test_the_upload_page_uses_wagtails_header_fields_and_statuses(self):
        self.client.force_login(user("mo", "Moderators"))
        job = self.job_of(self.upload(SimpleUploadedFile("t1.txt", term_text().encode())))
        response = self.client.get(URL)
        self.assertTemplateUsed(response, "wagtailadmin/generic/base.html")
        self.assertTemplateUsed(response, "wagtailadmin/shared/headers/slim_header.html")
        self.assertTemplateUsed(response, "wagtailadmin/shared/formatted_field.html")
        html = response.content.decode()
        self.assertIn('class="w-breadcrumbs', html)
        self.assertIn("help-block help-info", html)
        self.assertIn(f'href="{reverse("importer_job", args=[job.pk])}"', html)
        self.assertRegex(html, r'class="w-status w-status--primary"\s*>\s*Finished')

    def test_the_job_page_uses_breadcrumbs_back_to_the_upload_and_status_tags(self):
        self.client.force_login(user("mo", "Moderators"))
        job = self.job_of(self.upload(SimpleUploadedFile("t1.txt", term_text().encode())))
        response = self.client.get(reverse("importer_job", args=[job.pk]))
        self.assertTemplateUsed(response, "wagtailadmin/generic/base.html")
        html = response.content.decode()
        self.assertIn(f'href="{URL}"', html.split('class="w-breadcrumbs')[1].split("</nav>")[0])
        self.assertRegex(html, r'class="w-status w-status--primary"\s*>\s*would be created')
        self.assertContains(
            response, f"<title>{job.get_kind_display()} #{job.pk} - Wagtail</title>"
        )
