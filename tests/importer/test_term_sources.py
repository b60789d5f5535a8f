"""A term's provenance through the import and the export: ``updated`` and ``sources`` in the
file, "Imported from FILE" in its Changes, and the item lines every list of items keeps."""

import datetime
import json

import pytest
from hypothesis import given
from hypothesis import strategies as st

from django.test import TestCase
from django.utils import timezone

from glossary.models import GlossaryTermPage, TermChange, TermSource
from importer.dialect import decode, dump, parse
from importer.streams import plain_blocks

from .helpers import ExportTestCase, ImportTestMixin, article_text, files_of, term_text

SOURCES = (
    "updated: 2026-11-20\n"
    "sources: [\n"
    "\t{\n"
    "\t\ttitle: Service levels, explained,\n"
    "\t\turl: https://example.org/sla?x=1,\n"
    "\t\tpublisher: Example Press,\n"
    "\t\taccessed: 2026-11-02\n"
    "\t},\n"
    "\t{\n"
    "\t\ttitle: Notes,\n"
    "\t\turl: http://example.com/notes\n"
    "\t}\n"
    "]\n"
)


def notes(term_id="t1"):
    return list(
        TermChange.objects.filter(term__term_id=term_id)
        .order_by("date", "pk")
        .values_list("note", flat=True)
    )


class SourcesImportTests(ImportTestMixin, TestCase):
    def setUp(self):
        super().setUp()
        self.write("pulse/uptime.txt", article_text())

    def term(self):
        return GlossaryTermPage.objects.get(term_id="t1")

    def test_sources_and_the_files_date_are_imported(self):
        self.write("glossary/t1.txt", term_text(extra=SOURCES))
        self.run_import()
        term = self.term()
        self.assertEqual(
            [(s.title, s.url, s.publisher, s.accessed) for s in term.sources.all()],
            [
                (
                    "Service levels, explained",
                    "https://example.org/sla?x=1",
                    "Example Press",
                    datetime.date(2026, 11, 2),
                ),
                ("Notes", "http://example.com/notes", "", None),
            ],
        )
        self.assertEqual(
            timezone.localtime(term.content_updated_at).date(), datetime.date(2026, 11, 20)
        )
        self.assertEqual(notes(), ["Imported from t1.txt"])
        self.assertEqual(term.change_note, "")
        self.assertEqual(term.get_latest_revision_as_object().change_note, "")

    def test_an_import_that_changes_the_content_moves_the_date_and_writes_its_entry(self):
        self.write("glossary/t1.txt", term_text())
        self.run_import()
        GlossaryTermPage.objects.filter(term_id="t1").update(
            content_updated_at=timezone.make_aware(datetime.datetime(2020, 1, 1))
        )
        self.write("glossary/t1.txt", term_text().replace("They are measured.", "They are kept."))
        self.run_import()
        self.assertEqual(self.term().content_updated_at.year, timezone.now().year)
        self.assertEqual(notes(), ["Imported from t1.txt", "Imported from t1.txt"])

    def test_an_import_that_only_reorders_cards_or_adds_sources_writes_no_entry(self):
        self.write("glossary/t1.txt", term_text(cards=("uptime-explained", "other")))
        self.run_import()
        before = self.term().content_updated_at
        self.write(
            "glossary/t1.txt", term_text(cards=("other", "uptime-explained"), extra=SOURCES[20:])
        )
        report = self.import_report()
        self.assertEqual(report["counts"]["updated"], 1, report)
        self.assertEqual(self.term().sources.count(), 2)
        self.assertEqual(self.term().content_updated_at, before)
        self.assertEqual(notes(), ["Imported from t1.txt"])

    def test_a_bad_source_fails_its_record_at_its_line(self):
        cases = {
            "url: javascript:alert(1)": "is not an http(s) address",
            "url: https://example.org/ok\n\t\tcolour: red": "unknown source field 'colour'",
            "url: https://example.org/ok\n\t\taccessed: yesterday": "is not YYYY-MM-DD",
            "publisher: Nobody": "the source has no url",
        }
        for item, message in cases.items():
            with self.subTest(item=item):
                text = term_text(
                    extra="sources: [\n\t{\n\t\ttitle: Fine,\n\t\turl: https://a.example/\n\t},\n"
                    f"\t{{\n\t\ttitle: Bad,\n\t\t{item}\n\t}}\n]\n"
                )
                path = self.write("glossary/t1.txt", text)
                out, _ = self.run_failing(path, format="json")
                failure = next(
                    entry for entry in json.loads(out)["files"] if entry["verb"] == "failed"
                )
                self.assertIn(message, failure["detail"])
                item_line = text.split("\n").index("\t\ttitle: Bad,")  # the '{' line before it
                self.assertEqual(failure["line"], item_line, failure)
                self.assertFalse(GlossaryTermPage.objects.filter(term_id="t1").exists())


