"""One card create form makes one card, whichever of autosave and the editor's click reaches
the server first (issue 21: two cards, the chosen one never published)."""

import re
import uuid

import pytest

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db import connection
from django.test import TransactionTestCase

from glossary.models import RelatedArticleCard
from tests.factories import (
    RelatedArticleCardFactory,
)
from tests.glossary.editors import ADD_CARD, AdminTestCase, card_form, while_in_flight


class CardCreatedOnceTests(AdminTestCase):
    """One create form makes one card, whichever of autosave and the editor's click reaches
    the server first (issue 21: two cards, the chosen one never published)."""

    def autosave(self, data):
        return self.client.post(ADD_CARD, data, headers={"accept": "application/json"})

    def test_the_click_after_the_autosave_continues_the_autosaved_card(self):
        self.login("Editors")
        key = uuid.uuid4()
        saved = self.autosave(card_form("Fresh card", key))
        self.assertEqual(saved.status_code, 200, saved.content)
        self.assertTrue(saved.json()["success"])
        submitted = self.client.post(
            ADD_CARD, card_form("Fresh card, final", key, **{"action-submit": "1"})
        )
        self.assertEqual(submitted.status_code, 302)
        card = RelatedArticleCard.objects.get()
        self.assertEqual(card.pk, saved.json()["pk"])
        self.assertEqual(card.current_workflow_state.status, "in_progress")
        self.assertEqual(card.get_latest_revision_as_object().title, "Fresh card, final")

    def test_an_autosave_after_the_click_makes_nothing(self):
        self.login("Editors")
        key = uuid.uuid4()
        submitted = self.client.post(
            ADD_CARD, card_form("Fresh card", key, **{"action-submit": "1"})
        )
        self.assertEqual(submitted.status_code, 302)
        late = self.autosave(card_form("Fresh card", key))
        self.assertEqual(late.status_code, 400)
        self.assertEqual(late.json()["error_code"], "invalid_revision")
        card = RelatedArticleCard.objects.get()
        self.assertEqual(card.revisions.count(), 1)
        self.assertEqual(card.current_workflow_state.status, "in_progress")

    def test_two_forms_make_two_cards(self):
        self.login("Editors")
        self.autosave(card_form("One", uuid.uuid4()))
        self.autosave(card_form("Two", uuid.uuid4()))
        self.assertEqual(RelatedArticleCard.objects.count(), 2)

    def test_the_add_form_carries_a_fresh_key_and_the_edit_form_none(self):
        self.login("Editors")
        first = self.client.get(ADD_CARD).content.decode()
        second = self.client.get(ADD_CARD).content.decode()
        keys = [
            re.search(r'name="creation_key" value="([^"]+)"', page)[1] for page in (first, second)
        ]
        self.assertNotEqual(keys[0], keys[1])
        card = RelatedArticleCardFactory()
        edit = self.client.get(f"/admin/snippets/glossary/relatedarticlecard/edit/{card.pk}/")
        self.assertNotContains(edit, 'name="creation_key"')

    def test_a_section_is_made_once_too(self):
        from glossary.models import RelatedArticlesSection

        self.login("Editors")
        url = "/admin/snippets/glossary/relatedarticlessection/add/"
        key = str(uuid.uuid4())
        data = {"heading": "In practice", "subheading": "", "description": "", "category": ""}
        self.client.post(url, data | {"creation_key": key}, headers={"accept": "application/json"})
        self.client.post(url, data | {"creation_key": key, "action-submit": "1"})
        section = RelatedArticlesSection.objects.get()
        self.assertEqual(section.current_workflow_state.status, "in_progress")

    def test_a_copied_card_is_a_new_card(self):
        original = RelatedArticleCardFactory(title="Original", creation_key=uuid.uuid4())
        self.login("Editors")
        copy = self.client.get(f"/admin/snippets/glossary/relatedarticlecard/copy/{original.pk}/")
        self.assertContains(copy, "Original")
        self.client.post(ADD_CARD, card_form("Copy", "", **{"action-submit": "1"}))
        self.assertEqual(RelatedArticleCard.objects.count(), 2)


@pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks of PostgreSQL")
class CardCreatedOnceConcurrentTests(TransactionTestCase):
    """The autosave and the click at the same moment: the click's insert waits on the unique
    index for the autosave's transaction, fails when it commits, and continues its card."""

    serialized_rollback = True

    def test_the_second_insert_continues_the_first_card(self):
        user = get_user_model().objects.create_user("editor", "e@example.com", "pw")
        user.groups.add(Group.objects.get(name="Editors"))
        self.client.force_login(user)
        key = uuid.uuid4()
        response = while_in_flight(
            lambda: RelatedArticleCard.objects.create(
                title="Fresh card", button_text="Read", creation_key=key, live=False
            ),
            lambda: self.client.post(
                ADD_CARD, card_form("Fresh card, final", key, **{"action-submit": "1"})
            ),
        )
        self.assertEqual(response.status_code, 302)
        card = RelatedArticleCard.objects.get()
        self.assertEqual(card.creation_key, key)
        self.assertEqual(card.current_workflow_state.status, "in_progress")
        self.assertEqual(card.get_latest_revision_as_object().title, "Fresh card, final")
