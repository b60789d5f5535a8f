"""The relevance set (``devkit/relevance.py``): at least GOAL of its queries find the term the
visitor means first, on the database the suite runs on (CI runs both)."""

import shutil
import tempfile
from io import StringIO
from pathlib import Path

from django.core.cache import cache
from django.core.management import call_command
from django.test import TestCase

from devkit.relevance import GOAL, QUERIES, evaluate, report, write_relevance_corpus


class RelevanceTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cache.clear()
        corpus = Path(tempfile.mkdtemp(prefix="relevance-"))
        try:
            write_relevance_corpus(corpus)
            call_command("import_fixtures", str(corpus), stdout=StringIO())
        finally:
            shutil.rmtree(corpus, ignore_errors=True)

    def test_the_relevance_set_is_big_enough(self):
        self.assertGreaterEqual(len(QUERIES), 40)

    def test_first_result_hit_rate_meets_the_goal(self):
        hits, misses = evaluate()
        self.assertGreaterEqual(hits / len(QUERIES), GOAL, report(hits, misses))
