"""The search's name index: forgiving matches of term names, in memory and in the database."""

from hypothesis import given, settings
from hypothesis import strategies as st

from django.db import connection
from django.test import TestCase
from django.utils.text import slugify

from glossary import names, vocabulary
from glossary.models import GlossaryTermPage
from glossary.names import NameIndex, allowed_edits, match_names, normalised_words
from tests.factories import GlossaryTermPageFactory

ROWS = [
    (1, "Operations strategy", "", "/glossary/operations-strategy/"),
    (2, "Operations management", "", "/glossary/operations-management/"),
    (3, "Capacity planning", "", "/glossary/capacity-planning/"),
    (4, "Service level agreement (SLA)", "", "/glossary/sla/"),
    (5, "Safety stock", "Buffer stock, Reserve", "/glossary/safety-stock/"),
    (6, "Escalation policy", "", "/glossary/escalation-policy/"),
    (7, "Café culture", "", "/glossary/cafe-culture/"),
    (8, "Kanban", "", "/glossary/kanban/"),
    (9, "Kanban board", "", "/glossary/kanban-board/"),
    (10, "Bill of materials", "", "/glossary/bill-of-materials/"),
    (11, "BOM", "", "/glossary/bom/"),
]
IGNORED = {"what", "is", "a", "the", "of"}


def titles(query, rows=ROWS, **options):
    return [match.title for match in NameIndex(rows).match(query, ignored=IGNORED, **options)]


def test_exact_names_and_synonyms_come_first_and_are_marked_exact():
    index = NameIndex(ROWS)
    [first, second] = index.match("kanban")
    assert (first.title, first.exact) == ("Kanban", True)
    assert (second.title, second.exact) == ("Kanban board", False)
    [match] = index.match("buffer stock")
    assert (match.title, match.name, match.exact) == ("Safety stock", "Buffer stock", True)


def test_typing_mistakes_within_the_allowed_edits():
    assert titles("stratgy") == ["Operations strategy"]
    assert titles("capacity planing") == ["Capacity planning"]
    assert titles("kanbn")[0] == "Kanban"
    [match] = NameIndex(ROWS).match("stratgy")
    assert match.corrected and match.words == {"strategy"}


def test_short_words_are_never_corrected():
    assert allowed_edits("sla") == 0
    assert titles("slo") == []
    assert titles("SLA") == ["Service level agreement (SLA)"]


def test_the_start_of_a_word_and_of_the_last_word_of_several():
    assert titles("opera") == ["Operations strategy", "Operations management"]
    assert titles("op") == []  # a lone start that short means nothing
    assert titles("safety st") == ["Safety stock"]


def test_plurals_and_question_words_and_accents():
    assert titles("escalation policies") == ["Escalation policy"]
    assert titles("what is the capacity planning") == ["Capacity planning"]
    assert NameIndex(ROWS).match("what is capacity planning", ignored=IGNORED)[0].exact
    assert titles("cafe culture") == ["Café culture"]


def test_a_name_of_several_words_is_found_by_its_initials():
    rows = [row for row in ROWS if row[0] != 11]
    [match] = NameIndex(rows).match("BOM")
    assert (match.title, match.exact) == ("Bill of materials", False)
    assert titles("bm", rows) == ["Bill of materials"]  # the minor word left out
    # A name that gives its abbreviation in brackets is found by that word itself.
    assert titles("sla") == ["Service level agreement (SLA)"]
    # A term named by the abbreviation comes before one whose initials it is.
    assert titles("BOM") == ["BOM", "Bill of materials"]


def test_every_query_word_must_match_something():
    assert titles("capacity strategy") == []
    assert titles("") == []
    assert titles("!!!") == []


def test_one_match_per_term_however_many_of_its_names_match():
    assert titles("stock") == ["Safety stock"]


word = st.text(alphabet="abcdefghijklmnopqrstuvwxyz", min_size=5, max_size=12)


@settings(max_examples=200, deadline=None)
@given(st.lists(word, min_size=1, max_size=3), st.data())
def test_any_name_with_one_letter_dropped_still_finds_it(words, data):
    name = " ".join(words).capitalize()
    rows = [*ROWS, (99, name, "", "/glossary/x/")]
    assert titles(name, rows)[0] == name  # the whole name: first
    position = data.draw(st.integers(0, len(words) - 1))
    typo = words[position][:2] + words[position][3:]
    query = " ".join([*words[:position], typo, *words[position + 1 :]])
    assert name in titles(query, rows)


def test_normalised_words():
    assert normalised_words("Café-Culture (SLA)") == ["cafe", "culture", "sla"]


class DatabaseNameSearchTests(TestCase):
    """``match_names`` on the test database: on PostgreSQL the candidates come from the
    database (pg_trgm) and no process-wide index is built; the tiers are the in-memory ones."""

    @classmethod
    def setUpTestData(cls):
        for _term_id, title, synonyms, _url in ROWS:
            GlossaryTermPageFactory(title=title, synonyms=synonyms, slug=slugify(title))

    def setUp(self):
        vocabulary._built.clear()

    def found(self, query, **options):
        return [match.title for match in match_names(query, ignored=IGNORED, **options)]

    def test_each_tier_is_found_as_in_memory(self):
        for query in [
            "kanban",
            "buffer stock",
            "stratgy",
            "opera",
            "sla",
            "bom",
            "kanban boards",
            "capacity planing",
            "cafe",
            "escalation policies",
            "what is the bill of materials",
        ]:
            with self.subTest(query=query):
                self.assertEqual(self.found(query), titles(query), query)
                self.assertTrue(self.found(query), query)

    def test_postgresql_builds_no_name_index(self):
        if connection.vendor != "postgresql":
            self.skipTest("SQLite keeps its name index in memory")
        self.assertEqual(self.found("stratgy"), ["Operations strategy"])
        self.assertNotIn(names._build, vocabulary._built)

    def test_a_renamed_term_is_found_by_its_new_name_at_once(self):
        term = GlossaryTermPage.objects.get(title="Escalation policy")
        term.title = "Incident ladder"
        term.save_revision().publish()
        self.assertEqual(self.found("incident ladder")[:1], ["Incident ladder"])
        self.assertNotIn("Incident ladder", self.found("escalation"))
