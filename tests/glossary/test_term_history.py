"""Provenance and freshness of a term: the "Updated" date, References, Changes, and where
they travel (the read API, the page's JSON-LD, the downloads read back by their readers)."""

import csv
import datetime
import io
import json

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, XSD

from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.utils import timezone

from wagtail.test.utils import WagtailPageTestCase
from wagtail.test.utils.form_data import inline_formset, nested_form_data, rich_text, streamfield

from glossary.models import GlossaryTermPage, GlossaryTermRelatedCard, TermChange, TermSource
from glossary.models.history import CHANGES_SHOWN
from importer.streams import plain_blocks
from tests.factories import GlossaryTermPageFactory, RelatedArticleCardFactory, add_cards

from .downloads_case import BASE, DownloadTestCase

LONG_AGO = timezone.make_aware(datetime.datetime(2020, 1, 2, 3, 4))


def publish(page, **changes):
    """Publish the latest revision of ``page`` with ``changes`` applied, as an editor would."""
    draft = GlossaryTermPage.objects.get(pk=page.pk).get_latest_revision_as_object()
    for name, value in changes.items():
        setattr(draft, name, value)
    draft.save_revision().publish()
    return GlossaryTermPage.objects.get(pk=page.pk)


def notes(page):
    return list(
        TermChange.objects.filter(term=page).order_by("date", "pk").values_list("note", flat=True)
    )


class UpdatedDateTests(WagtailPageTestCase):
    def setUp(self):
        cache.clear()
        self.term = publish(GlossaryTermPageFactory(title="Lead time", slug="lead-time"))

    def backdate(self):
        """As if the content last changed long ago: a later move is then unmistakable."""
        GlossaryTermPage.objects.filter(pk=self.term.pk).update(content_updated_at=LONG_AGO)

    def test_the_first_publish_dates_the_content(self):
        self.assertIsNotNone(self.term.content_updated_at)
        self.assertEqual(notes(self.term), ["First published"])

    def test_a_change_of_definition_moves_it_and_is_listed_with_the_default_note(self):
        self.backdate()
        term = publish(self.term, description="The time from order to delivery.")
        self.assertGreater(term.content_updated_at, LONG_AGO)
        self.assertEqual(notes(term), ["First published", "Edited"])

    def test_a_change_of_body_or_key_questions_moves_it(self):
        for changes in (
            {"body": [("paragraph", "<p>Shorter now.</p>")]},
            {"key_questions": [("question", "Who measures it?")]},
        ):
            with self.subTest(changes=list(changes)):
                self.backdate()
                term = publish(self.term, **changes)
                self.assertGreater(term.content_updated_at, LONG_AGO)

    def test_reordering_cards_or_changing_other_fields_does_not_move_it(self):
        first, second = RelatedArticleCardFactory(), RelatedArticleCardFactory()
        add_cards(self.term, first, second)
        self.backdate()
        draft = GlossaryTermPage.objects.get(pk=self.term.pk).get_latest_revision_as_object()
        draft.related_cards = [
            GlossaryTermRelatedCard(card=second, sort_order=0),
            GlossaryTermRelatedCard(card=first, sort_order=1),
        ]
        draft.category = "operations"
        draft.synonyms = "LT"
        draft.save_revision().publish()
        term = GlossaryTermPage.objects.get(pk=self.term.pk)
        self.assertEqual([card.pk for card in term.cards()], [second.pk, first.pk])
        self.assertEqual(term.content_updated_at, LONG_AGO)
        self.assertEqual(notes(term), ["First published"])

    def test_a_draft_does_not_move_it_and_a_revision_cannot_reset_it(self):
        self.backdate()
        draft = GlossaryTermPage.objects.get(pk=self.term.pk).get_latest_revision_as_object()
        draft.description = "Drafted, not published."
        draft.save_revision()
        self.assertEqual(GlossaryTermPage.objects.get(pk=self.term.pk).content_updated_at, LONG_AGO)
        # Publishing the first revision again (its content is what is live): no change.
        first = GlossaryTermPage.objects.get(pk=self.term.pk).revisions.order_by("pk").first()
        first.publish()
        term = GlossaryTermPage.objects.get(pk=self.term.pk)
        self.assertEqual(term.content_updated_at, LONG_AGO)
        self.assertEqual(notes(term), ["First published"])

    def test_a_page_object_kept_across_publishes_cannot_take_the_history_back(self):
        stale = GlossaryTermPage.objects.get(pk=self.term.pk)
        moved = publish(self.term, description="Changed meanwhile.", change_note="Meanwhile")
        stale.category = "elsewhere"
        stale.description = "Changed meanwhile."
        stale.save_revision().publish()
        term = GlossaryTermPage.objects.get(pk=self.term.pk)
        self.assertEqual(term.content_updated_at, moved.content_updated_at)
        self.assertEqual(notes(term), ["First published", "Meanwhile"])
        self.assertEqual([c.note for c in term.change_list], ["Meanwhile", "First published"])

    def test_the_editors_note_is_listed_and_then_cleared(self):
        term = publish(self.term, description="Clearer.", change_note="  Clarified the definition ")
        self.assertEqual(notes(term)[-1], "Clarified the definition")
        self.assertEqual(term.change_note, "")
        self.assertEqual(term.get_latest_revision().content["change_note"], "")
        self.assertEqual(term.get_latest_revision_as_object().change_note, "")
        # A publish that changes no content writes no entry, and still clears the note.
        term = publish(term, category="other", change_note="Nothing to see")
        self.assertEqual(len(notes(term)), 2)
        self.assertEqual(term.get_latest_revision_as_object().change_note, "")

    def test_entries_survive_later_edits_and_the_newest_few_are_shown(self):
        for number in range(CHANGES_SHOWN + 2):
            publish(self.term, description=f"Version {number}.", change_note=f"Edit {number}")
        term = GlossaryTermPage.objects.get(pk=self.term.pk)
        shown = [change.note for change in term.change_list]
        self.assertEqual(len(shown), CHANGES_SHOWN)
        self.assertEqual(shown[0], f"Edit {CHANGES_SHOWN + 1}")
        self.assertEqual(TermChange.objects.filter(term=term).count(), CHANGES_SHOWN + 3)


