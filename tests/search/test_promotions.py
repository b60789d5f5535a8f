"""Pinned results (Wagtail's search promotions) on the results page and the API: first,
marked, following content changes, never a draft or a private page."""

from django.core.cache import cache
from django.db import connection
from django.test import TestCase
from django.test.utils import CaptureQueriesContext

from wagtail.contrib.search_promotions.models import Query, SearchPromotion
from wagtail.models import PageViewRestriction

from tests.factories import GlossaryTermPageFactory, PulseArticlePageFactory


def term(**fields):
    return GlossaryTermPageFactory(key_questions=[], body=[], **fields)


def pin(query_string, *pages):
    query = Query.objects.get_or_create(query_string=query_string)[0]
    for order, page in enumerate(pages):
        SearchPromotion.objects.create(query=query, page=page, sort_order=order)
    return query


class PromotionTests(TestCase):
    def setUp(self):
        cache.clear()
        self.planning = term(title="Capacity planning", slug="capacity-planning")
        self.buffer = term(title="Capacity buffer", slug="capacity-buffer")
        self.article = PulseArticlePageFactory(
            body=[], title="How we sized the line", slug="sized", summary="Takt time."
        )

    def titles(self, query):
        results = self.client.get("/search/", {"q": query}).context["results"]
        return [(result.title, result.recommended) for result in results]

    def test_pinned_pages_come_first_marked_recommended(self):
        pin("capacity", self.article, self.buffer)
        self.assertEqual(
            self.titles("Capacity"),
            [
                ("How we sized the line", True),
                ("Capacity buffer", True),
                ("Capacity planning", False),
            ],
        )
        response = self.client.get("/search/", {"q": "capacity"})
        self.assertContains(response, '<p class="result-recommended">Recommended</p>', count=2)
        items = self.client.get("/api/v2/search/", {"q": "capacity"}).json()["items"]
        self.assertEqual(
            [(item["title"], item["recommended"]) for item in items],
            [
                ("How we sized the line", True),
                ("Capacity buffer", True),
                ("Capacity planning", False),
            ],
        )

    def test_a_pin_shows_whatever_the_words_find(self):
        pin("takt", self.planning)
        self.assertEqual(
            self.titles("takt"), [("Capacity planning", True), ("How we sized the line", False)]
        )
        pin("nowhere at all", self.buffer)
        self.assertEqual(self.titles("Nowhere  at ALL"), [("Capacity buffer", True)])

    def test_a_draft_or_private_page_is_never_shown(self):
        pin("capacity", self.article)
        self.article.unpublish()
        self.assertNotIn("How we sized the line", [title for title, _ in self.titles("capacity")])
        pin("buffer", self.buffer)
        PageViewRestriction.objects.create(
            page=self.buffer, restriction_type=PageViewRestriction.PASSWORD, password="secret"
        )
        self.assertEqual(self.titles("buffer"), [])
        api = self.client.get("/api/v2/search/", {"q": "buffer"}).json()
        self.assertEqual(api["items"], [])

    def test_cached_results_follow_pins_and_pages(self):
        self.assertEqual(self.titles("takt"), [("How we sized the line", False)])
        query = pin("takt", self.planning)  # after the search was cached
        self.assertEqual(
            self.titles("takt"), [("Capacity planning", True), ("How we sized the line", False)]
        )
        self.planning.unpublish()
        self.assertEqual(self.titles("takt"), [("How we sized the line", False)])
        self.planning.save_revision().publish()
        self.assertEqual(self.titles("takt")[0], ("Capacity planning", True))
        query.editors_picks.all().delete()
        self.assertEqual(self.titles("takt"), [("How we sized the line", False)])

    def test_pins_are_read_from_the_cache_not_per_search(self):
        pin("capacity", self.article)
        self.client.get("/search/", {"q": "nothing"})  # reads the pins once
        for query in ("capacity", "buffer"):
            with CaptureQueriesContext(connection) as queries:
                response = self.client.get("/search/", {"q": query})
            self.assertEqual(response["X-Page-Cache"], "miss")
            self.assertFalse(
                [sql["sql"] for sql in queries if "searchpromotion" in sql["sql"].lower()]
            )
        self.assertTrue(response.context["results"])
