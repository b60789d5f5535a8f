"""Fixtures carry a term's lifecycle: ``status: deprecated`` and ``replaced_by: TERM_ID``.

A replacement may be a term of a later file; an unknown id, a loop of replacements or a bad
status fails that record alone, with its file and line; the export writes the keys back only
when a term has them, so today's fixtures export byte for byte as before.
"""

import json

from django.test import TestCase

from glossary.models import GlossaryTermPage, TermStatus
from tests.factories import GlossaryTermPageFactory

from .helpers import FIXTURES, ExportTestCase, ImportTestMixin, files_of, term_text
from .test_bad_records import failures, written


def lifecycle(status="", replaced_by=""):
    lines = f"status: {status}\n" if status else ""
    return lines + (f"replaced_by: {replaced_by}\n" if replaced_by else "")


class LifecycleImportTests(ImportTestMixin, TestCase):
    def term(self, name, key, title, **keys):
        return self.write(f"glossary/{name}", term_text(key, title, extra=lifecycle(**keys)))

    def failing_report(self, **options):
        """The report of a run where a file fails (the command then ends with an error)."""
        output, error = self.run_failing(format="json", **options)
        self.assertIn("failed", error)
        return json.loads(output)

    def page(self, key):
        return GlossaryTermPage.objects.select_related("replaced_by").get(term_id=key)

    def test_a_replacement_in_a_later_file_is_resolved(self):
        # "a-old" is read and written before "b-new", which replaces it.
        self.term("a.txt", "a-old", "Lead time", status="deprecated", replaced_by="b-new")
        self.term("b.txt", "b-new", "Cycle time")
        report = self.import_report()
        self.assertEqual(failures(report), [])
        old = self.page("a-old")
        self.assertEqual((old.status, old.replaced_by.term_id), (TermStatus.DEPRECATED, "b-new"))
        self.assertTrue(old.live)
        self.assertEqual(self.page("b-new").status, TermStatus.CURRENT)

    def test_a_replacement_already_in_the_glossary_is_resolved(self):
        GlossaryTermPageFactory(title="Cycle time", slug="cycle-time", term_id="b-new")
        self.term("a.txt", "a-old", "Lead time", status="deprecated", replaced_by="b-new")
        self.assertEqual(failures(self.import_report()), [])
        self.assertEqual(self.page("a-old").replaced_by.term_id, "b-new")

    def test_a_deprecated_term_without_a_replacement(self):
        self.term("a.txt", "a-old", "Lead time", status="deprecated")
        self.import_report()
        old = self.page("a-old")
        self.assertEqual((old.status, old.replaced_by), (TermStatus.DEPRECATED, None))

    def test_an_unknown_replacement_fails_that_record_alone_with_its_line(self):
        self.term("a.txt", "a-old", "Lead time", status="deprecated", replaced_by="nowhere")
        self.term("b.txt", "b-new", "Cycle time")
        report = self.failing_report()
        [(path, line, _label, detail)] = failures(report)
        self.assertEqual(path, "a.txt")
        self.assertEqual(line, self.line_of("a.txt", "replaced_by:"))
        self.assertIn("'nowhere' is not a term id", detail)
        self.assertEqual(written(report, "created"), ["b.txt"])
        # The dry run finds the same failure, writing nothing.
        dry = self.failing_report(dry_run=True)
        self.assertIn("'nowhere' is not a term id", failures(dry)[0][3])

    def test_a_bad_status_fails_that_record_alone_with_its_line(self):
        self.term("a.txt", "a-old", "Lead time", status="retired")
        self.term("b.txt", "b-new", "Cycle time")
        report = self.failing_report()
        [(path, line, _label, detail)] = failures(report)
        self.assertEqual((path, line), ("a.txt", self.line_of("a.txt", "status:")))
        self.assertIn("'status' must be one of current, deprecated, not 'retired'", detail)
        self.assertFalse(GlossaryTermPage.objects.filter(term_id="a-old").exists())

    def test_a_replacement_of_a_current_term_fails(self):
        self.term("a.txt", "a-old", "Lead time", replaced_by="b-new")
        self.term("b.txt", "b-new", "Cycle time")
        [(path, line, _label, detail)] = failures(self.failing_report())
        self.assertEqual((path, line), ("a.txt", self.line_of("a.txt", "replaced_by:")))
        self.assertIn("only for a deprecated term", detail)

    def test_a_loop_of_replacements_fails(self):
        self.term("a.txt", "a-old", "Lead time", status="deprecated", replaced_by="b-new")
        self.term("b.txt", "b-new", "Cycle time", status="deprecated", replaced_by="a-old")
        self.term("c.txt", "c-own", "Takt time", status="deprecated", replaced_by="c-own")
        report = self.failing_report()
        found = {path: detail for path, _line, _label, detail in failures(report)}
        self.assertEqual(set(found), {"a.txt", "b.txt", "c.txt"})
        self.assertIn("leads back to this term", found["a.txt"])
        self.assertIn("cannot replace itself", found["c.txt"])

    def test_a_run_that_swaps_a_replacement_is_written_whole(self):
        """Halfway through, the database still says b is replaced by a: the run's own check of
        the state it leaves decides."""
        self.term("a.txt", "a-old", "Lead time")
        self.term("b.txt", "b-new", "Cycle time", status="deprecated", replaced_by="a-old")
        self.import_report()
        self.term("a.txt", "a-old", "Lead time", status="deprecated", replaced_by="b-new")
        self.term("b.txt", "b-new", "Cycle time")
        report = self.import_report()
        self.assertEqual(report["counts"]["failed"], 0, report)
        a, b = self.page("a-old"), self.page("b-new")
        self.assertEqual((a.status, a.replaced_by_id, b.status), ("deprecated", b.pk, "current"))

    def test_a_status_change_updates_the_page_and_a_second_run_changes_nothing(self):
        self.term("a.txt", "a-old", "Lead time")
        self.term("b.txt", "b-new", "Cycle time")
        self.import_report()
        self.term("a.txt", "a-old", "Lead time", status="deprecated", replaced_by="b-new")
        report = self.import_report()
        self.assertEqual(written(report, "updated"), ["a.txt"])
        self.assertEqual(self.page("a-old").replaced_by.term_id, "b-new")
        self.assertEqual(written(self.import_report(), "updated"), [])

    def test_an_explicit_current_status_is_the_same_record_as_none(self):
        self.term("a.txt", "a-old", "Lead time")
        self.import_report()
        self.term("a.txt", "a-old", "Lead time", status="current")
        report = self.import_report()
        self.assertEqual(written(report, "updated"), [])
        self.assertEqual(failures(report), [])

    def line_of(self, name, prefix):
        text = (self.dir / "glossary" / name).read_text(encoding="utf-8")
        return next(n for n, line in enumerate(text.splitlines(), 1) if line.startswith(prefix))


