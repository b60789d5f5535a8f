"""Related-article cards in the admin: the editor, review, slug errors, the chooser, history."""

import uuid

from glossary.models import RelatedArticleCard
from tests.factories import (
    GlossaryTermPageFactory,
    PulseArticlePageFactory,
    RelatedArticleCardFactory,
    add_cards,
)
from tests.glossary.editors import ADD_CARD, CARD_CHOOSER, AdminTestCase, card_form


class CardEditorTests(AdminTestCase):
    def test_card_points_at_a_pulse_page_by_chooser_and_listing_filters(self):
        article = PulseArticlePageFactory(title="Present", slug="present")
        RelatedArticleCardFactory(title="Linked card", target_page=article)
        waiting = RelatedArticleCardFactory(title="Waiting card")
        self.login()
        edit = self.client.get(f"/admin/snippets/glossary/relatedarticlecard/edit/{waiting.pk}/")
        self.assertContains(edit, "Choose a page")
        filtered = self.client.get(
            "/admin/snippets/glossary/relatedarticlecard/", {"target_page__isnull": "true"}
        )
        self.assertContains(filtered, "Waiting card")
        self.assertNotContains(filtered, "Linked card")


class SnippetReviewTests(AdminTestCase):
    """Cards and sections go through "Editorial review" like pages: an editor's change waits
    for a moderator, and visitors see the published version until then."""

    def edit(self, card, title, **action):
        data = {
            "title": title,
            "subheading": card.subheading,
            "button_text": card.button_text,
            "target_slug": card.target_slug,
            **action,
        }
        return self.client.post(
            f"/admin/snippets/glossary/relatedarticlecard/edit/{card.pk}/", data
        )

    def test_an_editors_card_change_waits_for_a_moderator(self):
        term = GlossaryTermPageFactory(title="Kanban", slug="kanban")
        card = RelatedArticleCardFactory(title="Flow at work", target_slug="flow-at-work")
        add_cards(term, card)
        self.assertEqual(card.get_workflow().name, "Editorial review")

        self.login("Editors")
        self.edit(card, "Flow at work, rewritten", **{"action-publish": "1"})  # not theirs to do
        card.refresh_from_db()
        self.assertEqual(card.title, "Flow at work")
        self.assertEqual(
            self.edit(card, "Flow at work, rewritten", **{"action-submit": "1"}).status_code, 302
        )
        card.refresh_from_db()
        self.assertEqual(card.current_workflow_state.status, "in_progress")
        self.assertEqual(card.title, "Flow at work")  # the live version visitors see
        self.client.logout()
        page = self.client.get(term.url).content.decode()
        self.assertIn("Flow at work", page)
        self.assertNotIn("rewritten", page)

        self.login("Moderators")
        self.edit(
            card,
            "Flow at work, rewritten",
            **{"action-workflow-action": "true", "workflow-action-name": "approve"},
        )
        card.refresh_from_db()
        self.assertEqual(card.title, "Flow at work, rewritten")
        self.assertTrue(card.live)
        self.client.logout()
        self.assertContains(self.client.get(term.url), "Flow at work, rewritten")

    def test_a_new_card_or_section_awaiting_review_is_not_shown(self):
        from glossary.models import RelatedArticlesSection

        term = GlossaryTermPageFactory(title="Kanban", slug="kanban")
        draft_card = RelatedArticleCardFactory(title="Unreviewed card", live=False)
        add_cards(term, draft_card)
        term.related_section = RelatedArticlesSection.objects.create(
            heading="Unreviewed heading", live=False
        )
        term.save_revision().publish()
        page = self.client.get(term.url).content.decode()
        self.assertNotIn("Unreviewed card", page)
        self.assertNotIn("Unreviewed heading", page)


