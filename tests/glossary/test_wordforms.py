"""Linking knows word forms: plurals and possessives of names and synonyms link their term."""

import re
import string

from hypothesis import given, settings
from hypothesis import strategies as st

from django.core.cache import cache
from django.test import SimpleTestCase

from wagtail.test.utils import WagtailPageTestCase

from glossary import linking
from glossary.linked_html import build_automaton, linked_body
from glossary.models import GlossaryTermPage, LinkedVocabulary, TermMention
from glossary.vocabulary import phrase_keys
from glossary.wordforms import linking_keys, plural, word_forms
from tests.factories import GlossaryTermPageFactory, PulseArticlePageFactory


def machine_for(*names):
    """An automaton of the given terms (synonyms after a bar: "Service level agreement|SLA")."""
    rows = []
    for page_id, spec in enumerate(names, start=1):
        title, _, synonyms = spec.partition("|")
        rows.append((page_id, title, synonyms, f"/glossary/{page_id}/", f"About {title}."))
    return build_automaton(rows)


def links(html, *names):
    """[(term id, text as written)] of the links ``html`` gets with the terms ``names``."""
    linked = linked_body(html, machine=machine_for(*names)).html
    return [
        (int(term), text)
        for term, text in re.findall(r'href="/glossary/(\d+)/"[^>]*>(.*?)</a>', linked)
    ]


class WordFormsTests(SimpleTestCase):
    def test_regular_plurals(self):
        cases = {
            "kpi": "kpis",
            "agreement": "agreements",
            "process": "processes",
            "box": "boxes",
            "approach": "approaches",
            "push": "pushes",
            "policy": "policies",
            "delay": "delays",
            "indicators": "",  # a plural already
            "9001": "",
        }
        for word, expected in cases.items():
            with self.subTest(word=word):
                self.assertEqual(plural(word), expected)

    def test_forms_inflect_the_last_word_only(self):
        self.assertEqual(
            word_forms("service level agreement"),
            [
                "service level agreement's",
                "service level agreements",
                "service level agreements'",
            ],
        )
        self.assertEqual(word_forms("kpis"), ["kpis'"])
        self.assertEqual(word_forms("process"), ["process's", "processes", "processes'"])

    def test_short_words_have_no_forms(self):
        # "IT" must not link "its" or "it's".
        self.assertEqual(word_forms("it"), [])
        self.assertEqual(word_forms("big it"), [])
        self.assertEqual(word_forms("iso 9001"), ["iso 9001's"])

    def test_linking_keys_are_the_phrases_then_their_forms_once_each(self):
        keys = linking_keys(phrase_keys("SLA", "SLAs"))
        self.assertEqual(keys[:2], ["sla", "slas"])
        self.assertEqual(len(keys), len(set(keys)))
        self.assertIn("sla's", keys)
        self.assertIn("slas'", keys)


