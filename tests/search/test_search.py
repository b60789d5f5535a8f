"""The search page as a visitor uses it: forgiving of typing, prefixes, plurals and synonyms,
with kinds, categories, highlighted matches, filters and a "Did you mean …?"."""

from django.core.cache import cache
from django.test import TestCase

from glossary.models import GlossaryTermPage
from search.templatetags.search_tags import highlight
from tests.factories import GlossaryTermPageFactory, PulseArticlePageFactory


def term(**fields):
    """A term whose key questions and body say nothing (the factory's mention strategy)."""
    return GlossaryTermPageFactory(key_questions=[], body=[], **fields)


class ForgivingSearchTests(TestCase):
    def setUp(self):
        cache.clear()
        term(
            title="Operations strategy",
            slug="operations-strategy",
            category="glossary",
            description="How operations serve the business strategy.",
        )
        term(
            title="Capacity planning",
            slug="capacity-planning",
            category="planning",
            description="Matching capacity to demand.",
        )
        term(
            title="Service level agreement (SLA)",
            slug="sla",
            category="contracts",
            description="A promised level of service.",
        )
        PulseArticlePageFactory(
            body=[],
            title="Strategy in operations, in practice",
            slug="strategy-in-practice",
            category="Glossary in Action",
            summary="Operations strategy at work in three firms.",
        )

    def search(self, query, **filters):
        response = self.client.get("/search/", {"q": query, **filters})
        self.assertEqual(response.status_code, 200)
        return response

    def first(self, query):
        results = self.search(query).context["results"]
        return results[0].title if results else None

    def test_the_issues_queries_find_their_terms(self):
        self.assertEqual(self.first("stratgy"), "Operations strategy")
        self.assertEqual(self.first("capacity planing"), "Capacity planning")
        self.assertEqual(self.first("opera"), "Operations strategy")
        self.assertEqual(self.first("SLA"), "Service level agreement (SLA)")
        self.assertEqual(self.first("service level agreements"), "Service level agreement (SLA)")

    def test_an_editors_synonym_is_found_once_published(self):
        self.assertIsNone(self.first("throughput promise"))
        page = GlossaryTermPage.objects.get(slug="sla").get_latest_revision_as_object()
        page.synonyms = "Throughput promise"
        page.save_revision().publish()
        self.assertEqual(self.first("throughput promise"), "Service level agreement (SLA)")
        self.assertEqual(self.first("throughput promis"), "Service level agreement (SLA)")

    def test_an_exact_name_comes_before_everything_else(self):
        term(title="Strategy map", slug="strategy-map")
        term(title="Strategy", slug="strategy")
        results = [r.title for r in self.search("strategy").context["results"]]
        self.assertEqual(results[:2], ["Strategy", "Strategy map"])

    def test_results_show_kind_category_and_highlighted_words(self):
        html = self.search("strategy").content.decode()
        self.assertIn('<span class="result-kind">Glossary term</span> · Glossary', html)
        self.assertIn('<span class="result-kind">Pulse article</span> · Glossary in Action', html)
        self.assertIn("Operations <mark>strategy</mark>", html)
        # A corrected query marks the words it stood for.
        self.assertIn("Operations <mark>strategy</mark>", self.search("stratgy").content.decode())

    def test_filters_by_kind_and_category_with_counts(self):
        response = self.search("strategy")
        kinds = {label: (count, link) for label, count, link, _ in response.context["kinds"]}
        self.assertEqual(kinds["Glossary terms"][0], 1)
        self.assertEqual(kinds["Pulse articles"][0], 1)
        articles = self.search("strategy", kind="article").context["results"]
        self.assertEqual([r.title for r in articles], ["Strategy in operations, in practice"])
        self.assertIn("kind=article", kinds["Pulse articles"][1])
        terms = self.search("o", kind="term")  # too short to find anything: no error
        self.assertEqual(list(terms.context["results"]), [])
        by_category = self.search("strategy", category="Glossary in Action").context["results"]
        self.assertEqual([r.kind_slug for r in by_category], ["article"])
        self.assertEqual(
            list(self.search("strategy", kind="nonsense").context["results"])[0].title,
            "Operations strategy",
        )

    def test_did_you_mean_a_close_name_when_the_words_found_little(self):
        PulseArticlePageFactory(body=[], title="Planing a board", slug="planing", summary="Wood.")
        response = self.search("planing")
        self.assertEqual(response.context["results"][0].title, "Planing a board")
        self.assertContains(
            response, 'Did you mean <a href="/glossary/capacity-planning/">Capacity planning</a>?'
        )
        self.assertNotContains(self.search("capacity planning"), "Did you mean")
        # The close name is already the top result: nothing to ask (tests/search/test_suggest.py).
        self.assertNotContains(self.search("capacity planing"), "Did you mean")

    def test_the_query_never_becomes_markup(self):
        for query in ["<b>strategy</b>", '"><script>alert(1)</script>', "strat<mark>egy"]:
            with self.subTest(query=query):
                html = self.search(query).content.decode()
                self.assertNotIn("<script>alert(1)", html)
                self.assertNotIn("<b>strategy</b>", html)
                self.assertNotIn("strat<mark>egy", html)


class HighlightTests(TestCase):
    def test_marks_words_and_their_longer_forms_and_escapes_everything_else(self):
        self.assertEqual(
            highlight("Plan & <b>planning</b> plans", {"plan"}),
            "<mark>Plan</mark> &amp; &lt;b&gt;<mark>planning</mark>&lt;/b&gt; <mark>plans</mark>",
        )

    def test_short_words_mark_only_whole_words_and_markup_in_words_is_text(self):
        self.assertEqual(highlight("SLA slap", {"sla"}), "<mark>SLA</mark> <mark>slap</mark>")
        self.assertEqual(highlight("an answer", {"an"}), "<mark>an</mark> answer")
        self.assertEqual(highlight("a <b> c", {"<b>"}), "a &lt;b&gt; c")
        self.assertEqual(highlight("", {"x"}), "")
        self.assertEqual(highlight("x < y", set()), "x &lt; y")
