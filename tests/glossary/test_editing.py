"""What editors get in the term editor: tabs, validation with clear messages, and creation."""

import pytest

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError

from wagtail.blocks import StreamBlockValidationError
from wagtail.test.utils import WagtailPageTestCase
from wagtail.test.utils.form_data import inline_formset, nested_form_data, rich_text, streamfield

from glossary.blocks import KeyQuestionsBlock
from glossary.models import GlossaryIndexPage, GlossaryTermPage
from tests.factories import GlossaryTermPageFactory, RelatedArticleCardFactory


class TermEditorTests(WagtailPageTestCase):
    def setUp(self):
        self.client.force_login(
            get_user_model().objects.create_superuser("boss", "b@example.com", "pw")
        )

    def test_editor_has_content_related_and_seo_tabs(self):
        index = GlossaryIndexPage.objects.get()
        response = self.client.get(f"/admin/pages/add/glossary/glossarytermpage/{index.pk}/")
        for tab in ("Content", "Related", "Promote / SEO", "Settings"):
            self.assertContains(response, tab)
        self.assertContains(response, "Other names and abbreviations")

    def test_creates_a_term_with_a_body_and_two_cards(self):
        first, second = RelatedArticleCardFactory(), RelatedArticleCardFactory()
        data = nested_form_data(
            {
                "title": "Capacity model",
                "slug": "capacity-model",
                "description": "How much work a team can take on.",
                "synonyms": "CM",
                "category": "glossary",
                "status": "current",
                "body": streamfield(
                    [
                        ("heading", {"heading_text": "Why it matters", "size": "h2"}),
                        ("paragraph", rich_text("<p>Capacity sets the pace.</p>")),
                    ]
                ),
                "key_questions": streamfield([("question", "How is capacity measured?")]),
                "related_cards": inline_formset([{"card": first.pk}, {"card": second.pk}]),
                "pinned_related_terms": inline_formset([]),
                "sources": inline_formset([]),
                "broader_terms": inline_formset([]),
            }
        )
        self.assertCanCreate(GlossaryIndexPage.objects.get(), GlossaryTermPage, data)
        term = GlossaryTermPage.objects.get(slug="capacity-model")
        self.assertEqual([card.pk for card in term.cards()], [first.pk, second.pk])
        self.assertEqual(term.letter, "C")


class ValidationTests(WagtailPageTestCase):
    def test_term_names_are_unique_whatever_the_case(self):
        GlossaryTermPageFactory(title="Lean process", slug="lean-process")
        twin = GlossaryTermPageFactory.build(
            title="LEAN PROCESS", slug="lean-process-2", term_id="x2"
        )
        twin.path, twin.depth = "0001000100019999", 4
        with pytest.raises(ValidationError) as caught:
            twin.full_clean()
        assert "already a term named “Lean process”" in str(caught.value)

    def test_description_fits_a_meta_description(self):
        term = GlossaryTermPageFactory.build(description="x" * 321, term_id="x3")
        term.path, term.depth = "0001000100019998", 4
        with pytest.raises(ValidationError) as caught:
            term.full_clean()
        assert "description" in caught.value.message_dict

    def test_a_key_question_is_a_question(self):
        block = KeyQuestionsBlock()
        with pytest.raises(StreamBlockValidationError):
            block.clean(block.to_python([{"type": "question", "value": "Capacity planning"}]))
        block.clean(block.to_python([{"type": "question", "value": "What is capacity planning?"}]))


class EditorToolsTests(WagtailPageTestCase):
    def setUp(self):
        self.client.force_login(
            get_user_model().objects.create_superuser("boss", "b@example.com", "pw")
        )

    def test_blocks_have_previews_in_the_site_style(self):
        from glossary.blocks import TermBodyBlock

        for name, block in TermBodyBlock().child_blocks.items():
            if name == "image":
                continue  # needs an image from the library
            with self.subTest(block=name):
                self.assertTrue(block.is_previewable)
                response = self.client.get("/admin/block-preview/", {"id": block.definition_prefix})
                self.assertEqual(response.status_code, 200)
                self.assertContains(response, "/static/css/site.css")

    def test_changing_a_slug_leaves_a_permanent_redirect(self):
        term = GlossaryTermPageFactory(title="Lean process", slug="lean-process")
        term.save_revision().publish()
        term.refresh_from_db()
        term.slug = "lean-processes"
        with self.captureOnCommitCallbacks(execute=True):  # Wagtail makes the redirect on commit
            term.save_revision().publish()
        response = self.client.get("/glossary/lean-process/")
        self.assertEqual(response.status_code, 301)
        self.assertEqual(response["Location"], "/glossary/lean-processes/")

    def test_scheduled_publishing_with_publish_scheduled(self):
        import datetime
        from io import StringIO

        from django.core.management import call_command
        from django.utils import timezone

        term = GlossaryTermPageFactory(title="Scheduled", slug="scheduled", live=False)
        term.refresh_from_db()
        self.assertFalse(term.live)
        # An approved revision whose go-live time has come: the job publishes it.
        term.save_revision(approved_go_live_at=timezone.now() - datetime.timedelta(seconds=1))
        call_command("publish_scheduled", stdout=StringIO())
        term.refresh_from_db()
        self.assertTrue(term.live)