class TermPageTests(WagtailPageTestCase):
    def setUp(self):
        cache.clear()
        self.term = publish(GlossaryTermPageFactory(title="Lead time", slug="lead-time"))
        TermSource.objects.create(
            page=self.term,
            title="Lean <Thinking>",
            url="https://example.org/lean?a=1&b=2",
            publisher="Free Press",
            accessed=datetime.date(2026, 11, 2),
            sort_order=0,
        )
        TermSource.objects.create(
            page=self.term, title="Notes", url="http://example.com/notes", sort_order=1
        )
        self.term = publish(self.term, description="Order to delivery.", change_note="Shorter")

    def test_updated_references_and_changes_are_shown_under_the_body(self):
        response = self.client.get(self.term.url)
        html = response.content.decode()
        self.assertContains(response, 'class="term-updated">Updated <time datetime="')
        self.assertContains(response, '<h2 id="references-heading">References</h2>')
        self.assertContains(
            response,
            '<a href="https://example.org/lean?a=1&amp;b=2" rel="nofollow noopener">'
            "Lean &lt;Thinking&gt;</a>, Free Press",
        )
        self.assertContains(response, '<time datetime="2026-11-02">2 November 2026</time>')
        self.assertLess(html.index("Lean &lt;Thinking&gt;"), html.index(">Notes</a>"))
        self.assertContains(response, '<h2 id="changes-heading">Changes</h2>')
        self.assertLess(html.index(": Shorter</li>"), html.index(": First published</li>"))
        self.assertLess(html.index('class="body"'), html.index("references-heading"))

    def test_a_term_without_sources_or_changes_shows_neither(self):
        bare = GlossaryTermPageFactory(title="Bare", slug="bare")  # never published: no history
        response = self.client.get(bare.url)
        self.assertNotContains(response, "references-heading")
        self.assertNotContains(response, "changes-heading")
        self.assertNotContains(response, "term-updated")

    def test_the_json_ld_is_a_web_page_with_its_date_and_citations(self):
        response = self.client.get(self.term.url)
        documents = [
            json.loads(script)
            for script in response.content.decode().split('<script type="application/ld+json">')[1:]
            for script in [script.split("</script>")[0]]
        ]
        page = next(doc for doc in documents if doc["@type"] == "WebPage")
        self.assertEqual(page["mainEntity"]["@type"], "DefinedTerm")
        self.assertEqual(page["dateModified"], self.term.content_updated_at.isoformat())
        self.assertEqual(
            page["citation"][0],
            {
                "@type": "CreativeWork",
                "name": "Lean <Thinking>",
                "url": "https://example.org/lean?a=1&b=2",
                "publisher": {"@type": "Organization", "name": "Free Press"},
            },
        )
        self.assertNotIn("publisher", page["citation"][1])

    def test_a_published_change_shows_on_the_cached_page(self):
        self.client.get(self.term.url)  # cached
        publish(self.term, description="Changed again.", change_note="Third go")
        self.assertContains(self.client.get(self.term.url), ": Third go</li>")

    def test_the_read_api_has_sources_date_and_changes_newest_first(self):
        fields = "sources,content_updated_at,changes"
        detail = self.client.get(f"/api/v2/pages/{self.term.pk}/", {"fields": fields}).json()
        listing = self.client.get(
            "/api/v2/pages/", {"type": "glossary.GlossaryTermPage", "fields": fields}
        ).json()["items"][0]
        for data in (detail, listing):
            self.assertEqual(
                data["sources"][0],
                {
                    "title": "Lean <Thinking>",
                    "url": "https://example.org/lean?a=1&b=2",
                    "publisher": "Free Press",
                    "accessed": "2026-11-02",
                },
            )
            self.assertIsNone(data["sources"][1]["accessed"])
            self.assertEqual([c["note"] for c in data["changes"]], ["Shorter", "First published"])
            self.assertTrue(
                data["content_updated_at"].startswith(str(self.term.content_updated_at.year))
            )

    def test_the_new_fields_as_api_filters_are_refused_or_answered_never_a_500(self):
        for name in ("sources", "changes", "content_updated_at", "recent_changes"):
            for value in ("abc", "1", "2026-11-02"):
                with self.subTest(name=name, value=value):
                    response = self.client.get(
                        "/api/v2/pages/", {"type": "glossary.GlossaryTermPage", name: value}
                    )
                    lists = name in ("sources", "changes")  # rows, not a value: no filter
                    self.assertIn(response.status_code, (400,) if lists else (200, 400))