class SourcesExportTests(ExportTestCase):
    def test_sources_and_updated_round_trip_through_an_empty_site(self):
        folder = self.new_directory()
        (folder / "glossary").mkdir()
        (folder / "glossary" / "t1.txt").write_text(term_text(cards=(), extra=SOURCES))
        self.run_import(folder)
        term = GlossaryTermPage.objects.get(term_id="t1")
        # Edited in the admin: the export writes it from the page, sources and date included.
        draft = term.get_latest_revision_as_object()
        draft.sources = [
            TermSource(title="Only, this one", url="https://example.net/a}", sort_order=0)
        ]
        draft.description = "Edited."
        draft.save_revision().publish()
        first = self.export()
        text = (first / "glossary" / "t1.txt").read_text()
        edited = GlossaryTermPage.objects.get(term_id="t1")
        self.assertIn(f"updated: {timezone.localtime(edited.content_updated_at).date()}\n", text)
        self.assertIn(
            'sources: [\n\t{\n\t\ttitle: Only, this one,\n\t\turl: "https://example.net/a}"\n\t}\n]\n',
            text,
        )
        self.empty_the_site()
        self.run_import(first)
        again = GlossaryTermPage.objects.get(term_id="t1")
        self.assertEqual(
            [(s.title, s.url) for s in again.sources.all()],
            [("Only, this one", "https://example.net/a}")],
        )
        self.assertEqual(
            timezone.localtime(again.content_updated_at).date(),
            timezone.localtime(edited.content_updated_at).date(),
        )
        self.assertEqual(plain_blocks(again.body), plain_blocks(edited.body))
        self.assertEqual(files_of(self.export()), files_of(first))

    def test_terms_without_them_export_without_the_keys(self):
        folder = self.new_directory()
        (folder / "glossary").mkdir()
        (folder / "glossary" / "t1.txt").write_text(term_text(cards=()))
        self.run_import(folder)
        draft = GlossaryTermPage.objects.get(term_id="t1").get_latest_revision_as_object()
        draft.synonyms = "SL"
        draft.save_revision().publish()
        text = (self.export() / "glossary" / "t1.txt").read_text()
        self.assertNotIn("sources:", text)
        self.assertIn("updated:", text)  # its content was dated by the import


# --- the dialect: every list of items keeps its items' lines ----------------------------------


def read(text):
    return parse(decode(text.encode("utf-8"), "f.txt"), "f.txt")


def test_every_block_list_keeps_its_items_lines():
    document = read(
        "---\nid: a\n"
        "related_articles_items: [\n\t{\n\t\trelated_article_title: A\n\t},\n\t{\n\t\tx: y\n\t}\n]\n"
        "sources: [\n\n\t{\n\t\ttitle: T,\n\t\turl: https://e.org\n\t}\n]\n---\n"
    )
    assert document.item_lines == {"related_articles_items": [4, 7], "sources": [13]}
    assert document.item_line("sources", 0) == 13
    assert document.item_line("sources", 5) == document.line_of("sources") == 11


ITEM = st.dictionaries(
    st.sampled_from(["title", "url", "publisher", "accessed"]),
    st.text(
        alphabet=st.characters(
            blacklist_categories=("Cc", "Cs", "Zl", "Zp"), blacklist_characters="\x85"
        ),
        min_size=1,
        max_size=30,
    ),
    min_size=1,
)


@given(st.lists(ITEM, min_size=1, max_size=5), st.lists(ITEM, max_size=3))
def test_item_lines_point_at_each_items_opening_brace(first, second):
    fields = {"id": "a", "related_articles_items": first}
    if second:
        fields["sources"] = second
    text = dump(fields)
    document = read(text)
    lines = text.split("\n")
    for key in fields:
        if key == "id":
            continue
        assert document.fields[key] == fields[key]
        assert len(document.item_lines[key]) == len(fields[key])
        assert all(lines[number - 1] == "\t{" for number in document.item_lines[key])


def test_a_list_of_items_that_is_not_closed_names_its_line():
    from importer.errors import FixtureError

    with pytest.raises(FixtureError) as caught:
        read("---\nid: a\nsources: [\n\t{\n\t\ttitle: T\n---\n")
    assert caught.value.line == 3
    assert "never closed" in caught.value.message


def test_fingerprints_count_sources_but_not_their_lines():
    from importer.kinds import build_record

    def record(text):
        return build_record(parse(decode(text.encode("utf-8"), "t1.txt"), "t1.txt"))

    plain = record(term_text())
    cited = record(term_text(extra=SOURCES))
    moved = record(term_text(extra="\n\n" + SOURCES))  # the same items, lines further down
    other = record(term_text(extra=SOURCES.replace("sla?x=1", "sla?x=2")))
    assert cited.sources[0].line != moved.sources[0].line
    assert cited.fingerprint() == moved.fingerprint()
    assert len({plain.fingerprint(), cited.fingerprint(), other.fingerprint()}) == 3
