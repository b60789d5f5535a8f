"""Rich text already stored, or written past the stream block's save: the data migrations clean
the rows and revisions stored before the sanitiser, and the field cleans what
``QuerySet.update`` gives it."""

import importlib
import json

from django.core.cache import cache
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.test import TestCase

from glossary.models import GlossaryTermPage
from pulse.models import PulseArticlePage
from tests.core.rich_text_attacks import ATTACK, stored_body, write_past_the_field
from tests.factories import GlossaryTermPageFactory, PulseArticlePageFactory
from tests.markup import active_markup

CLEAN_MIGRATIONS = {"glossary": "0011_sanitise_rich_text", "pulse": "0003_sanitise_rich_text"}


class DataMigrationTests(TestCase):
    """Rows stored before the sanitiser (written straight to the table) are cleaned."""

    def test_existing_bodies_and_revisions_are_cleaned(self):
        term = GlossaryTermPageFactory(title="Old term")
        article = PulseArticlePageFactory(title="Old article")
        raw_term = json.dumps(
            [
                {"type": "paragraph", "value": ATTACK, "id": "p1"},
                {"type": "callout", "value": {"title": "t", "text": ATTACK}, "id": "c1"},
            ]
        )
        raw_article = json.dumps(
            [
                {
                    "type": "faq",
                    "value": {
                        "heading_text": "FAQs",
                        "items": [
                            {
                                "type": "item",
                                "value": {"question": "Q?", "answer": ATTACK},
                                "id": "i",
                            }
                        ],
                    },
                    "id": "f1",
                }
            ]
        )
        write_past_the_field(GlossaryTermPage, term.pk, raw_term)
        write_past_the_field(PulseArticlePage, article.pk, raw_article)
        for page, raw in ((term, raw_term), (article, raw_article)):
            revision = page.save_revision()
            revision.content = {**revision.content, "body": raw}
            type(revision).objects.filter(pk=revision.pk).update(content=revision.content)

        state = MigrationExecutor(connection).loader.project_state(list(CLEAN_MIGRATIONS.items()))
        for app, name in CLEAN_MIGRATIONS.items():
            importlib.import_module(f"{app}.migrations.{name}").sanitise_rich_text(state.apps, None)

        for page in (GlossaryTermPage.objects.get(), PulseArticlePage.objects.get()):
            stored = stored_body(type(page), page.pk)
            revision = json.dumps(page.latest_revision.content)
            for text in (stored, revision):
                for piece in ("<script", "<iframe", "javascript:", "onerror", "<meta"):
                    self.assertNotIn(piece, text)
                self.assertIn("Before", text)
            cache.clear()
            self.assertEqual(active_markup(self.client.get(page.url).content.decode()), [])


class QuerySetDoorTests(TestCase):
    """``QuerySet.update`` skips the stream block's save: the field cleans what it is given."""

    def test_a_body_written_by_update_as_a_list_or_as_json_is_cleaned(self):
        term = GlossaryTermPageFactory(title="Updated term")
        data = [{"type": "paragraph", "value": ATTACK, "id": "p1"}]
        for value in (data, json.dumps(data)):
            with self.subTest(kind=type(value).__name__):
                GlossaryTermPage.objects.filter(pk=term.pk).update(body=value)
                stored = stored_body(GlossaryTermPage, term.pk)
                for piece in ("<script", "<iframe", "javascript:", "onerror", "<meta"):
                    self.assertNotIn(piece, stored)
                self.assertIn("Before", stored)
                cache.clear()
                self.assertEqual(active_markup(self.client.get(term.url).content.decode()), [])