class SourceEditingTests(WagtailPageTestCase):
    def setUp(self):
        self.client.force_login(
            get_user_model().objects.create_superuser("boss", "b@example.com", "pw")
        )
        self.term = publish(GlossaryTermPageFactory(title="Lead time", slug="lead-time"))

    def post(self, sources, note=""):
        return self.client.post(f"/admin/pages/{self.term.pk}/edit/", self.form(sources, note))

    def form(self, sources, note=""):
        term = self.term
        return nested_form_data(
            {
                "title": term.title,
                "slug": term.slug,
                "description": "Edited in the admin.",
                "synonyms": "",
                "category": term.category,
                "body": streamfield([("paragraph", rich_text("<p>Edited.</p>"))]),
                "key_questions": streamfield([("question", "What is it?")]),
                "related_cards": inline_formset([]),
                "pinned_related_terms": inline_formset([]),
                "broader_terms": inline_formset([]),
                "status": "current",
                "sources": inline_formset(sources),
                "change_note": note,
                "action-publish": "action-publish",
            }
        )

    def test_the_preview_shows_the_sources_being_edited(self):
        url = f"/admin/pages/{self.term.pk}/edit/preview/"
        data = self.form([{"title": "Draft source", "url": "https://example.org/d"}])
        self.assertEqual(self.client.post(url, data).json()["is_valid"], True)
        response = self.client.get(url)
        self.assertContains(response, '<a href="https://example.org/d" rel="nofollow noopener">')
        self.assertContains(response, ": First published</li>")
        self.assertFalse(TermSource.objects.exists())  # a preview saves nothing

    def test_a_source_needs_a_web_address(self):
        for url in ("javascript:alert(1)", "ftp://example.org/x", "not a url", ""):
            with self.subTest(url=url):
                response = self.post(
                    [{"title": "Bad", "url": url, "publisher": "", "accessed": ""}]
                )
                self.assertEqual(response.status_code, 200)  # the form again, with its error
                self.assertFalse(TermSource.objects.exists())
        self.assertEqual(notes(self.term), ["First published"])

    def test_sources_and_a_note_published_from_the_editor(self):
        response = self.post(
            [
                {
                    "title": "ISO 9000",
                    "url": "https://www.iso.org/x",
                    "publisher": "ISO",
                    "accessed": "2026-10-01",
                }
            ],
            note="Cited ISO",
        )
        self.assertEqual(response.status_code, 302)
        term = GlossaryTermPage.objects.get(pk=self.term.pk)
        self.assertEqual(
            [(s.title, s.publisher) for s in term.sources.all()], [("ISO 9000", "ISO")]
        )
        self.assertEqual(notes(term), ["First published", "Cited ISO"])
        self.assertEqual(term.change_note, "")
        editor = self.client.get(f"/admin/pages/{term.pk}/edit/")
        self.assertContains(editor, "Change note")
        self.assertNotContains(editor, 'value="Cited ISO"')


