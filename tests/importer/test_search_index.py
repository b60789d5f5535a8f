"""The import's own PostgreSQL search indexing writes exactly the rows Wagtail's search would."""

import shutil
import tempfile
from io import StringIO
from pathlib import Path

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command
from django.db import connection
from django.test import TestCase

from modelsearch.backends.database.postgres.postgres import IndexEntry
from wagtail.search.backends import get_search_backend

from bench.corpus import write_corpus
from glossary.models import GlossaryTermPage, RelatedArticleCard, RelatedArticlesSection
from importer import search_index
from pulse.models import PulseArticlePage

INDEXED = (GlossaryTermPage, PulseArticlePage, RelatedArticleCard, RelatedArticlesSection)
COLUMNS = (
    "content_type_id",
    "object_id",
    "title",
    "autocomplete",
    "body",
    "title_norm",
    "title_text",
    "body_text",
)


class PostgresBulkIndexTests(TestCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.corpus = Path(tempfile.mkdtemp(prefix="corpus-"))
        write_corpus(cls.corpus, terms=30, articles=5, seed=3)
        for folder in ("glossary", "pulse"):
            for path in (Path(settings.FIXTURES_DIR) / folder).iterdir():
                shutil.copy(path, cls.corpus / folder / path.name)

    @classmethod
    def tearDownClass(cls):
        shutil.rmtree(cls.corpus, ignore_errors=True)
        super().tearDownClass()

    def setUp(self):
        if connection.vendor != "postgresql":
            self.skipTest("PostgreSQL's own index path; SQLite keeps the library's add_bulk")
        self.backend = get_search_backend()

    def index_rows(self):
        """Every entry, with title norms computed afresh (they depend on insertion order)."""
        self.backend.get_index_for_model(GlossaryTermPage)._refresh_title_norms(full=True)
        return sorted(IndexEntry.objects.values_list(*COLUMNS))

    def test_rows_equal_the_librarys_for_the_same_objects(self):
        call_command("import_fixtures", str(self.corpus), stdout=StringIO())
        ours = self.index_rows()
        self.assertGreater(len(ours), 35)

        indexed = {}
        for content_type, object_id in IndexEntry.objects.values_list("content_type", "object_id"):
            indexed.setdefault(content_type, []).append(object_id)
        self.assertTrue(
            {ContentType.objects.get_for_model(model).pk for model in INDEXED} <= set(indexed)
        )
        IndexEntry.objects.all().delete()
        for content_type, ids in indexed.items():
            model = ContentType.objects.get_for_id(content_type).model_class()
            self.backend.add_bulk(model, list(model.objects.filter(pk__in=ids)))
        library = self.index_rows()

        self.assertEqual(len(ours), len(library))
        for mine, theirs in zip(ours, library, strict=True):
            self.assertEqual(
                dict(zip(COLUMNS, mine, strict=True)), dict(zip(COLUMNS, theirs, strict=True))
            )

    def test_texts_are_grouped_by_field_kind_and_blanks_left_out(self):
        call_command("import_fixtures", str(self.corpus), stdout=StringIO())
        term = GlossaryTermPage.objects.get(term_id="e0c71804d0d3")
        title, body, autocomplete = search_index.object_texts(self.backend, term)
        self.assertEqual([text for text, _ in title], [term.title])
        self.assertEqual([text for text, _ in autocomplete], [term.title])
        self.assertIn(term.description, [text for text, _ in body])
        self.assertTrue(all(text.strip() == text and text for text, _ in body))

    def test_reindexing_updates_the_entry_in_place(self):
        call_command("import_fixtures", str(self.corpus), stdout=StringIO())
        term = GlossaryTermPage.objects.get(term_id="e0c71804d0d3")
        term.title = "Operations playbook"
        search_index.add_bulk(GlossaryTermPage, [term])
        entries = IndexEntry.objects.filter(object_id=str(term.pk))
        self.assertEqual(entries.count(), 1)
        self.assertEqual(entries.get().title_text, "Operations playbook")
        found = GlossaryTermPage.objects.search("playbook")
        self.assertEqual([page.pk for page in found], [term.pk])
