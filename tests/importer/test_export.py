"""The export: files the import reads back to the same pages, byte for byte where unchanged."""

import json
import shutil
import tempfile
from io import StringIO
from pathlib import Path

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.core.management import call_command
from django.test import TestCase

from wagtail.images import get_image_model
from wagtail.test.utils.form_data import inline_formset, nested_form_data, rich_text, streamfield

from devkit.corpus import write_corpus
from glossary.models import (
    GlossaryTermPage,
    GlossaryTermPinnedTerm,
    GlossaryTermRelatedCard,
    RelatedArticleCard,
    RelatedArticlesSection,
)
from importer.models import ImportedRecord
from importer.streams import plain_blocks
from pulse.models import PulseArticlePage

FIXTURES = Path(settings.FIXTURES_DIR)


def files_of(directory):
    """{relative path: bytes} of every file below ``directory``."""
    return {
        str(path.relative_to(directory)): path.read_bytes()
        for path in sorted(Path(directory).rglob("*"))
        if path.is_file()
    }


def content_of_pages():
    """What visitors and editors see of every term and article, as plain data."""
    terms = {
        page.term_id: {
            "title": page.title,
            "slug": page.slug,
            "description": page.description,
            "synonyms": page.synonyms,
            "key_questions": plain_blocks(page.key_questions),
            "body": plain_blocks(page.body),
            "section": page.related_section
            and (page.related_section.heading, page.related_section.description),
            "cards": [
                (p.card.target_slug, p.card.title, p.card.image_id is not None)
                for p in page.related_cards.all()
            ],
            "pinned": [p.term.term_id for p in page.pinned_related_terms.all()],
        }
        for page in GlossaryTermPage.objects.live()
    }
    articles = {
        page.slug: {
            "title": page.title,
            "summary": page.summary,
            "published": page.published_date,
            "hero": page.hero_image_id is not None,
            "body": plain_blocks(page.body),
        }
        for page in PulseArticlePage.objects.live()
    }
    return terms, articles


class ExportTestCase(TestCase):
    def setUp(self):
        cache.clear()
        self.directories = []

    def tearDown(self):
        for directory in self.directories:
            shutil.rmtree(directory, ignore_errors=True)

    def new_directory(self):
        directory = Path(tempfile.mkdtemp(prefix="export-"))
        self.directories.append(directory)
        return directory

    def run_import(self, *paths, **options):
        out = StringIO()
        call_command("import_fixtures", *map(str, paths), format="json", stdout=out, **options)
        return json.loads(out.getvalue())

    def export(self, **options):
        directory = self.new_directory()
        call_command("export_fixtures", str(directory), stdout=StringIO(), **options)
        return directory

    def empty_the_site(self):
        """As a new database: no terms, articles, cards, sections or import records."""
        for model in (GlossaryTermPage, PulseArticlePage):
            for page in model.objects.all():
                page.delete()
        ImportedRecord.objects.all().delete()
        RelatedArticleCard.objects.all().delete()
        RelatedArticlesSection.objects.all().delete()
        get_image_model().objects.all().delete()
        cache.clear()


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


class GeneratedCorpusExportTests(ExportTestCase):
    def test_a_generated_corpus_round_trips(self):
        corpus = self.new_directory()
        write_corpus(corpus, terms=120, articles=12, seed=3)
        self.run_import(corpus)
        first = self.export()
        self.assertEqual(files_of(first), files_of(corpus))  # unedited: the files as they came
        report = self.run_import(first)
        self.assertEqual(report["counts"]["unchanged"], 132, report["counts"])
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
        first = self.export()
        before = content_of_pages()
        term_id = self.edited[0]
        self.assertEqual(before[0][term_id]["pinned"][:1], [sorted(before[0])[5]])
        self.empty_the_site()
        report = self.run_import(first)
        self.assertEqual(report["counts"]["failed"], 0, report)
        self.assertEqual(content_of_pages(), before)
        self.assertEqual(files_of(self.export()), files_of(first))

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


def list_block(items):
    """Form data of a ListBlock inside a stream (Wagtail's helpers cover streams, not lists)."""
    data = {
        str(index): {"value": item, "deleted": "", "order": str(index)}
        for index, item in enumerate(items)
    }
    data["count"] = str(len(items))
    return data