class HistoryDownloadTests(DownloadTestCase):
    def setUp(self):
        super().setUp()
        self.lead = publish(self.lead, description="Order to delivery.")
        TermSource.objects.create(
            page=self.lead,
            title="Lean",
            url="https://example.org/lean",
            publisher="FP",
            sort_order=0,
        )
        TermSource.objects.create(
            page=self.lead, title="Notes", url="https://example.com/n", sort_order=1
        )
        self.lead = publish(self.lead, description="Order to delivery, again.")
        cache.clear()

    def test_skos_has_dct_modified_and_sources(self):
        graph = Graph().parse(data=self.content("ttl").decode(), format="turtle")
        concept = URIRef(f"{BASE}/glossary/lead-time/")
        modified = graph.value(concept, DCTERMS.modified)
        self.assertEqual(modified.datatype, XSD.dateTime)
        self.assertEqual(modified.toPython(), self.lead.content_updated_at)
        self.assertEqual(
            set(graph.objects(concept, DCTERMS.source)),
            {URIRef("https://example.org/lean"), URIRef("https://example.com/n")},
        )
        greek = URIRef(f"{BASE}/glossary/omega/")
        self.assertIsNone(graph.value(greek, DCTERMS.source))
        self.assertNotIn(Literal(""), set(graph.objects(greek, DCTERMS.modified)))

    def test_jsonld_has_date_modified_and_citations(self):
        data = json.loads(self.content("jsonld"))
        lead = next(t for t in data["hasDefinedTerm"] if t["termCode"] == "lt-1")
        self.assertEqual(lead["dateModified"], self.lead.content_updated_at.isoformat())
        self.assertEqual(
            [work["url"] for work in lead["citation"]],
            ["https://example.org/lean", "https://example.com/n"],
        )
        self.assertEqual(lead["citation"][0]["publisher"]["name"], "FP")
        greek = next(t for t in data["hasDefinedTerm"] if t["termCode"] == "om-3")
        self.assertNotIn("citation", greek)

    def test_csv_appends_updated_and_sources_columns(self):
        rows = list(csv.reader(io.StringIO(self.content("csv").decode("utf-8-sig"))))
        header = rows[0]
        updated = header.index("updated")  # appended after the original columns
        self.assertEqual(header[updated : updated + 2], ["updated", "sources"])
        self.assertGreater(updated, header.index("related terms"))
        self.assertEqual(header[:3], ["id", "name", "slug"])
        lead = next(row for row in rows if row[0] == "lt-1")
        self.assertEqual(lead[updated], self.lead.content_updated_at.isoformat()[:10])
        self.assertEqual(lead[updated + 1], "https://example.org/lean; https://example.com/n")


def test_fingerprint_ignores_block_ids():
    """A body rebuilt with new block ids (as the import rebuilds it) is the same content."""
    page = GlossaryTermPage(description="d", key_questions=[], body=[("paragraph", "<p>x</p>")])
    again = GlossaryTermPage(description="d", key_questions=[], body=[("paragraph", "<p>x</p>")])
    assert plain_blocks(page.body) == plain_blocks(again.body)
    assert page.content_fingerprint() == again.content_fingerprint()


class MigrationTests(WagtailPageTestCase):
    def test_the_migration_fingerprints_live_terms_as_publishing_does(self):
        """Terms live before the migration start from their published content: the next
        publish that changes no content is no change (the fingerprints agree)."""
        import importlib

        from django.db import connection
        from django.db.migrations.loader import MigrationLoader

        migration = importlib.import_module("glossary.migrations.0023_term_history")
        term = publish(GlossaryTermPageFactory(title="Lead time", slug="lead-time"))
        expected = term.content_fingerprint()
        GlossaryTermPage.objects.filter(pk=term.pk).update(
            content_digest="", content_updated_at=None, recent_changes=[]
        )
        apps = MigrationLoader(connection).project_state(("glossary", "0023_term_history")).apps
        migration.fingerprint_live_terms(apps, None)
        term = GlossaryTermPage.objects.get(pk=term.pk)
        self.assertEqual(term.content_digest, expected)
        self.assertEqual(term.content_updated_at, term.last_published_at)
        publish(term, category="elsewhere")
        self.assertEqual(notes(term), ["First published"])
