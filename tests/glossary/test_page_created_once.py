"""One page create form makes one page, whichever of the autosave and the editor's click
reaches the server first (issue 21: "Save schedule" on a new term failed on the unique term
name while the autosave that created the term was on its way; other pages got a twin)."""

import re
import uuid

import pytest

from django.contrib.auth import get_user_model
from django.db import connection
from django.test import TransactionTestCase

from wagtail.test.utils import WagtailPageTestCase
from wagtail.test.utils.form_data import inline_formset, nested_form_data, streamfield

from core.models import PageCreationKey
from glossary.models import GlossaryIndexPage, GlossaryTermPage
from pulse.models import PulseArticlePage, PulseIndexPage
from tests.factories import GlossaryTermPageFactory, RelatedArticleCardFactory
from tests.glossary.editors import log_in, while_in_flight


def term_form(key, description="How much work a team can take on.", cards=(), **extra):
    return nested_form_data(
        {
            "title": "Capacity model",
            "slug": "capacity-model",
            "description": description,
            "synonyms": "",
            "category": "glossary",
            "status": "current",
            "body": streamfield([]),
            "key_questions": streamfield([]),
            "related_cards": inline_formset([{"card": card.pk} for card in cards]),
            "pinned_related_terms": inline_formset([]),
            "sources": inline_formset([]),
            "broader_terms": inline_formset([]),
            "creation_key": str(key),
            **extra,
        }
    )


SCHEDULE = {"action-publish": "1", "go_live_at": "2030-01-01 10:00"}


