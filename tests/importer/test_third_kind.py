"""A third kind of record is one class: its schema, its page model, its parent, its file name.

The toy kind ("note") keeps plain Wagtail pages (``wagtailcore.Page``) under the tree's root:
a page model every site has, so the test needs no model or migration of its own. Importing,
planning, writing, exporting and importing the export again go through the same code as
terms and articles, and nothing in the importer names the kind.
"""

import json
import shutil
import tempfile
from io import StringIO
from pathlib import Path

from django.core.cache import cache
from django.core.management import CommandError, call_command
from django.test import TestCase

from wagtail.models import Page

from importer.kinds import RecordKind, registered
from importer.models import ImportedRecord
from importer.schema import Field


class NoteKind(RecordKind):
    name = "note"
    marker = "note"
    verbose_name = "glossary note"
    title_field = "title"
    key_name = "slug"
    model_label = "wagtailcore.Page"
    parent_label = "wagtailcore.Page"  # the first page: the tree's root
    key_field = "slug"
    fields = (
        Field("note", "title", page="title", required=True),
        Field("slug", "slug", page="slug"),
        Field("summary", "summary", page="search_description", optional=True),
    )
    folder = "notes"

    def pages(self):
        return Page.objects.exact_type(Page).filter(depth=2)

    def file_name(self, page):
        return f"{page.slug}.txt"


NOTE = "---\nnote: Reading the glossary\nslug: reading-the-glossary\nsummary: Start at A.\n---\n"
EDITED = "---\nnote: Reading the glossary\nslug: reading-the-glossary\nsummary: Start at Z.\n---\n"


class ThirdKindTests(TestCase):
    def setUp(self):
        cache.clear()
        self.enterContext(registered(NoteKind()))
        self.dir = Path(tempfile.mkdtemp(prefix="notes-"))
        self.addCleanup(shutil.rmtree, self.dir, ignore_errors=True)
        (self.dir / "in").mkdir()
        (self.dir / "in" / "reading.txt").write_text(NOTE)

    def run_import(self, directory, **options):
        out = StringIO()
        call_command("import_fixtures", str(directory), format="json", stdout=out, **options)
        return json.loads(out.getvalue())

    def export(self, name):
        """The note's exported file (under the name of the file it came from)."""
        directory = self.dir / name
        call_command("export_fixtures", str(directory), stdout=StringIO())
        (exported,) = (directory / "notes").iterdir()
        return exported

    def note(self):
        return Page.objects.exact_type(Page).get(slug="reading-the-glossary")

    def test_a_note_is_imported_from_its_schema(self):
        report = self.run_import(self.dir / "in")
        self.assertEqual(report["counts"]["created"], 1, report)
        self.assertEqual(report["warnings"], [], report)
        page = self.note()
        self.assertEqual(
            (page.title, page.search_description), ("Reading the glossary", "Start at A.")
        )
        self.assertTrue(page.live)
        imported = ImportedRecord.objects.get(kind="note")
        self.assertEqual(imported.page_id, page.pk)
        imported.full_clean()  # no choices name the kinds: a new kind's records are valid
        self.assertEqual(self.run_import(self.dir / "in")["counts"]["unchanged"], 1)

    def test_a_note_is_exported_byte_for_byte_and_from_its_page(self):
        self.run_import(self.dir / "in")
        self.assertEqual(self.export("as-imported").read_text(), NOTE)
        # Edited since its import: the file is written from the page, through the schema.
        page = self.note()
        page.search_description = "Start at Z."
        page.save_revision().publish()
        exported = self.export("from-the-page")
        self.assertEqual(exported.read_text(), EDITED)
        # ... and is the page: importing it changes nothing, the page is the import's again.
        report = self.run_import(exported.parent)
        self.assertEqual(report["counts"]["unchanged"], 1, report)

    def test_a_changed_file_updates_the_note(self):
        self.run_import(self.dir / "in")
        (self.dir / "in" / "reading.txt").write_text(EDITED)
        report = self.run_import(self.dir / "in")
        self.assertEqual(report["counts"]["updated"], 1, report)
        self.assertEqual(self.note().search_description, "Start at Z.")

    def test_a_note_without_its_title_fails_at_its_line(self):
        (self.dir / "in" / "reading.txt").write_text("---\nnote:\nslug: x\n---\n")
        out = StringIO()
        with self.assertRaises(CommandError):
            call_command("import_fixtures", str(self.dir / "in"), format="json", stdout=out)
        (failure,) = json.loads(out.getvalue())["files"]
        self.assertEqual((failure["verb"], failure["line"]), ("failed", 2), failure)
        self.assertIn("'note' is missing or empty", failure["detail"])
