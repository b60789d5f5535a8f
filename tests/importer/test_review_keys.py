"""The review's fixture keys, ``reviewed_on`` and ``reviewed_by``: read, checked record by
record, exported only when set, and carried through export and import unchanged."""

import datetime
import json
import shutil

from django.contrib.auth import get_user_model
from django.test import TestCase

from glossary.models import GlossaryTermPage
from glossary.review import record_review

from .helpers import FIXTURES, ExportTestCase, ImportTestMixin, files_of, term_text
from .test_bad_records import failures, written

REVIEWED = "reviewed_on: 2026-05-01\nreviewed_by: Ada Lovelace\n"


class ReviewKeysImportTests(ImportTestMixin, TestCase):
    def test_the_keys_set_the_review_without_an_account(self):
        self.write("glossary/t1.txt", term_text("t1", "Service level", extra=REVIEWED))
        self.run_import()
        term = GlossaryTermPage.objects.get(term_id="t1")
        self.assertEqual(term.reviewed_at, datetime.date(2026, 5, 1))
        self.assertEqual(term.reviewed_by_name, "Ada Lovelace")
        self.assertIsNone(term.reviewed_by)

    def test_a_bad_date_or_a_name_without_a_date_fails_that_record_alone(self):
        self.write("glossary/good.txt", term_text("good", "Good term", extra=REVIEWED))
        self.write("glossary/date.txt", term_text("date", "Bad date", extra="reviewed_on: May\n"))
        self.write(
            "glossary/name.txt", term_text("name", "No date", extra="reviewed_by: Ada Lovelace\n")
        )
        output, _error = self.run_failing(format="json")
        report = json.loads(output)
        self.assertEqual(written(report, "created"), ["good.txt"])
        found = {name: (line, detail) for name, line, _label, detail in failures(report)}
        # The line of the key in its file.
        line = term_text("x", "x").count("\n")
        self.assertEqual(found["date.txt"][0], line)
        self.assertIn("'reviewed_on' must be an ISO date", found["date.txt"][1])
        self.assertEqual(found["name.txt"][0], line)
        self.assertIn("'reviewed_by' needs the date of the review", found["name.txt"][1])
        self.assertFalse(GlossaryTermPage.objects.filter(term_id__in=["date", "name"]).exists())

    def test_a_new_review_from_the_file_leaves_the_account_behind(self):
        self.write("glossary/t1.txt", term_text("t1", "Service level"))
        self.run_import()
        term = GlossaryTermPage.objects.get(term_id="t1")
        moderator = get_user_model().objects.create_user("mod", "m@example.com", "pw")
        record_review(term, moderator, on=datetime.date(2026, 1, 2))
        self.write("glossary/t1.txt", term_text("t1", "Service level", extra=REVIEWED))
        self.run_import()
        term.refresh_from_db()
        self.assertEqual(
            (term.reviewed_at, term.reviewed_by, term.reviewed_by_name),
            (datetime.date(2026, 5, 1), None, "Ada Lovelace"),
        )
        # And the live page's latest revision says the same: the next publish keeps it.
        term.get_latest_revision_as_object().save_revision().publish()
        term.refresh_from_db()
        self.assertEqual(term.reviewed_by_name, "Ada Lovelace")


class ReviewKeysExportTests(ExportTestCase):
    def setUp(self):
        super().setUp()
        self.source = self.new_directory()
        shutil.copytree(FIXTURES / "images", self.source / "images")
        (self.source / "glossary").mkdir()
        (self.source / "glossary" / "t1.txt").write_text(
            term_text("t1", "Service level", cards=(), extra=REVIEWED), encoding="utf-8"
        )
        (self.source / "glossary" / "t2.txt").write_text(
            term_text("t2", "Lead time", cards=()), encoding="utf-8"
        )
        self.run_import(self.source)

    def test_the_keys_are_exported_when_set_and_only_then(self):
        exported = files_of(self.export())
        self.assertIn(
            b"\nreviewed_on: 2026-05-01\nreviewed_by: Ada Lovelace\n", exported["glossary/t1.txt"]
        )
        self.assertNotIn(b"reviewed_", exported["glossary/t2.txt"])

    def test_a_review_made_here_is_exported_with_the_reviewers_name(self):
        term = GlossaryTermPage.objects.get(term_id="t2")
        moderator = get_user_model().objects.create_user(
            "mod", "m@example.com", "pw", first_name="Grace", last_name="Hopper"
        )
        record_review(term, moderator, on=datetime.date(2026, 6, 30))
        directory = self.export()
        exported = files_of(directory)
        self.assertIn(
            b"\nreviewed_on: 2026-06-30\nreviewed_by: Grace Hopper\n", exported["glossary/t2.txt"]
        )
        # Imported back into this site, the file says what the page does: its review, and
        # its reviewer's account, stay (the file is newer than the import's, so it is recorded
        # as the term's source: "updated", with only the source changed).
        report = self.run_import(directory)
        self.assertEqual(
            [
                (entry["path"].rsplit("/", 1)[-1], entry["verb"], entry["detail"])
                for entry in report["files"]
            ],
            [("t1.txt", "unchanged", ""), ("t2.txt", "updated", "source")],
        )
        term.refresh_from_db()
        self.assertEqual(
            (term.reviewed_at, term.reviewed_by, term.reviewed_by_name),
            (datetime.date(2026, 6, 30), moderator, "Grace Hopper"),
        )

    def test_the_review_survives_export_and_import_into_an_empty_site(self):
        first = self.export()
        self.empty_the_site()
        report = self.run_import(first)
        self.assertEqual(report["counts"]["failed"], 0, report)
        term = GlossaryTermPage.objects.get(term_id="t1")
        self.assertEqual(
            (term.reviewed_at, term.reviewed_by_name), (datetime.date(2026, 5, 1), "Ada Lovelace")
        )
        self.assertEqual(files_of(self.export()), files_of(first))
        again = self.run_import(first)
        self.assertEqual(again["counts"]["unchanged"], 2, again)
