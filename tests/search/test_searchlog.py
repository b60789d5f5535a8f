"""Counting searches (search.log): every search counted, from the view or the page cache,
with no database write on the visitor's request; the worker's flush and prune."""

import datetime

from django.core.cache import cache
from django.db import connection
from django.test import TestCase, override_settings
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from search import log
from search.models import SearchQueryDay
from tests.factories import GlossaryTermPageFactory


def term(**fields):
    return GlossaryTermPageFactory(key_questions=[], body=[], **fields)


def writes(queries):
    return [
        query["sql"]
        for query in queries.captured_queries
        if query["sql"].lstrip().upper().startswith(("INSERT", "UPDATE", "DELETE"))
    ]


class CountingTests(TestCase):
    def setUp(self):
        cache.clear()
        term(title="Capacity planning", slug="capacity-planning", description="Demand.")
        term(title="Capacity buffer", slug="capacity-buffer", description="Spare capacity.")

    def counts(self):
        log.flush()
        return {
            row.query: (row.searches, row.results)
            for row in SearchQueryDay.objects.filter(day=timezone.localdate())
        }

    def test_results_page_searches_are_counted_normalised_with_their_results(self):
        self.client.get("/search/", {"q": "Capacity   PLANNING"})
        self.client.get("/search/", {"q": "nothing here at all"})
        self.assertEqual(
            self.counts(), {"capacity planning": (1, 1), "nothing here at all": (1, 0)}
        )

    def test_a_search_answered_from_the_page_cache_is_counted(self):
        first = self.client.get("/search/", {"q": "capacity"})
        second = self.client.get("/search/", {"q": "capacity"})
        self.assertEqual(first["X-Page-Cache"], "miss")
        self.assertEqual(second["X-Page-Cache"], "hit")
        self.assertEqual(self.counts(), {"capacity": (2, 2)})

    def test_api_searches_are_counted_including_cache_hits(self):
        first = self.client.get("/api/v2/search/", {"q": "capacity"})
        second = self.client.get("/api/v2/search/", {"q": "capacity"})
        self.assertEqual(second["X-Page-Cache"], "hit")
        self.assertEqual(first.json()["meta"]["total_count"], 2)
        self.assertEqual(self.counts(), {"capacity": (2, 2)})

    def test_paging_filtering_and_empty_queries_are_not_new_searches(self):
        self.client.get("/search/", {"q": "capacity", "kind": "term"})
        self.client.get("/search/", {"q": "capacity", "page": "2"})
        self.client.get("/search/", {"q": "   "})
        self.client.get("/api/v2/search/", {"q": ""})
        self.assertEqual(self.counts(), {})

    def test_counted_responses_are_kept_from_shared_caches_and_carry_no_header(self):
        for response in (
            self.client.get("/search/", {"q": "capacity"}),
            self.client.get("/search/", {"q": "capacity"}),  # from the page cache
            self.client.get("/api/v2/search/", {"q": "capacity"}),
        ):
            control = response["Cache-Control"]
            self.assertIn("private", control)
            self.assertNotIn("public", control)
            self.assertNotIn("s-maxage", control)
            self.assertFalse(response.has_header(log.HEADER))
        # A page of results that is not a new search may still be kept by a front cache.
        page = self.client.get("/search/", {"q": "capacity", "kind": "term"})
        self.assertIn("public", page["Cache-Control"])

    def test_the_search_request_writes_nothing_to_the_database(self):
        for _ in range(2):  # rendered, then from the page cache
            for url in ("/search/", "/api/v2/search/"):
                with CaptureQueriesContext(connection) as queries:
                    self.client.get(url, {"q": "capacity planning"})
                self.assertEqual(writes(queries), [], url)
        self.assertFalse(SearchQueryDay.objects.exists())
        self.assertEqual(self.counts(), {"capacity planning": (4, 1)})


class BufferTests(TestCase):
    def setUp(self):
        cache.clear()

    def test_flush_is_idempotent(self):
        log.record("kanban", 0)
        log.record("kanban", 3)
        self.assertEqual(log.flush(), 1)
        self.assertEqual(log.flush(), 1)  # the same counters, written again
        row = SearchQueryDay.objects.get()
        self.assertEqual((row.query, row.searches, row.results), ("kanban", 2, 3))
        log.record("kanban", 3)
        log.flush()
        self.assertEqual(SearchQueryDay.objects.get().searches, 3)

    def test_a_lost_buffer_never_lowers_what_was_stored(self):
        for _ in range(5):
            log.record("kanban", 1)
        log.flush()
        cache.clear()  # Redis restarted
        log.record("kanban", 1)
        log.flush()
        self.assertEqual(SearchQueryDay.objects.get().searches, 5)

    def test_yesterdays_buffer_is_flushed_after_midnight(self):
        today = timezone.localdate()
        yesterday = today - datetime.timedelta(days=1)
        log.record("kanban", 1, day=yesterday)
        log.record("kanban", 1, day=today)
        log.flush(today)
        self.assertEqual(
            sorted(SearchQueryDay.objects.values_list("day", "searches")),
            [(yesterday, 1), (today, 1)],
        )

    @override_settings(SEARCH_LOG_MAX_PENDING=3)
    def test_distinct_queries_a_day_are_bounded(self):
        for number in range(10):
            log.record(f"random {number}", 0)
        log.record("random 1", 0)  # already buffered: still counted
        log.flush()
        self.assertEqual(
            dict(SearchQueryDay.objects.values_list("query", "searches")),
            {"random 0": 1, "random 1": 2, "random 2": 1},
        )
        self.assertIsNone(cache.get(log._count_key(timezone.localdate(), log._digest("random 9"))))

    @override_settings(SEARCH_LOG_DAYS=30)
    def test_prune_keeps_the_configured_days(self):
        today = timezone.localdate()
        for age in (0, 29, 30, 200):
            SearchQueryDay.objects.create(
                query=f"q{age}", day=today - datetime.timedelta(days=age), searches=1
            )
        self.assertEqual(log.prune(today), 2)
        self.assertEqual(
            sorted(SearchQueryDay.objects.values_list("query", flat=True)), ["q0", "q29"]
        )

    def test_a_failing_cache_loses_the_count_not_the_search(self):
        from unittest import mock

        with mock.patch.object(log.cache, "incr", side_effect=ConnectionError("down")):
            log.record("kanban", 1)  # no exception
        self.assertEqual(log.flush(), 0)

    def test_the_tasks_flush_and_prune(self):
        from search.tasks import flush_search_log, prune_search_log

        log.record("kanban", 1)
        SearchQueryDay.objects.create(query="old", day=datetime.date(2000, 1, 1), searches=1)
        flush_search_log.enqueue()
        prune_search_log.enqueue()
        self.assertEqual(list(SearchQueryDay.objects.values_list("query", flat=True)), ["kanban"])


class RegistrationTests(TestCase):
    def test_the_worker_flushes_often_and_prunes_nightly(self):
        from core import tasks
        from search.tasks import flush_search_log, prune_search_log

        self.assertIn(flush_search_log, tasks.PERIODIC)
        self.assertNotIn(flush_search_log, tasks.NIGHTLY)
        self.assertIn(prune_search_log, tasks.NIGHTLY)