class FormsLinkTests(SimpleTestCase):
    def test_plurals_link_the_term_with_the_text_as_written(self):
        self.assertEqual(links("<p>Our KPIs matter.</p>", "KPI"), [(1, "KPIs")])
        self.assertEqual(
            links("<p>Two Service Level Agreements signed.</p>", "Service level agreement"),
            [(1, "Service Level Agreements")],
        )
        self.assertEqual(
            links("<p>Privacy policies.</p>", "Privacy policy"), [(1, "Privacy policies")]
        )

    def test_possessives_link_with_either_apostrophe(self):
        for text in ["SLA's", "SLAs'", "SLA\u2019s", "SLAs\u2019"]:
            with self.subTest(text=text):
                self.assertEqual(
                    links(f"<p>The {text} terms.</p>", "Service level agreement|SLA"), [(1, text)]
                )

    def test_no_match_across_a_word_boundary(self):
        for text in ["KPIsland", "SLAsh", "XKPIs", "kpis_x", "KPIs2"]:
            with self.subTest(text=text):
                self.assertEqual(links(f"<p>{text} here.</p>", "KPI"), [])

    def test_the_longest_phrase_wins(self):
        self.assertEqual(
            links(
                "<p>Service level agreements beat service levels.</p>",
                "Service level",
                "Service level agreement",
            ),
            [(2, "Service level agreements"), (1, "service levels")],
        )

    def test_an_exact_name_wins_over_another_terms_form(self):
        # "Processes" is a term of its own: its name beats the plural of "Process".
        self.assertEqual(
            links("<p>Processes and a process.</p>", "Process", "Processes"),
            [(2, "Processes"), (1, "process")],
        )

    def test_a_form_of_the_first_term_keeps_it_among_forms(self):
        # Two terms whose forms are the same phrase: the first term keeps it, as names do.
        self.assertEqual(links("<p>Many datas.</p>", "Data", "Data|x"), [(1, "datas")])

    def test_a_two_letter_name_does_not_link_its(self):
        self.assertEqual(links("<p>Its IT team: it's fine.</p>", "IT"), [(1, "IT")])

    @settings(max_examples=300, deadline=None)
    @given(
        word=st.text(alphabet=string.ascii_lowercase, min_size=3, max_size=8),
        before=st.text(alphabet=string.ascii_letters + string.digits + "_", max_size=3),
        after=st.text(alphabet=string.ascii_letters + string.digits + "_", max_size=3),
        pick=st.integers(min_value=0, max_value=10),
    )
    def test_a_form_inside_a_longer_word_never_links(self, word, before, after, pick):
        forms = [word, *word_forms(word)]
        form = forms[pick % len(forms)]
        glued = before + form + after
        if not (before or after) or form.endswith("'") or glued.lower() in forms:
            # ("aaa" + "S" is the plural itself, not a longer word.)
            # Bare, it must link; "kpis'" followed by a letter reads "kpis" + "'x": a plural.
            return
        found = links(f"<p>A {glued} b.</p>", word.title())
        self.assertEqual(found, [], glued)

    @settings(max_examples=200, deadline=None)
    @given(
        word=st.text(alphabet=string.ascii_lowercase, min_size=3, max_size=8),
        pick=st.integers(min_value=0, max_value=10),
    )
    def test_every_form_standing_alone_links(self, word, pick):
        forms = [word, *word_forms(word)]
        form = forms[pick % len(forms)]
        self.assertEqual(links(f"<p>A {form.upper()} b.</p>", word), [(1, form.upper())])


class StoredFormsTests(WagtailPageTestCase):
    """The worker stores the form a page used; a renamed term relinks the pages that used it."""

    @classmethod
    def setUpTestData(cls):
        cls.kpi = GlossaryTermPageFactory(title="KPI", slug="kpi")
        cls.article = PulseArticlePageFactory(
            title="Targets",
            slug="targets",
            body=[("paragraph", "<p>Our KPIs and the SLA\u2019s window.</p>")],
        )

    def setUp(self):
        cache.clear()

    def mentioned(self):
        return list(
            TermMention.objects.filter(page=self.article)
            .order_by("position")
            .values_list("term", "phrase")
        )

    def test_the_form_is_stored_and_rendered_as_written(self):
        self.assertEqual(self.mentioned(), [(self.kpi.pk, "kpis")])
        self.assertContains(
            self.client.get(self.article.url),
            f'<a class="term-link" href="/glossary/kpi/" aria-describedby="term-preview-{self.kpi.pk}">KPIs</a>',
        )

    def test_the_stored_vocabulary_holds_the_forms(self):
        phrases = LinkedVocabulary.objects.get(term_id=self.kpi.pk).phrases.split("\n")
        self.assertEqual(phrases[0], "kpi")
        self.assertIn("kpis", phrases)
        self.assertIn("kpi's", phrases)

    def test_a_new_synonym_links_the_pages_using_its_possessive(self):
        sla = GlossaryTermPageFactory(title="Service level agreement", slug="sla-term")
        self.assertNotIn(sla.pk, [term for term, _ in self.mentioned()])
        term = GlossaryTermPage.objects.get(pk=sla.pk)
        term.synonyms = "SLA"
        term.save_revision().publish()
        self.assertIn((sla.pk, "sla's"), self.mentioned())
        self.assertContains(self.client.get(self.article.url), ">SLA\u2019s</a>")

    def test_a_rename_unlinks_the_pages_that_used_its_plural(self):
        term = GlossaryTermPage.objects.get(pk=self.kpi.pk)
        term.title = "Key indicator"
        term.save_revision().publish()
        self.assertEqual(self.mentioned(), [])
        self.assertNotContains(self.client.get(self.article.url), 'href="/glossary/kpi/"')

    def test_forms_cost_no_extra_text_search(self):
        self.assertEqual(
            linking.shortest_phrases({"kpi", "kpis", "kpi's", "policies", "policy"}),
            {"kpi", "policies", "policy"},
        )
