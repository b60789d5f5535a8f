"""The export writes only inside its folder, and only over an earlier export when told to;
term ids are checked where they come in (the import), since they name the export's files."""

import os
import shutil
from io import StringIO

import pytest

from django.core.management import CommandError, call_command
from django.test import TestCase

from wagtail.images import get_image_model

from glossary.models import GlossaryTermPage
from glossary.rules import TERM_ID_MAX_LENGTH
from importer.dialect import decode, parse
from importer.errors import ExportError, FixtureError
from importer.exporting import Images
from importer.kinds import KINDS, build_record
from importer.models import ImportedRecord
from pulse.models import PulseArticlePage
from tests.factories import (
    GlossaryTermPageFactory,
    ImageFactory,
    PulseArticlePageFactory,
    RelatedArticleCardFactory,
    add_cards,
)
from tests.importer.helpers import FIXTURES, ExportTestCase, ImportTestMixin, files_of, term_text

# --- ids on the way in ------------------------------------------------------------------------

BAD_IDS = {
    "../../etc/passwd": "is not valid",
    "/srv/www/absolute": "is not valid",
    "nul\x00byte": "is not valid",
    "a.b": "is not valid",
    "-leading-dash": "is not valid",
    "ümlaut": "is not valid",
    "x" * (TERM_ID_MAX_LENGTH + 1): f"has {TERM_ID_MAX_LENGTH + 1} characters",
}
# What the seed, the admin (uuid hex), the factories and the tests use.
GOOD_IDS = ["e0c71804d0d3", "lt-1", "t_2", "term00000001", "1e10", "x" * TERM_ID_MAX_LENGTH]


def read_term(key):
    text = f"---\nid: {key}\nname: Lead time\n---\n"
    return build_record(parse(decode(text.encode(), "bad.txt"), "bad.txt"))


@pytest.mark.parametrize("key", BAD_IDS)
def test_a_bad_id_fails_its_record_at_the_id_line(key):
    with pytest.raises(FixtureError) as caught:
        read_term(key)
    assert (caught.value.path, caught.value.line) == ("bad.txt", 2)
    assert BAD_IDS[key] in caught.value.message


@pytest.mark.parametrize("key", GOOD_IDS)
def test_ids_of_the_seed_admin_and_tests_are_read(key):
    assert read_term(key).key == key


def test_the_id_rule_is_the_model_column():
    assert GlossaryTermPage._meta.get_field("term_id").max_length == TERM_ID_MAX_LENGTH


class ImportIdTests(ImportTestMixin, TestCase):
    def test_each_bad_id_fails_its_file_alone_with_file_and_line(self):
        self.write("good.txt", term_text(key="g1", name="Good term"))
        for number, key in enumerate(BAD_IDS):
            self.write(f"bad/{number}.txt", term_text(key=key, name=f"Bad {number}"))
        output, error = self.run_failing()
        self.assertIn(f"{len(BAD_IDS)} file(s) failed", error)
        for number, key in enumerate(BAD_IDS):
            with self.subTest(key=key):
                self.assertRegex(output, rf"failed\s+\S*bad/{number}\.txt: line 2 \(the id ")
        self.assertEqual(list(GlossaryTermPage.objects.values_list("term_id", flat=True)), ["g1"])


# --- the export stays inside its folder -------------------------------------------------------


class ExportSafetyTestCase(ExportTestCase):
    def setUp(self):
        super().setUp()
        self.base = self.new_directory()
        self.out = self.base / "out"

    def export_to(self, directory=None, **options):
        output = StringIO()
        call_command("export_fixtures", str(directory or self.out), stdout=output, **options)
        return output.getvalue()

    def refused(self, directory=None, **options):
        with self.assertRaises(CommandError) as caught:
            self.export_to(directory, **options)
        return str(caught.exception)

    def outside(self):
        """Files written anywhere under the test's base folder but in the export folder."""
        return sorted(name for name in files_of(self.base) if not name.startswith("out/"))


