"""The neighbourhood followed term by term: after any sequence of editors' changes the stored
lists and index are what a recompute of the whole glossary gives; the work of one change does
not grow with the glossary; changes are recorded durably and caught up with in one run."""

import datetime
import random
from io import StringIO
from unittest import mock

from django.core.management import call_command
from django.db import connection, transaction
from django.test import TestCase, override_settings
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from wagtail.models import PageViewRestriction
from wagtail.test.utils import WagtailPageTestCase

from core.tasks import PERIODIC
from devkit.terms import add_terms
from glossary import related, related_rows, related_scoring
from glossary.models import (
    GlossaryTermPage,
    GlossaryTermPinnedTerm,
    IndexedTerm,
    PendingNeighbourhood,
    TermNeighbour,
    TermWord,
    WordFrequency,
)
from glossary.tasks import recompute_all_neighbourhoods
from tests.core.test_queue import DATABASE_QUEUE, run_due_tasks, statuses
from tests.factories import GlossaryTermPageFactory

VOCABULARY = ["kanban", "backlog", "capacity", "queue", "flow", "audit", "margin", "lean"]


def whole_glossary():
    """What a recompute of the whole glossary would store, written nowhere."""
    index = related_rows.index_of(related_rows.live_terms())
    wanted = {
        term_id: sorted(rows)
        for term_id, rows in related_scoring.wanted_rows(index, related_rows.pinned_terms()).items()
        if rows
    }
    words = sorted(
        (term_id, word, weight, place)
        for term_id, (_, held) in index.items()
        for word, (weight, place) in held.items()
    )
    counts = {}
    for _, word, _, _ in words:
        counts[word] = counts.get(word, 0) + 1
    keys = {term_id: key for term_id, (key, _) in index.items()}
    return wanted, words, counts, keys


def stored():
    rows = {term_id: sorted(found) for term_id, found in related_rows.stored_rows().items()}
    words = sorted(TermWord.objects.values_list("term_id", "word", "weight", "query_position"))
    counts = dict(WordFrequency.objects.values_list("word", "terms"))
    keys = {term_id: bytes(key) for term_id, key in IndexedTerm.objects.values_list()}
    return rows, words, counts, keys


class IncrementalEqualsWholeTests(WagtailPageTestCase):
    """Random editors' changes through Wagtail's own paths (publish, unpublish, rename, pin,
    delete, a view restriction), each followed as the worker follows it (``drain``: the
    tests' inline setting runs it in the change's transaction)."""

    def sentence(self, rng, count):
        return " ".join(rng.choice(VOCABULARY) for _ in range(count))

    def fresh(self, rng, number):
        return GlossaryTermPageFactory(
            title=f"{rng.choice(VOCABULARY).capitalize()} {rng.choice(VOCABULARY)} {number}",
            slug=f"term-{number}",
            description=self.sentence(rng, 4).capitalize() + ".",
            key_questions=[("question", f"How does {self.sentence(rng, 2)} work?")],
            body=[],
        )

    def change(self, rng, number):
        terms = list(GlossaryTermPage.objects.order_by("pk"))
        live = [term for term in terms if term.live]
        kind = rng.choice(["new", "new", "rename", "describe", "unpublish", "publish", "pin"])
        if kind == "new" or len(live) < 3:
            self.fresh(rng, number)
            return "new"
        term = rng.choice(live)
        if kind == "rename":
            term.title = (
                f"{rng.choice(VOCABULARY).capitalize()} {rng.choice(['', 'a', 'Z'])}{number}"
            )
            term.save_revision().publish()
        elif kind == "describe":
            term.description = self.sentence(rng, rng.randint(1, 6)).capitalize() + "."
            term.save_revision().publish()
        elif kind == "unpublish":
            term.unpublish()
        elif kind == "publish":
            hidden = [page for page in terms if not page.live]
            if hidden:
                rng.choice(hidden).save_revision().publish()
        elif kind == "pin":
            others = [other for other in live if other.pk != term.pk]
            term.pinned_related_terms = [
                GlossaryTermPinnedTerm(term=other) for other in rng.sample(others, 2)
            ]
            term.save_revision().publish()
        return kind

    # Few words and a low bar for "too common": words cross it both ways as terms change.
    @mock.patch.object(related_scoring, "COMMON_WORD_TERMS", 4)
    @mock.patch.object(related_scoring, "RELATED_SHOWN", 3)
    def test_random_changes_leave_what_the_whole_recompute_gives(self):
        self.maxDiff = None
        for seed in range(3):
            rng = random.Random(seed)  # noqa: S311 - test data
            with self.subTest(seed=seed), transaction.atomic():
                for number in range(6):
                    self.fresh(rng, 1000 * seed + number)
                for step in range(30):
                    kind = self.change(rng, 1000 * seed + 100 + step)
                    self.assertEqual(stored(), whole_glossary(), f"step {step}: {kind}")
                transaction.set_rollback(True)

    @mock.patch.object(related_scoring, "COMMON_WORD_TERMS", 4)
    def test_deletes_and_view_restrictions(self):
        rng = random.Random(7)  # noqa: S311 - test data
        terms = [self.fresh(rng, number) for number in range(8)]
        terms[3].delete()
        self.assertEqual(stored(), whole_glossary())
        PageViewRestriction.objects.create(
            page=terms[5], restriction_type=PageViewRestriction.PASSWORD, password="x"
        )
        self.assertEqual(stored(), whole_glossary())
        self.assertFalse(TermNeighbour.objects.filter(other=terms[5]).exists())


