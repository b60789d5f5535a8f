"""bench.admin_form: the benchmark publishes through the admin's edit view with the POST a
browser would send; it must carry every field, block and inline as the page stands."""

import json
import re

from django.contrib.auth import get_user_model
from django.test import TestCase

from bench.admin_form import form_data
from glossary.models import GlossaryTermPage
from tests.factories import GlossaryTermPageFactory, RelatedArticleCardFactory, add_cards


def unkeyed(stream):
    return re.sub(r' data-block-key=\\"[^"\\]*\\"', "", json.dumps(stream.get_prep_value()))


class FormDataTests(TestCase):
    def setUp(self):
        self.client.force_login(
            get_user_model().objects.create_superuser("bench", "b@example.com", "pw")
        )
        self.term = GlossaryTermPageFactory(title="Kanban", slug="kanban", synonyms="Flow board")
        add_cards(self.term, RelatedArticleCardFactory(), RelatedArticleCardFactory())
        self.url = f"/admin/pages/{self.term.pk}/edit/"

    def test_publishing_the_forms_own_data_changes_only_what_was_edited(self):
        before = GlossaryTermPage.objects.get(pk=self.term.pk)
        data = form_data(self.client.get(self.url).context["form"])
        data["description"] = "A board that shows work in flight."
        response = self.client.post(self.url, data | {"action-publish": "publish"})
        self.assertEqual(response.status_code, 302, response.content[:3000])
        after = GlossaryTermPage.objects.get(pk=self.term.pk)
        self.assertEqual(after.description, "A board that shows work in flight.")
        self.assertEqual(after.live_revision_id, after.latest_revision_id)
        for name in ("title", "slug", "synonyms", "category"):
            self.assertEqual(getattr(after, name), getattr(before, name), name)
        # Draftail gives each paragraph a key, as it does for an editor in a browser.
        self.assertEqual(unkeyed(after.body), unkeyed(before.body))
        self.assertEqual(
            after.key_questions.get_prep_value(), before.key_questions.get_prep_value()
        )
        self.assertEqual(
            list(after.related_cards.values_list("card_id", flat=True)),
            list(before.related_cards.values_list("card_id", flat=True)),
        )
        self.assertEqual(after.related_cards.count(), 2)