class PageCreatedOnceTests(WagtailPageTestCase):
    def setUp(self):
        self.index = GlossaryIndexPage.objects.get()
        self.add_term = f"/admin/pages/add/glossary/glossarytermpage/{self.index.pk}/"

    def login(self, group=None):
        log_in(self.client, group)

    def autosave(self, url, data):
        return self.client.post(url, data, headers={"accept": "application/json"})

    def assert_scheduled_once(self, description):
        term = GlossaryTermPage.objects.get()  # one term, not two
        self.assertFalse(term.live)
        scheduled = term.scheduled_revision
        self.assertIsNotNone(scheduled)
        self.assertEqual(scheduled.approved_go_live_at.year, 2030)
        self.assertEqual(scheduled.as_object().description, description)
        return term

    def test_save_schedule_after_the_autosave_schedules_the_autosaved_term(self):
        self.login()
        key = uuid.uuid4()
        saved = self.autosave(self.add_term, term_form(key, "First words."))
        self.assertEqual(saved.status_code, 200, saved.content)
        clicked = self.client.post(self.add_term, term_form(key, "Final words.", **SCHEDULE))
        self.assertEqual(clicked.status_code, 302)
        self.assertEqual(clicked["Location"], f"/admin/pages/{self.index.pk}/")
        term = self.assert_scheduled_once("Final words.")
        self.assertEqual(term.pk, saved.json()["pk"])

    def test_an_autosave_after_save_schedule_saves_nothing(self):
        self.login()
        key = uuid.uuid4()
        clicked = self.client.post(self.add_term, term_form(key, "Final words.", **SCHEDULE))
        self.assertEqual(clicked.status_code, 302)
        late = self.autosave(self.add_term, term_form(key, "Older words."))
        self.assertEqual(late.status_code, 400)
        self.assertEqual(late.json()["error_code"], "invalid_revision")
        term = self.assert_scheduled_once("Final words.")
        self.assertEqual(term.revisions.count(), 1)
        self.assertEqual(term.get_latest_revision_as_object().description, "Final words.")

    def test_publish_after_the_autosave_publishes_the_autosaved_term(self):
        self.login()
        key = uuid.uuid4()
        self.autosave(self.add_term, term_form(key))
        self.client.post(
            self.add_term, term_form(key, "Published words.", **{"action-publish": "1"})
        )
        term = GlossaryTermPage.objects.get()
        self.assertTrue(term.live)
        self.assertEqual(term.description, "Published words.")

    def test_submit_after_the_autosave_sends_the_autosaved_term_to_review(self):
        self.login("Editors")
        key = uuid.uuid4()
        self.autosave(self.add_term, term_form(key))
        submitted = self.client.post(self.add_term, term_form(key, **{"action-submit": "1"}))
        self.assertEqual(submitted.status_code, 302)
        term = GlossaryTermPage.objects.get()
        self.assertFalse(term.live)
        self.assertEqual(term.current_workflow_state.status, "in_progress")

    def test_save_draft_after_the_autosave_keeps_the_cards_once(self):
        first, second = RelatedArticleCardFactory(), RelatedArticleCardFactory()
        self.login()
        key = uuid.uuid4()
        self.autosave(self.add_term, term_form(key, cards=[first, second]))
        saved = self.client.post(self.add_term, term_form(key, cards=[second, first]))
        term = GlossaryTermPage.objects.get()
        self.assertRedirects(saved, f"/admin/pages/{term.pk}/edit/", fetch_redirect_response=False)
        latest = term.get_latest_revision_as_object()
        self.assertEqual(
            [placement.card_id for placement in latest.related_cards.all()], [second.pk, first.pk]
        )

    def test_an_article_is_made_once_too(self):
        self.login()
        pulse = PulseIndexPage.objects.get()
        url = f"/admin/pages/add/pulse/pulsearticlepage/{pulse.pk}/"
        key = uuid.uuid4()
        data = nested_form_data(
            {
                "title": "Flow at work",
                "slug": "flow-at-work",
                "subheading": "Article",
                "category": "",
                "summary": "Draft.",
                "published_date": "",
                "body": streamfield([]),
                "creation_key": str(key),
            }
        )
        self.autosave(url, data)
        self.client.post(url, data | {"summary": "Final.", "action-publish": "1"})
        article = PulseArticlePage.objects.get()
        self.assertTrue(article.live)
        self.assertEqual(article.summary, "Final.")
        self.assertEqual(PageCreationKey.objects.get().page_id, article.pk)

    def test_two_forms_make_two_pages_and_a_form_without_a_key_still_works(self):
        self.login()
        self.autosave(self.add_term, term_form(uuid.uuid4()))
        other = term_form(uuid.uuid4()) | {"title": "Flow", "slug": "flow"}
        self.autosave(self.add_term, other)
        keyless = term_form("") | {"title": "Lead time", "slug": "lead-time"}
        self.client.post(self.add_term, keyless)
        self.assertEqual(GlossaryTermPage.objects.count(), 3)
        self.assertEqual(PageCreationKey.objects.count(), 2)

    def test_each_create_form_carries_a_fresh_key(self):
        self.login()
        keys = [
            re.search(
                r'name="creation_key" value="([^"]+)"', self.client.get(url).content.decode()
            )[1]
            for url in (self.add_term, self.add_term)
        ]
        self.assertNotEqual(keys[0], keys[1])
        self.assertEqual(len({str(uuid.UUID(key)) for key in keys}), 2)

    def test_a_deleted_page_takes_its_key_along(self):
        self.login()
        self.autosave(self.add_term, term_form(uuid.uuid4()))
        GlossaryTermPage.objects.get().delete()
        self.assertFalse(PageCreationKey.objects.exists())


@pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks of PostgreSQL")
class PageCreatedOnceConcurrentTests(TransactionTestCase):
    """The autosave and "Save schedule" at the same moment: the click's claim waits on the
    key's unique index for the autosave's transaction, fails when it commits, and continues
    its term."""

    serialized_rollback = True

    def test_the_second_claim_continues_the_first_page(self):
        self.client.force_login(
            get_user_model().objects.create_superuser("boss", "boss@example.com", "pw")
        )
        index = GlossaryIndexPage.objects.get()
        key = uuid.uuid4()

        def autosave():
            claim = PageCreationKey.objects.create(key=key)
            term = GlossaryTermPageFactory(
                title="Capacity model", slug="capacity-model", parent=index, live=False
            )
            claim.page_id = term.pk
            claim.save()

        response = while_in_flight(
            autosave,
            lambda: self.client.post(
                f"/admin/pages/add/glossary/glossarytermpage/{index.pk}/",
                term_form(key, "Final words.", **SCHEDULE),
            ),
        )
        self.assertEqual(response.status_code, 302)
        term = GlossaryTermPage.objects.get()
        self.assertEqual(term.creation_key.key, key)
        self.assertEqual(term.scheduled_revision.approved_go_live_at.year, 2030)
        self.assertEqual(term.scheduled_revision.as_object().description, "Final words.")