class ContainmentTests(ExportSafetyTestCase):
    def test_a_term_id_that_is_a_path_is_refused_naming_the_page(self):
        page = GlossaryTermPageFactory(title="Escape artist")
        for number, term_id in enumerate(["../../escaped", str(self.base / "absolute"), "a/b"]):
            with self.subTest(term_id=term_id):
                GlossaryTermPage.objects.filter(pk=page.pk).update(term_id=term_id)
                message = self.refused(self.base / f"out{number}")
                self.assertIn(f"glossary term 'Escape artist' (page id {page.pk})", message)
                self.assertIn(repr(term_id), message)
                self.assertEqual(
                    [name for name in files_of(self.base) if name.endswith(".txt")], []
                )

    def test_keys_with_nul_or_path_parts_never_name_a_file(self):
        term, article = KINDS["term"], KINDS["article"]
        for value in ["a\x00b", "../x", "/abs", "a/b", ".."]:
            with self.subTest(value=value):
                with self.assertRaisesRegex(ExportError, "glossary term 'Bad'"):
                    term.file_name(GlossaryTermPage(title="Bad", term_id=value))
                with self.assertRaisesRegex(ExportError, "Pulse article 'Bad'"):
                    article.file_name(PulseArticlePage(title="Bad", slug=value))

    def test_a_255_character_slug_is_written_under_a_name_that_fits_and_reads_back(self):
        slug = "a" * 255
        PulseArticlePageFactory(title="Long", slug=slug)
        self.export_to()
        (written,) = (self.out / "pulse").iterdir()
        self.assertLessEqual(len(written.name.encode()), 255)
        self.empty_the_site()
        self.run_import(self.out)
        self.assertEqual(PulseArticlePage.objects.get().slug, slug)

    def test_an_imported_file_name_that_is_not_a_plain_fixture_name_is_not_used(self):
        source = self.new_directory()
        (source / "t1.txt").write_text(term_text(key="t1", name="Service level"))
        self.run_import(source)
        for number, source_path in enumerate(["..", "glossary/README.md", "x/.hidden.txt"]):
            with self.subTest(source_path=source_path):
                ImportedRecord.objects.update(source_path=source_path)
                out = self.base / f"out{number}"
                self.export_to(out)
                self.assertEqual(
                    files_of(out / "glossary"), {"t1.txt": (source / "t1.txt").read_bytes()}
                )

    def test_a_symlinked_folder_leading_outside_is_refused(self):
        term = GlossaryTermPageFactory(title="Linked")
        add_cards(term, RelatedArticleCardFactory(image=ImageFactory()))
        for folder in ("glossary", "images"):
            with self.subTest(folder=folder):
                elsewhere = self.base / f"elsewhere-{folder}"
                elsewhere.mkdir()
                out = self.base / f"out-{folder}"
                out.mkdir()
                (out / folder).symlink_to(elsewhere, target_is_directory=True)
                message = self.refused(out)
                self.assertIn("leads outside", message)
                self.assertEqual(list(elsewhere.iterdir()), [])

    def test_a_symlinked_file_leading_outside_is_refused_naming_the_page(self):
        page = GlossaryTermPageFactory(title="Overwriter", term_id="t9")
        victim = self.base / "victim.txt"
        victim.write_text("keep me")
        (self.out / "glossary").mkdir(parents=True)
        os.symlink(victim, self.out / "glossary" / "t9.txt")
        message = self.refused(replace=True)
        self.assertIn(f"glossary term 'Overwriter' (page id {page.pk})", message)
        self.assertEqual(victim.read_text(), "keep me")

    def test_an_image_whose_file_name_is_not_plain_gets_one_from_its_id(self):
        def image(pk, title, name):  # unsaved: its file is never opened
            return get_image_model()(pk=pk, title=title, file=name, width=1, height=1)

        images = Images(folder=None, report=None)
        spaced = image(7, "Spaced", "original_images/board room.jpg")
        self.assertEqual(images.reference(spaced), "images/board room.jpg")
        hidden = image(8, "Hidden", "original_images/.x.png")
        self.assertEqual(images.reference(hidden), "images/image-8.png")
        parent = image(9, "Parent", "original_images/..")
        with self.assertRaisesRegex(ExportError, "image 'Parent' \\(id 9\\)"):
            images.reference(parent)


# --- an earlier export is replaced only when asked, and then fully ------------------------------


class ReplaceTests(ExportSafetyTestCase):
    def test_a_folder_holding_fixture_files_is_refused_without_replace(self):
        GlossaryTermPageFactory(title="First", term_id="t1")
        self.export_to()
        before = files_of(self.out)
        message = self.refused()
        self.assertIn("already holds", message)
        self.assertIn("--replace", message)
        self.assertEqual(files_of(self.out), before)

    def test_replace_removes_what_the_export_no_longer_writes_and_nothing_else(self):
        GlossaryTermPageFactory(title="Kept", term_id="kept")
        gone = GlossaryTermPageFactory(title="Deleted", term_id="gone")
        add_cards(gone, RelatedArticleCardFactory(image=ImageFactory()))
        self.export_to()
        (image_name,) = os.listdir(self.out / "images")
        others = {
            "README.md": "# notes",
            "glossary/README.md": "# notes",
            "glossary/list.csv": "a,b",
            "images/LICENSE": "photo: someone",
            "notes/old.txt": "---\nid: old\nname: Old\n---\n",
        }
        for name, text in others.items():
            (self.out / name).parent.mkdir(exist_ok=True)
            (self.out / name).write_text(text)
        gone.delete()

        output = self.export_to(replace=True)
        files = files_of(self.out)
        self.assertNotIn("glossary/gone.txt", files)
        self.assertNotIn(f"images/{image_name}", files)
        self.assertIn("glossary/kept.txt", files)
        for name, text in others.items():
            self.assertEqual(files[name], text.encode(), name)
        self.assertIn("Removed 2 file(s)", output)
        self.assertRegex(output, r"warning: \S*notes/old\.txt is not where the export writes")

        (self.out / "notes" / "old.txt").unlink()
        self.empty_the_site()
        self.run_import(self.out)
        self.assertEqual(list(GlossaryTermPage.objects.values_list("title", flat=True)), ["Kept"])

    def test_replace_into_the_repository_fixtures_keeps_their_readme(self):
        shutil.copytree(FIXTURES, self.out)
        self.run_import(self.out)
        self.export_to(replace=True)
        self.assertEqual(files_of(self.out), files_of(FIXTURES))
        self.assertIn("README.md", files_of(self.out))
