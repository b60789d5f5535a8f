"""One A to Z everywhere: case and accents folded, numbers in numeric order, the same on
SQLite and PostgreSQL, on the index, the letter pages, previous and next, the downloads and
the read API."""

import csv
import io
import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from wagtail.test.utils import WagtailPageTestCase

from glossary import downloads
from glossary.alphabet import LETTERS, letter_for, sort_key
from glossary.models import GlossaryTermPage
from tests.factories import GlossaryTermPageFactory

# Shuffled on purpose: the factory's creation order must not be the answer.
NAMES = ["Capacity Supply", "Lean 83", "capacity", "Cäpacity model", "Lean 9", "Capacity planning"]
EXPECTED = [
    "capacity",
    "Cäpacity model",
    "Capacity planning",
    "Capacity Supply",
    "Lean 9",
    "Lean 83",
]


@pytest.mark.parametrize(
    ("before", "after"),
    [
        ("Capacity planning", "Capacity Supply"),
        ("capacity", "Capacity planning"),
        ("Ärger", "Audit"),
        ("Lean 9", "Lean 83"),
        ("Lean", "Leaner"),
        ("Lean 2 b", "Lean 10 a"),
        ("Zeta", "5S method"),  # the index lists "#" after Z
    ],
)
def test_sort_key_orders_as_a_reader_expects(before, after):
    assert sort_key(before) < sort_key(after)


@given(st.text(max_size=20), st.text(max_size=20))
def test_sort_key_follows_the_letters(first, second):
    """The key's order never contradicts the index's groups (A to Z, then #)."""
    if LETTERS.index(letter_for(first)) < LETTERS.index(letter_for(second)):
        assert sort_key(first) < sort_key(second)


@given(st.text(max_size=20), st.text(max_size=20))
def test_different_names_have_different_keys(first, second):
    if first.strip() != second.strip():
        assert sort_key(first) != sort_key(second)


class OneOrderEverywhereTests(WagtailPageTestCase):
    @classmethod
    def setUpTestData(cls):
        for name in NAMES:
            GlossaryTermPageFactory(title=name, slug=None)

    def positions(self, content, names=EXPECTED):
        return [content.index(f">{name}<") for name in names]

    def test_the_database_orders_by_the_stored_key(self):
        ordered = GlossaryTermPage.objects.order_by("sort_key").values_list("title", flat=True)
        self.assertEqual(list(ordered), EXPECTED)

    def test_letter_page_and_index(self):
        for url in ["/glossary/letter/c/", "/glossary/"]:
            content = self.client.get(url).content.decode()
            capacities = EXPECTED[:4]
            positions = self.positions(content, capacities)
            self.assertEqual(positions, sorted(positions), url)
        content = self.client.get("/glossary/letter/l/").content.decode()
        self.assertLess(content.index(">Lean 9<"), content.index(">Lean 83<"))

    def test_previous_and_next_follow_the_same_order(self):
        chain = []
        term = GlossaryTermPage.objects.get(title=EXPECTED[0])
        while term is not None:
            chain.append(term.title)
            term = term.neighbours()[1]
            if term is not None:
                term = GlossaryTermPage.objects.get(pk=term.pk)
        self.assertEqual(chain, EXPECTED)

    def test_downloads_follow_the_same_order(self):
        downloads.rebuild()
        response = self.client.get("/glossary/download/glossary.csv")
        self.assertEqual(response.status_code, 200)
        body = b"".join(response.streaming_content)
        rows = list(csv.DictReader(io.StringIO(body.decode("utf-8-sig"))))
        names = [row.get("name") or row.get("title") for row in rows]
        self.assertEqual(names, EXPECTED)

    def test_api_listing_follows_the_same_order_unless_asked(self):
        url = "/api/v2/pages/?type=glossary.GlossaryTermPage&fields=title"
        items = self.client.get(url).json()["items"]
        self.assertEqual([item["title"] for item in items], EXPECTED)
        items = self.client.get(url + "&order=-id").json()["items"]
        self.assertEqual(items[0]["title"], NAMES[-1])

    def test_the_migration_fills_every_key_and_asks_for_a_recompute(self):
        import importlib

        from django.apps import apps

        from glossary.models import PendingNeighbourhood

        migration = importlib.import_module("glossary.migrations.0020_term_sort_key")
        GlossaryTermPage.objects.update(sort_key=b"")
        PendingNeighbourhood.objects.all().delete()
        migration.fill_sort_keys(apps, None)
        migration.recompute_neighbourhood(apps, None)
        for title, key in GlossaryTermPage.objects.values_list("title", "sort_key"):
            self.assertEqual(bytes(key), sort_key(title))
        self.assertTrue(PendingNeighbourhood.objects.filter(term_id=None).exists())

    def test_a_rename_moves_the_term(self):
        term = GlossaryTermPage.objects.get(title="Lean 83")
        term.title = "Capacity 1"
        term.save_revision().publish()
        term.refresh_from_db()
        self.assertEqual(bytes(term.sort_key), sort_key("Capacity 1"))
        content = self.client.get("/glossary/letter/c/").content.decode()
        self.assertLess(content.index(">capacity<"), content.index(">Capacity 1<"))
        self.assertLess(content.index(">Capacity 1<"), content.index(">Cäpacity model<"))


class AdminExplorerOrderTests(WagtailPageTestCase):
    @classmethod
    def setUpTestData(cls):
        for name in NAMES:
            GlossaryTermPageFactory(title=name, slug=None)

    def setUp(self):
        from django.contrib.auth import get_user_model

        user = get_user_model().objects.create_superuser("boss", "boss@example.com", "pw")
        self.client.force_login(user)

    def titles(self, query=""):
        from glossary.models import GlossaryIndexPage

        index = GlossaryIndexPage.objects.get()
        content = self.client.get(f"/admin/pages/{index.pk}/{query}").content.decode()
        self.assertTrue(content)
        return sorted(
            EXPECTED, key=lambda name: re.search(rf">\s*{re.escape(name)}\s*<", content).start()
        )

    def test_the_explorer_lists_terms_a_to_z_by_default_and_when_sorted_by_title(self):
        self.assertEqual(self.titles(), EXPECTED)
        self.assertEqual(self.titles("?ordering=title"), EXPECTED)
        self.assertEqual(self.titles("?ordering=-title"), EXPECTED[::-1])
