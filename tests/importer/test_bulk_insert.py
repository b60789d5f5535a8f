"""``bulk.insert`` writes the rows Django's own inserts would: COPY on PostgreSQL, Django's
bulk insert on SQLite (the suite runs on both)."""

import datetime

from django.contrib.contenttypes.models import ContentType
from django.test import TestCase
from django.utils import timezone

from wagtail.models import Page, PageLogEntry, ReferenceIndex, Revision

from glossary.models import GlossaryTermPage
from importer import bulk

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
