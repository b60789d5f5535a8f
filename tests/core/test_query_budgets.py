"""Query budgets of every public page type, on generated glossaries of two sizes.

The corpus is written by ``devkit.corpus`` and loaded by the importer, as in the benchmarks.
Each page is rendered cold (the page cache made stale first) after one warm-up request, so
what is counted is what a page costs whenever it must be rendered: the same at both sizes and
within the budget, and never an image rendition made during the request.
"""

import tempfile
from io import StringIO

from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils.text import slugify

from wagtail.test.utils import WagtailPageTestCase

from core import page_cache
from devkit.corpus import write_corpus
from glossary.models import GlossaryTermPage
from pulse.models import PulseArticlePage

# One budget serves both databases. The search's is PostgreSQL's count, where the name step is
# a query of its own (web processes hold no name index); SQLite matches names in memory and has
# one query to spare.
# A term page's broader and narrower terms, its sources and its "Mentioned in" list are one
# query each, whatever the glossary's size (stored rows: nothing is matched per request; its
# Changes are kept on the term's row). A term's list of the articles that mention it
# ("mentions"): the routing, the home page, the term's share image and sources (its JSON-LD
# cites them) as on its page, and one query of stored rows.
BUDGETS = {
    "term": 10,
    "mentions": 7,
    "article": 8,
    "index": 6,
    "letter": 6,
    "topic": 7,
    "pulse": 6,
    "search": 5,
    "term_feed": 1,
    "term_feed_atom": 1,
    "whats_new": 4,
    # The home page and the term of the day's feeds read the day's remembered pick: one query
    # for its term (a day's first render picks it: tests/glossary/test_term_of_the_day.py).
    "home": 8,
    "daily_feed": 1,
}


class QueryBudgetMixin:
    terms = None
    articles = None

    def setUp(self):
        # Per test, not per class: images go to this test's own MEDIA_ROOT (tests/conftest.py).
        with tempfile.TemporaryDirectory() as folder:
            write_corpus(folder, terms=self.terms, articles=self.articles, seed=3)
            call_command("import_fixtures", folder, stdout=StringIO(), stderr=StringIO())

    def urls(self):
        term = GlossaryTermPage.objects.live().order_by("title")[10]
        article = PulseArticlePage.objects.live().order_by("title").first()
        return {
            "term": term.url,
            "mentions": term.url + "mentions/",
            "article": article.url,
            "index": "/glossary/",
            "letter": f"/glossary/letter/{term.letter.lower()}/",
            # Every generated term is in one topic: its page holds the whole glossary's tree.
            "topic": f"/glossary/topics/{slugify(term.category)}/",
            "pulse": "/pulse/",
            "search": "/search/?q=capacity+planning",
            "term_feed": "/glossary/feed/",
            "term_feed_atom": "/glossary/feed/atom/",
            "whats_new": "/glossary/whats-new/?page=2",
            "home": "/",
            "daily_feed": "/glossary/feed/term-of-the-day/atom/",
        }

    def cold_queries(self, url):
        self.client.get(url)  # per-process caches (site, matcher, renditions) warmed once
        page_cache.invalidate(scopes={page_cache.SITE})
        with CaptureQueriesContext(connection) as queries:
            response = self.client.get(url)
        self.assertEqual(response.status_code, 200, url)
        self.assertEqual(response["X-Page-Cache"], "miss", url)
        # Savepoints stand for the transaction a view opens (search's time limit): inside
        # TestCase's own transaction Django logs them; in production BEGIN/COMMIT are not.
        return [
            query["sql"]
            for query in queries.captured_queries
            if not query["sql"].startswith(("SAVEPOINT", "RELEASE SAVEPOINT"))
        ]

    def test_every_page_type_within_its_budget(self):
        counts = {}
        for kind, url in self.urls().items():
            queries = self.cold_queries(url)
            counts[kind] = len(queries)
            with self.subTest(page=kind, url=url):
                self.assertLessEqual(len(queries), BUDGETS[kind], "\n".join(queries))
                self.assertFalse(
                    [sql for sql in queries if "INSERT" in sql and "rendition" in sql],
                    "an image rendition was made during a visitor's request",
                )
        type(self).measured[self.terms] = counts

    measured = {}


class SmallGlossaryBudgetTests(QueryBudgetMixin, WagtailPageTestCase):
    terms, articles = 50, 10


class LargeGlossaryBudgetTests(QueryBudgetMixin, WagtailPageTestCase):
    terms, articles = 2000, 100

    def test_every_page_type_within_its_budget(self):
        super().test_every_page_type_within_its_budget()
        small = self.measured.get(SmallGlossaryBudgetTests.terms)
        if small is not None:  # the small glossary ran first (it does in a full run)
            self.assertEqual(self.measured[self.terms], small, "counts grew with the glossary")