class AdminEditedExportTests(ExportTestCase):
    """Content an editor changed and created in the admin's page editor (the real edit and
    add views, posted with Wagtail's form helpers) goes out and comes back unchanged."""

    def setUp(self):
        super().setUp()
        self.corpus = self.new_directory()
        write_corpus(self.corpus, terms=30, articles=4, seed=5)
        self.run_import(self.corpus)
        self.client.force_login(
            get_user_model().objects.create_superuser("editor", "e@example.com", "pw")
        )
        self.edit_a_term()
        self.create_a_term()
        self.edit_an_article()

    def post(self, url, data):
        response = self.client.post(url, nested_form_data(data) | {"action-publish": "publish"})
        errors = (
            response.context and response.context.get("form") and response.context["form"].errors
        )
        self.assertEqual(response.status_code, 302, errors)

    def term_form(self, page, **fields):
        return {
            "title": page.title,
            "slug": page.slug,
            "description": page.description,
            "synonyms": page.synonyms,
            "category": page.category,
            "body": streamfield([]),
            "key_questions": streamfield([]),
            "related_cards": inline_formset([]),
            "pinned_related_terms": inline_formset([]),
            **fields,
        }

    def edit_a_term(self):
        terms = list(GlossaryTermPage.objects.order_by("term_id"))
        page = terms[0]
        placements = list(page.related_cards.order_by("sort_order"))
        pinned = list(page.pinned_related_terms.all())
        new_card = RelatedArticleCard.objects.create(
            title="Νέα κάρτα — 新しい", target_slug="brand-new-article", button_text="Read"
        )
        section = RelatedArticlesSection.objects.create(
            heading="Further, reading", description="Chosen by hand."
        )
        self.post(
            f"/admin/pages/{page.pk}/edit/",
            self.term_form(
                page,
                description="Edited: {braces}, 'quotes' and a tab\there.",
                synonyms="LT, lead-time",
                body=streamfield(
                    [
                        ("heading", {"heading_text": "Why it matters, today", "size": "h3"}),
                        ("paragraph", rich_text("<p>Plan the <b>work</b>, then the plan.</p>")),
                        ("quote", {"quote": "---\nWork the plan.", "attribution": "—"}),
                    ]
                ),
                key_questions=streamfield(
                    [("question", "Which comes first: {braces}, 'quotes'?"), ("question", "Why?")]
                ),
                related_section=section.pk,
                related_cards=inline_formset(
                    [
                        *({"id": p.pk, "card": p.card_id} for p in reversed(placements)),
                        {"card": new_card.pk},
                    ],
                    initial=len(placements),
                ),
                pinned_related_terms=inline_formset(
                    [
                        *({"id": p.pk, "term": p.term_id, "DELETE": "1"} for p in pinned),
                        {"term": terms[5].pk},
                        {"term": terms[2].pk},
                    ],
                    initial=len(pinned),
                ),
            ),
        )
        self.edited_term = page.term_id

    def create_a_term(self):
        index = GlossaryTermPage.objects.first().get_parent()
        new = GlossaryTermPage(title="Ωμέγα point, new", slug="omega-point-new", category="lean")
        self.post(
            f"/admin/pages/add/glossary/glossarytermpage/{index.pk}/",
            self.term_form(
                new,
                description="Made in the admin.",
                body=streamfield([("paragraph", rich_text("<p>Μια νέα λέξη.</p>"))]),
                key_questions=streamfield([("question", "Is it new?")]),
            ),
        )

    def edit_an_article(self):
        article = PulseArticlePage.objects.order_by("slug").first()
        self.post(
            f"/admin/pages/{article.pk}/edit/",
            {
                "title": article.title,
                "slug": article.slug,
                "subheading": article.subheading,
                "category": article.category,
                "summary": "Edited in the admin, with a comma.",
                "published_date": article.published_date or "",
                "hero_image": article.hero_image_id or "",
                "body": streamfield(
                    [
                        ("paragraph", rich_text("<p>A new opening.</p>")),
                        (
                            "faq",
                            {
                                "heading_text": "FAQs",
                                "items": list_block(
                                    [
                                        {
                                            "question": "Why?",
                                            "answer": rich_text("<p>Because <b>it</b> is.</p>"),
                                        }
                                    ]
                                ),
                            },
                        ),
                    ]
                ),
            },
        )
        self.edited_article = article.slug

    def test_the_admin_edits_are_on_the_pages(self):
        terms, articles = content_of_pages()
        term = terms[self.edited_term]
        self.assertEqual(term["synonyms"], "LT, lead-time")
        self.assertEqual([kind for kind, _ in term["body"]], ["heading", "paragraph", "quote"])
        self.assertEqual(term["cards"][-1][0], "brand-new-article")
        self.assertEqual(term["section"], ("Further, reading", "Chosen by hand."))
        self.assertEqual(len(term["pinned"]), 2)
        self.assertIn("Ωμέγα point, new", {t["title"] for t in terms.values()})
        self.assertEqual(articles[self.edited_article]["body"][-1][0], "faq")

    def test_admin_edits_survive_export_and_import_into_an_empty_site(self):
        first = self.export()
        before = content_of_pages()
        self.empty_the_site()
        report = self.run_import(first)
        self.assertEqual(report["counts"]["failed"], 0, report)
        self.assertEqual(content_of_pages(), before)
        self.assertEqual(files_of(self.export()), files_of(first))

    def test_importing_the_export_of_admin_edits_changes_nothing(self):
        report = self.run_import(self.export())
        self.assertEqual(report["counts"]["unchanged"], 35, report)
        self.assertEqual(report["counts"]["created"] + report["counts"]["updated"], 0, report)
        # The page made in the admin is the import's from now on: its next file updates it.
        made = GlossaryTermPage.objects.get(slug="omega-point-new")
        self.assertEqual(made.imported_record.revision_id, made.latest_revision_id)