class CardSlugErrorTests(AdminTestCase):
    def test_a_repeated_target_slug_is_an_error_on_the_field_in_words(self):
        RelatedArticleCardFactory(title="First", target_slug="lean-flow")
        self.login("Editors")
        response = self.client.post(
            ADD_CARD,
            card_form("Second", uuid.uuid4(), target_slug="lean-flow", **{"action-submit": "1"}),
        )
        self.assertEqual(response.status_code, 200)
        form = response.context["form"]
        self.assertEqual(
            form.errors["target_slug"],
            [
                "Another card already points at this slug: choose that card instead, "
                "or change the slug."
            ],
        )
        self.assertEqual(form.non_field_errors(), [])
        self.assertNotContains(response, "is violated")
        self.assertEqual(RelatedArticleCard.objects.count(), 1)

    def test_the_chooser_says_the_same(self):
        RelatedArticleCardFactory(title="First", target_slug="lean-flow")
        self.login("Editors")
        response = self.client.post(
            f"{CARD_CHOOSER}create/",
            {
                "title": "Second",
                "subheading": "",
                "button_text": "Read",
                "target_slug": "lean-flow",
            },
        )
        html = response.json()["htmlFragment"]
        self.assertIn("Another card already points at this slug", html)
        self.assertNotIn("is violated", html)
        self.assertEqual(RelatedArticleCard.objects.count(), 1)


class CardChooserTests(AdminTestCase):
    def test_the_chooser_lists_target_article_and_status(self):
        article = PulseArticlePageFactory(title="Lean flow in practice", slug="lean-flow")
        RelatedArticleCardFactory(title="Linked card", target_page=article, target_slug="")
        RelatedArticleCardFactory(title="Waiting card", target_slug="not-yet-written")
        self.login("Editors")
        response = self.client.get(CARD_CHOOSER)
        html = response.json()["html"]
        for text in ("Target", "Article", "Status", "Lean flow in practice", "not-yet-written"):
            self.assertIn(text, html)
        self.assertIn("Not written yet", html)
        self.assertIn("Create card", html)  # the "Create" tab

    def test_an_editor_creates_a_card_in_the_chooser_and_it_goes_to_review(self):
        article = PulseArticlePageFactory(title="Lean flow in practice", slug="lean-flow")
        self.login("Editors")
        response = self.client.post(
            f"{CARD_CHOOSER}create/",
            {"title": "Lean flow", "subheading": "Article", "button_text": "Read Pulse"}
            | {"target_slug": "lean-flow"},
        )
        self.assertEqual(response.json()["step"], "chosen")
        card = RelatedArticleCard.objects.get()
        self.assertEqual(response.json()["result"]["id"], str(card.pk))
        self.assertFalse(card.live)
        self.assertEqual(card.target_page.specific, article)
        self.assertEqual(card.current_workflow_state.status, "in_progress")
        self.assertEqual(card.revisions.count(), 1)

    def test_a_moderator_creates_a_published_card(self):
        self.login("Moderators")
        self.client.post(
            f"{CARD_CHOOSER}create/",
            {"title": "Lean flow", "subheading": "", "button_text": "Read", "target_slug": ""},
        )
        card = RelatedArticleCard.objects.get()
        self.assertTrue(card.live)
        self.assertIsNone(card.current_workflow_state)


class CardHistoryTests(AdminTestCase):
    """Autosave keeps one revision per editing session (Wagtail overwrites it); its history
    row is one too, and every explicit save still adds its own."""

    def edit_rows(self, card):
        history = self.client.get(f"/admin/snippets/glossary/relatedarticlecard/history/{card.pk}/")
        return [entry.action for entry in history.context["object_list"]].count("wagtail.edit")

    def test_autosaves_of_one_session_are_one_history_row(self):
        self.login("Editors")
        json = {"accept": "application/json"}
        created = self.client.post(ADD_CARD, card_form("Card", uuid.uuid4()), headers=json).json()
        revision = created["revision_id"]
        for n in range(6):
            saved = self.client.post(
                created["url"],
                card_form(f"Card, take {n}", "", overwrite_revision_id=revision),
                headers=json,
            )
            self.assertEqual(saved.json()["revision_id"], revision)
        card = RelatedArticleCard.objects.get()
        self.assertEqual(card.revisions.count(), 1)
        self.assertEqual(card.get_latest_revision_as_object().title, "Card, take 5")
        self.assertEqual(self.edit_rows(card), 1)

        self.client.post(created["url"], card_form("Card, kept", ""))  # "Save draft"
        self.assertEqual(card.revisions.count(), 2)
        self.assertEqual(self.edit_rows(card), 2)