class WorkOfOneChangeTests(TestCase):
    """A rename, followed term by term: the same number of queries with 50 terms as with
    500, so its cost follows the change, not the glossary."""

    def queries_for_a_rename(self, title):
        related.recompute()
        term = GlossaryTermPage.objects.order_by("pk")[20]
        term.title = title
        with override_settings(RELATED_RECOMPUTE="task"):  # recorded, not run: no commit here
            term.save_revision().publish()
        self.assertTrue(PendingNeighbourhood.objects.filter(term_id=term.pk).exists())
        with CaptureQueriesContext(connection) as queries:
            changed = related.drain()
        self.assertIn(term.pk, changed)
        self.assertEqual(stored(), whole_glossary())
        return len(queries)

    def test_queries_do_not_grow_with_the_glossary(self):
        add_terms(50, start=0)
        small = self.queries_for_a_rename("Aardvark")
        add_terms(450, start=50)
        large = self.queries_for_a_rename("Zebra")
        self.assertEqual(small, large)
        self.assertLessEqual(large, 40)


class PendingChangesTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        add_terms(30, start=0)
        related.recompute()

    def test_ten_changes_are_caught_up_with_in_one_run_and_then_forgotten(self):
        terms = list(GlossaryTermPage.objects.order_by("pk")[:10])
        with override_settings(RELATED_RECOMPUTE="task"):
            for number, term in enumerate(terms):
                term.title = f"Aardvark {number}"
                term.save_revision().publish()
        self.assertEqual(PendingNeighbourhood.objects.count(), 10)  # durable, in the database
        self.assertNotEqual(stored(), whole_glossary())
        changed = related.drain()
        self.assertEqual(stored(), whole_glossary())
        self.assertTrue({term.pk for term in terms} <= changed)
        self.assertFalse(PendingNeighbourhood.objects.exists())
        self.assertEqual(related.drain(), set())  # idempotent: nothing left to do

    def test_a_change_moves_only_what_it_can_and_every_term_when_told(self):
        """A list no change can have moved is left alone by a change term by term, and put
        right by a change of everything (an import, a view restriction) and by the command."""
        *_, last = a_to_z = list(
            IndexedTerm.objects.order_by("sort_key").values_list("term_id", flat=True)
        )
        first, second = a_to_z[:2]
        TermNeighbour.objects.filter(term_id=first, kind=TermNeighbour.NEXT).delete()
        related.record_changes([last])
        related.drain()
        self.assertFalse(TermNeighbour.objects.filter(term_id=first, kind="next").exists())
        related.record_changes(None)
        self.assertEqual(related.drain(), {first})
        self.assertEqual(TermNeighbour.objects.get(term_id=first, kind="next").other_id, second)

    def test_a_large_change_recomputes_the_whole_glossary(self):
        first = IndexedTerm.objects.order_by("sort_key").first().term_id
        TermNeighbour.objects.filter(term_id=first).delete()
        many = list(GlossaryTermPage.objects.exclude(pk=first).values_list("pk", flat=True))
        with mock.patch.object(related, "INCREMENTAL_MAX", 5):
            related.record_changes(many[:6])  # six of thirty: past the share of the glossary
            self.assertIn(first, related.drain())

    def test_the_command_recomputes_everything_and_says_what_changed(self):
        term = GlossaryTermPage.objects.order_by("title")[3]
        TermNeighbour.objects.filter(term=term).delete()
        output = StringIO()
        call_command("recompute_related", stdout=output)
        self.assertIn(f"{term.pk}: {term.title}", output.getvalue())
        self.assertIn(
            "1 term(s) had their related, previous or next terms changed", output.getvalue()
        )
        self.assertEqual(stored(), whole_glossary())


@override_settings(TASKS=DATABASE_QUEUE)
class NightlyRecomputeTests(TestCase):
    def test_the_worker_recomputes_every_term_nightly(self):
        self.assertIn(recompute_all_neighbourhoods, PERIODIC)
        add_terms(5, start=0)
        recompute_all_neighbourhoods.enqueue()
        run_due_tasks()
        self.assertEqual(stored(), whole_glossary())
        self.assertTrue(IndexedTerm.objects.exists())
        path = recompute_all_neighbourhoods.module_path
        self.assertEqual(sorted(statuses(path)), ["READY", "SUCCESSFUL"])
        from django_tasks_db.models import DBTaskResult

        following = DBTaskResult.objects.get(task_path=path, status="READY")
        self.assertGreater(following.run_after, timezone.now() + datetime.timedelta(hours=23))