class LifecycleExportTests(ExportTestCase):
    """Terms deprecated in the admin: their files are written from the pages."""

    def setUp(self):
        super().setUp()
        self.run_import(FIXTURES)  # the seed term: a current term, exported as it came
        new = GlossaryTermPageFactory(title="Cycle time", slug="cycle-time", term_id="b-new")
        old = GlossaryTermPageFactory(title="Lead time", slug="lead-time", term_id="a-old")
        gone = GlossaryTermPageFactory(title="Takt time", slug="takt-time", term_id="c-gone")
        for page, replacement in ((old, new), (gone, None)):
            page = page.get_latest_revision_as_object()
            page.status, page.replaced_by = TermStatus.DEPRECATED, replacement
            page.save_revision().publish()

    def test_the_keys_are_written_only_for_a_deprecated_term(self):
        exported = files_of(self.export())
        self.assertIn(b"\nstatus: deprecated\nreplaced_by: b-new\n", exported["glossary/a-old.txt"])
        self.assertIn(b"\nstatus: deprecated\n", exported["glossary/c-gone.txt"])
        self.assertNotIn(b"replaced_by", exported["glossary/c-gone.txt"])
        self.assertNotIn(b"status:", exported["glossary/b-new.txt"])
        seed = "glossary/000_54b8be97246d5048.txt"
        self.assertEqual(exported[seed], files_of(FIXTURES)[seed])

    def test_status_and_replacement_survive_export_and_import_into_an_empty_site(self):
        first = self.export()
        self.empty_the_site()
        report = self.run_import(first)
        self.assertEqual(report["counts"]["failed"], 0, report)
        old = GlossaryTermPage.objects.select_related("replaced_by").get(term_id="a-old")
        self.assertEqual((old.status, old.replaced_by.term_id), ("deprecated", "b-new"))
        gone = GlossaryTermPage.objects.get(term_id="c-gone")
        self.assertEqual((gone.status, gone.replaced_by), ("deprecated", None))
        self.assertEqual(files_of(self.export()), files_of(first))

    def test_importing_the_export_into_the_same_site_changes_nothing(self):
        report = self.run_import(self.export())
        self.assertEqual(report["counts"]["created"] + report["counts"]["updated"], 0, report)
