"""The export: files the import reads back to the same pages, byte for byte where unchanged."""

from pathlib import Path

from devkit.corpus import write_corpus
from glossary.models import (
    GlossaryTermPage,
    GlossaryTermPinnedTerm,
    GlossaryTermRelatedCard,
    RelatedArticleCard,
    RelatedArticlesSection,
)
from importer.streams import plain_blocks
from pulse.models import PulseArticlePage

from .helpers import FIXTURES, ExportTestCase, content_of_pages, files_of


class SeedExportTests(ExportTestCase):
    def setUp(self):
        super().setUp()
        self.run_import(FIXTURES)

    def test_unedited_pages_are_written_as_the_files_they_came_from(self):
        exported = files_of(self.export())
        source = files_of(FIXTURES)
        for name in (
            "glossary/000_54b8be97246d5048.txt",
            "pulse/" + next(p.name for p in (FIXTURES / "pulse").iterdir()),
        ):
            self.assertEqual(exported[name], source[name], name)
        # The card image the seed names, under the name it uses.
        self.assertEqual(
            exported["images/data_operations_boardroom.jpg"],
            source["images/data_operations_boardroom.jpg"],
        )

    def test_import_export_import_changes_nothing(self):
        report = self.run_import(self.export())
        self.assertEqual(report["counts"]["unchanged"], 2, report)
        self.assertEqual(report["counts"]["created"] + report["counts"]["updated"], 0, report)

    def test_export_then_import_into_an_empty_site_then_export_gives_the_same_files(self):
        first = self.export()
        before = content_of_pages()
        self.empty_the_site()
        self.run_import(first)
        self.assertEqual(content_of_pages(), before)
        self.assertEqual(files_of(self.export()), files_of(first))


# Every generated term has the same fields; what the corpus adds to the seed is many terms
# sharing cards, and cards whose article is missing (one in ten: twelve articles make one).
TERMS, ARTICLES = 40, 12


class GeneratedCorpusExportTests(ExportTestCase):
    def test_a_generated_corpus_round_trips(self):
        corpus = self.new_directory()
        write_corpus(corpus, terms=TERMS, articles=ARTICLES, seed=3)
        self.run_import(corpus)
        first = self.export()
        self.assertEqual(files_of(first), files_of(corpus))  # unedited: the files as they came
        report = self.run_import(first)
        self.assertEqual(report["counts"]["unchanged"], TERMS + ARTICLES, report["counts"])
        before = content_of_pages()
        self.empty_the_site()
        self.run_import(first)
        self.assertEqual(content_of_pages(), before)
        self.assertEqual(files_of(self.export()), files_of(first))


class EditedExportTests(ExportTestCase):
    """Editors' changes survive the trip out and back in."""

    def setUp(self):
        super().setUp()
        self.corpus = self.new_directory()
        write_corpus(self.corpus, terms=30, articles=4, seed=11)
        self.run_import(self.corpus)
        self.edit()

    def publish(self, page):
        page.save_revision().publish()

    def edit(self):
        terms = list(GlossaryTermPage.objects.order_by("term_id"))
        first = terms[0].get_latest_revision_as_object()
        second = terms[1].get_latest_revision_as_object()
        # New and reordered body blocks, a heading, key questions, synonyms, pinned terms.
        body = plain_blocks(first.body)
        first.body = [
            ("heading", {"heading_text": "Why it matters, today", "size": "h3"}),
            *reversed(body),
            ("quote", {"quote": "Plan the work.\nWork the plan.", "attribution": "—"}),
        ]
        first.key_questions = [("question", "Which comes first: {braces}, 'quotes'?")]
        first.synonyms = "LT, lead-time,\tcycle"
        first.pinned_related_terms = [
            GlossaryTermPinnedTerm(term=terms[5], sort_order=0),
            GlossaryTermPinnedTerm(term=terms[2], sort_order=1),
        ]
        # Cards reordered, one new; a changed section.
        cards = list(first.related_cards.all())
        new_card = RelatedArticleCard.objects.create(
            title="Νέα κάρτα — 新しい", target_slug="brand-new-article", button_text="Read"
        )
        first.related_cards = [
            GlossaryTermRelatedCard(card=card.card, sort_order=n)
            for n, card in enumerate([*reversed(cards), GlossaryTermRelatedCard(card=new_card)])
        ]
        self.publish(first)
        second.description = "  ---\nA description that needs quoting, with a tab\there."
        second.description = second.description.strip()
        section = RelatedArticlesSection.objects.create(
            heading="Further, reading", description="Chosen by hand."
        )
        second.related_section = section
        self.publish(second)
        article = PulseArticlePage.objects.order_by("slug").first().get_latest_revision_as_object()
        article.body = [
            *plain_blocks(article.body),
            (
                "faq",
                {
                    "heading_text": "FAQs",
                    "items": [{"question": "Why?", "answer": "<p>Because <b>it</b> is.</p>"}],
                },
            ),
        ]
        self.publish(article)
        self.edited = (first.term_id, second.term_id, article.slug)

    def test_edits_survive_export_and_import_into_an_empty_site(self):
        before = self.assert_survives_an_empty_site()
        term_id = self.edited[0]
        self.assertEqual(before[0][term_id]["pinned"][:1], [sorted(before[0])[5]])

    def test_importing_the_export_of_edits_into_the_same_site_changes_nothing(self):
        report = self.run_import(self.export())
        self.assertEqual(report["counts"]["unchanged"], 34, report)

    def test_drafts_are_exported_only_with_drafts(self):
        page = GlossaryTermPage.objects.get(term_id=self.edited[1])
        draft = page.get_latest_revision_as_object()
        draft.description = "A draft nobody has published yet."
        draft.save_revision()
        name = "glossary/" + Path(page.imported_record.source_path).name
        published = files_of(self.export())
        drafts = files_of(self.export(drafts=True))
        self.assertNotIn(b"nobody has published", published[name])
        self.assertIn(b"nobody has published", drafts[name])
