"""``importer/bulk.py`` writes what Wagtail's own path writes, row for row: ``insert`` the rows
Django's inserts would (COPY on PostgreSQL, Django's bulk insert on SQLite; the suite runs on
both), and ``index_for_search`` the search entries the library would. The bulk pages'
revisions, log entries and reference index are compared in ``test_bulk_import.py``."""

import datetime
import shutil
import tempfile
from io import StringIO
from pathlib import Path

import pytest

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ImproperlyConfigured
from django.core.management import call_command
from django.db import connection
from django.test import TestCase
from django.utils import timezone

from modelsearch.backends.database.postgres.postgres import IndexEntry
from wagtail.models import Page, PageLogEntry, ReferenceIndex, Revision
from wagtail.search.backends import get_search_backend

from core.internals import require_checked_versions
from devkit.corpus import write_corpus
from glossary.models import GlossaryTermPage, RelatedArticleCard, RelatedArticlesSection
from importer import bulk
from pulse.models import PulseArticlePage

AWKWARD = 'tab\there, new\nline, back\\slash, "quotes", \\N, apostrophe\'s, café ✓, \r\n end'
WHEN = datetime.datetime(2026, 11, 22, 12, 30, 15, 123456, tzinfo=datetime.UTC)


def log_entries(page, label):
    content_type = ContentType.objects.get_for_model(GlossaryTermPage)
    return [
        PageLogEntry(
            content_type=content_type,
            page_id=page.pk,
            label=label,
            action=action,
            timestamp=WHEN,
            content_changed=True,
            data={"source": label, "nested": [1, 2.5, None, {"k": AWKWARD}]},
        )
        for action in ("wagtail.create", "wagtail.publish")
    ]


def row(obj, exclude=("id",)):
    values = type(obj).objects.filter(pk=obj.pk).values().get()
    return {name: value for name, value in values.items() if name not in exclude}


class InsertTests(TestCase):
    def setUp(self):
        self.page = Page.objects.get(depth=2)

    def test_rows_equal_bulk_create_including_json_dates_and_awkward_text(self):
        ours, django = log_entries(self.page, AWKWARD), log_entries(self.page, AWKWARD)
        bulk.insert(PageLogEntry, ours)
        PageLogEntry.objects.bulk_create(django)
        self.assertTrue(all(entry.pk for entry in ours))
        self.assertEqual(len({entry.pk for entry in ours + django}), 4)
        for mine, theirs in zip(ours, django, strict=True):
            self.assertEqual(row(mine), row(theirs))
        self.assertEqual(row(ours[0])["label"], AWKWARD)
        self.assertEqual(row(ours[0])["timestamp"], WHEN)

    def test_rows_without_ids_equal_bulk_create(self):
        ours, django = log_entries(self.page, AWKWARD), log_entries(self.page, AWKWARD)
        bulk.insert(PageLogEntry, ours, ids=False)
        PageLogEntry.objects.bulk_create(django)
        self.assertEqual([entry.pk for entry in ours], [None, None])
        stored = PageLogEntry.objects.filter(page=self.page).order_by("pk")
        self.assertEqual(len(stored), 4)
        rows = [row(entry) for entry in stored]
        self.assertEqual(sorted(rows[:2], key=str), sorted(rows[2:], key=str))

    def test_ids_come_in_order_and_later_saves_do_not_clash(self):
        entries = log_entries(self.page, "first") + log_entries(self.page, "second")
        bulk.insert(PageLogEntry, entries)
        ids = [entry.pk for entry in entries]
        self.assertEqual(ids, sorted(ids))
        self.assertFalse(entries[0]._state.adding)
        later = PageLogEntry.objects.create(
            content_type=entries[0].content_type,
            page=self.page,
            label="later",
            action="wagtail.edit",
            timestamp=WHEN,
        )
        self.assertGreater(later.pk, max(ids))

    def test_uuid_and_given_ids_are_kept(self):
        revision = Revision(
            content_type=ContentType.objects.get_for_model(Page),
            base_content_type=ContentType.objects.get_for_model(Page),
            object_id=str(self.page.pk),
            object_str=AWKWARD,
            content={"title": AWKWARD},
            created_at=timezone.now(),
        )
        bulk.insert(Revision, [revision])
        self.assertEqual(Revision.objects.get(pk=revision.pk).content, {"title": AWKWARD})
        reference = ReferenceIndex(
            content_type=revision.content_type,
            base_content_type=revision.content_type,
            object_id=str(self.page.pk),
            to_content_type=revision.content_type,
            to_object_id="1",
            model_path="body",
            content_path="body.1",
            content_path_hash=ReferenceIndex._get_content_path_hash("body.1"),
        )
        bulk.insert(ReferenceIndex, [reference])
        stored = ReferenceIndex.objects.get(pk=reference.pk)
        self.assertEqual(stored.content_path_hash, reference.content_path_hash)


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
        title, body, autocomplete = bulk.object_texts(self.backend, term)
        self.assertEqual([text for text, _ in title], [term.title])
        self.assertEqual([text for text, _ in autocomplete], [term.title])
        self.assertIn(term.description, [text for text, _ in body])
        self.assertTrue(all(text.strip() == text and text for text, _ in body))

    def test_reindexing_updates_the_entry_in_place(self):
        call_command("import_fixtures", str(self.corpus), stdout=StringIO())
        term = GlossaryTermPage.objects.get(term_id="e0c71804d0d3")
        term.title = "Operations playbook"
        bulk.index_for_search(GlossaryTermPage, [term])
        entries = IndexEntry.objects.filter(object_id=str(term.pk))
        self.assertEqual(entries.count(), 1)
        self.assertEqual(entries.get().title_text, "Operations playbook")
        found = GlossaryTermPage.objects.search("playbook")
        self.assertEqual([page.pk for page in found], [term.pk])


def test_the_versions_it_was_checked_against_are_the_installed_ones():
    require_checked_versions("importer/bulk.py", bulk.CHECKED_VERSIONS)  # starts here


def test_any_other_version_stops_the_site_at_start_up():
    with pytest.raises(
        ImproperlyConfigured, match=r"importer/bulk.py was checked against wagtail 7\.4"
    ):
        require_checked_versions("importer/bulk.py", {**bulk.CHECKED_VERSIONS, "wagtail": (7, 4)})
