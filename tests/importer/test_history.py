"""Imported pages have a history an editor can use: preview, compare and revert every version."""

from django.contrib.auth import get_user_model
from django.test import TestCase
from django.urls import reverse

from wagtail.models import PageLogEntry

from glossary.models import GlossaryTermPage
from tests.importer.helpers import ImportTestMixin, term_text


class ImportedHistoryTests(ImportTestMixin, TestCase):
    def setUp(self):
        super().setUp()
        self.source = self.write("glossary/t1.txt", term_text(name="Service level"))
        self.run_import()
        self.term = GlossaryTermPage.objects.get(term_id="t1")
        admin = get_user_model().objects.create_superuser("boss", "boss@example.com", "pw")
        self.client.force_login(admin)

    def update(self):
        text = term_text(name="Service level").replace(
            "is a promise about", "is an agreed promise about"
        )
        self.write("glossary/t1.txt", text)
        self.run_import()
        self.term.refresh_from_db()

    def test_the_first_version_is_a_revision_matching_the_page(self):
        revision = self.term.latest_revision
        self.assertIsNotNone(revision)
        self.assertEqual(self.term.live_revision_id, revision.pk)
        stored = revision.as_object()
        for field in ("title", "slug", "description", "category", "term_id"):
            self.assertEqual(getattr(stored, field), getattr(self.term, field), field)
        self.assertEqual(stored.body.get_prep_value(), self.term.body.get_prep_value())
        edit = PageLogEntry.objects.get(page=self.term, action="wagtail.edit")
        self.assertEqual(edit.revision_id, revision.pk)
        self.assertTrue(edit.content_changed)

    def test_history_offers_preview_and_review_of_the_first_version(self):
        first = self.term.latest_revision_id
        history = self.client.get(reverse("wagtailadmin_pages:history", args=[self.term.pk]))
        self.assertEqual(history.status_code, 200)
        preview = reverse("wagtailadmin_pages:revisions_view", args=[self.term.pk, first])
        self.assertContains(history, preview)
        self.assertEqual(self.client.get(preview).status_code, 200)

        self.update()
        second = self.term.latest_revision_id
        self.assertNotEqual(first, second)
        self.assertIn("an agreed promise", self.term.latest_revision.as_object().description)
        history = self.client.get(reverse("wagtailadmin_pages:history", args=[self.term.pk]))
        revert = reverse("wagtailadmin_pages:revisions_revert", args=[self.term.pk, first])
        compare = reverse(
            "wagtailadmin_pages:revisions_compare", args=[self.term.pk, first, second]
        )
        self.assertContains(history, revert)
        self.assertContains(history, compare)
        self.assertEqual(self.client.get(revert).status_code, 200)
        response = self.client.get(compare)
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "agreed")
