"""The export of content made and edited in the admin's page editor."""

from django.contrib.auth import get_user_model

from wagtail.test.utils.form_data import inline_formset, nested_form_data, rich_text, streamfield

from devkit.corpus import write_corpus
from glossary.models import (
    GlossaryTermPage,
    RelatedArticleCard,
    RelatedArticlesSection,
)
from pulse.models import PulseArticlePage

from .helpers import ExportTestCase, content_of_pages


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
            "status": page.status,
            "body": streamfield([]),
            "key_questions": streamfield([]),
            "related_cards": inline_formset([]),
            "pinned_related_terms": inline_formset([]),
            "sources": inline_formset([]),
            "broader_terms": inline_formset([]),
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
                broader_terms=inline_formset([{"term": terms[3].pk}, {"term": terms[1].pk}]),
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
        self.assertEqual(len(term["broader"]), 2)
        self.assertIn("Ωμέγα point, new", {t["title"] for t in terms.values()})
        self.assertEqual(articles[self.edited_article]["body"][-1][0], "faq")

    def test_admin_edits_survive_export_and_import_into_an_empty_site(self):
        self.assert_survives_an_empty_site()

    def test_importing_the_export_of_admin_edits_changes_nothing(self):
        report = self.run_import(self.export())
        self.assertEqual(report["counts"]["unchanged"], 35, report)
        self.assertEqual(report["counts"]["created"] + report["counts"]["updated"], 0, report)
        # The page made in the admin is the import's from now on: its next file updates it.
        made = GlossaryTermPage.objects.get(slug="omega-point-new")
        self.assertEqual(made.imported_record.revision_id, made.latest_revision_id)
