"""The search box's suggestions and the results page answer a query alike: names that start
with the query first, the same typing mistakes forgiven, the same cleaning of the query, and
no "Did you mean X?" above X itself (issue 21)."""

from django.test import TestCase

from glossary.names import NameIndex
from search.ranking import find
from tests.factories import GlossaryTermPageFactory, PulseArticlePageFactory


def term(title, **fields):
    """A term whose key questions and body say nothing (the factory's mention strategy)."""
    slug = title.lower().replace(" ", "-")
    return GlossaryTermPageFactory(title=title, slug=slug, key_questions=[], body=[], **fields)


ROWS = [
    (1, "Lean Capacity 83", "", "/g/lean-capacity-83/"),
    (2, "Capacity planning", "", "/g/capacity-planning/"),
    (3, "Operations strategy", "", "/g/operations-strategy/"),
    (4, "Strategic sourcing", "", "/g/strategic-sourcing/"),
    (5, "Capability", "", "/g/capability/"),
]


def titles(query, **options):
    return [match.title for match in NameIndex(ROWS).match(query, **options)]


def test_names_that_start_with_the_query_come_first():
    assert titles("capac", min_prefix=2) == ["Capacity planning", "Lean Capacity 83"]
    assert titles("capacity") == ["Capacity planning", "Lean Capacity 83"]
    assert titles("strat") == ["Strategic sourcing", "Operations strategy"]


def test_a_misspelt_start_of_a_word_is_forgiven_when_nothing_else_matched():
    assert titles("stratg") == ["Strategic sourcing", "Operations strategy"]
    # A start that matched as typed is not widened: "capac" is not "capab".
    assert "Capability" not in titles("capac")
    # Too short to say which word was meant.
    assert titles("strg") == []


class SuggestAndResultsTests(TestCase):
    def setUp(self):
        term("Lean Capacity 83", description="A numbered lean method.")
        term("Capacity planning", description="Matching capacity to demand.")
        term("Operations strategy", description="How operations serve the business.")
        term("Strategic sourcing", description="Buying with a plan.")
        PulseArticlePageFactory(body=[], title="Planing a board", slug="planing", summary="Wood.")

    def suggested(self, query):
        response = self.client.get("/search/suggest/", {"q": query})
        self.assertEqual(response.status_code, 200)
        return [item["title"] for item in response.json()["suggestions"]]

    def results(self, query):
        response = self.client.get("/search/", {"q": query})
        self.assertEqual(response.status_code, 200)
        return [result.title for result in response.context["results"]]

    def test_suggestions_rank_names_starting_with_the_query_first(self):
        self.assertEqual(self.suggested("capac"), ["Capacity planning", "Lean Capacity 83"])
        self.assertEqual(self.results("capac")[:2], ["Capacity planning", "Lean Capacity 83"])
        self.assertEqual(self.results("capacity")[:2], ["Capacity planning", "Lean Capacity 83"])

    def test_suggestions_forgive_what_the_results_page_forgives(self):
        for query in ("stratg", "stratgy", "capacity planing"):
            with self.subTest(query=query):
                suggested = self.suggested(query)
                self.assertTrue(suggested)
                self.assertEqual(suggested, self.results(query)[: len(suggested)])
        self.assertEqual(
            set(self.suggested("stratg")), {"Operations strategy", "Strategic sourcing"}
        )

    def test_one_cleaning_of_the_query_for_both(self):
        spaced = "  capacity \t\n  planing  "
        response = self.client.get("/search/suggest/", {"q": spaced})
        self.assertEqual(response.json()["query"], "capacity planing")
        page = self.client.get("/search/", {"q": spaced})
        self.assertEqual(page.context["search_query"], "capacity planing")
        long = "capacity " * 40
        self.assertEqual(
            self.client.get("/search/suggest/", {"q": long}).json()["query"],
            self.client.get("/search/", {"q": long}).context["search_query"],
        )
        self.assertEqual(self.client.get("/search/suggest/", {"q": "a\x00b"}).status_code, 400)

    def test_no_did_you_mean_above_the_term_it_names(self):
        found = find("capacity planing")
        self.assertEqual([result.title for result in found.results], ["Capacity planning"])
        self.assertIsNone(found.suggestion)
        response = self.client.get("/search/", {"q": "capacity planing"})
        self.assertNotContains(response, "Did you mean")
        # Another result on top: the close name is worth asking about.
        found = find("planing")
        self.assertEqual(found.results[0].title, "Planing a board")
        self.assertEqual(found.suggestion.title, "Capacity planning")
        self.assertContains(self.client.get("/search/", {"q": "planing"}), "Did you mean")
