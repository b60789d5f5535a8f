"""Linked mentions: the first mention of each term links to it, and nowhere it shouldn't."""

import re

from hypothesis import given, settings
from hypothesis import strategies as st

from django.core.cache import cache
from django.db import connection
from django.test import SimpleTestCase, override_settings

from wagtail.test.utils import WagtailPageTestCase

from glossary import linking, names, vocabulary
from glossary.linked_html import build_automaton, link_terms, linked_body, text_runs
from glossary.models import GlossaryTermPage, RelinkRequest, TermMention
from pulse.models import PulseArticlePage
from tests.factories import GlossaryTermPageFactory, PulseArticlePageFactory


class LinkTermsTests(WagtailPageTestCase):
    @classmethod
    def setUpTestData(cls):
        cls.sla = GlossaryTermPageFactory(
            title="Service level agreement",
            slug="service-level-agreement",
            synonyms="SLA, SLAs",
            description="A promise about how well a service performs.",
        )
        cls.service_level = GlossaryTermPageFactory(title="Service level", slug="service-level")
        cls.strategy = GlossaryTermPageFactory(title="Process strategy", slug="process-strategy")

    def setUp(self):
        cache.clear()

    def test_first_mention_links_with_a_preview(self):
        html = link_terms("<p>Every process strategy needs a process strategy owner.</p>")
        self.assertEqual(html.count('href="/glossary/process-strategy/"'), 1)
        self.assertIn('aria-describedby="term-preview-', html)
        self.assertIn('role="tooltip">Process strategy: ', html)
        self.assertTrue(
            html.startswith('<p>Every <a class="term-link" href="/glossary/process-strategy/"')
        )

    def test_longest_match_case_insensitive_and_synonyms(self):
        html = link_terms("<p>Our Service Level Agreement (an SLA) beats a service level.</p>")
        self.assertIn('href="/glossary/service-level-agreement/" aria-describedby', html)
        self.assertIn(">Service Level Agreement</a>", html)
        self.assertIn('href="/glossary/service-level/"', html)
        self.assertEqual(
            html.count('href="/glossary/service-level-agreement/"'), 1, "SLA is the same term"
        )

    def test_whole_words_only(self):
        html = link_terms("<p>Strategies: process strategyX and subprocess strategy.</p>")
        self.assertNotIn("term-link", html)

    def test_never_inside_headings_links_or_the_terms_own_page(self):
        html = link_terms(
            '<h2>Process strategy</h2><p><a href="/x/">process strategy</a> and SLA.</p>',
            exclude_page_id=self.sla.pk,
        )
        self.assertNotIn("term-link", html)

    def test_a_newly_published_term_links_at_once(self):
        self.assertNotIn("term-link", link_terms("<p>Kanban boards.</p>"))
        kanban = GlossaryTermPageFactory(title="Kanban", slug="kanban", live=False)
        kanban.save_revision().publish()
        self.assertIn('href="/glossary/kanban/"', link_terms("<p>Kanban boards.</p>"))
        kanban.refresh_from_db()
        kanban.unpublish()
        self.assertNotIn('href="/glossary/kanban/"', link_terms("<p>Kanban boards.</p>"))

    def test_article_body_links_terms(self):
        article = PulseArticlePageFactory(
            body=[("paragraph", "<p>Leaders review every SLA and the process strategy.</p>")]
        )
        response = self.client.get(article.url)
        self.assertContains(
            response, '<a class="term-link" href="/glossary/service-level-agreement/"'
        )
        self.assertContains(response, '<a class="term-link" href="/glossary/process-strategy/"')

    def test_term_page_links_other_terms_but_not_itself(self):
        term = GlossaryTermPageFactory(
            title="Escalation",
            slug="escalation",
            body=[("paragraph", "<p>Escalation protects the SLA.</p>")],
        )
        response = self.client.get(term.url)
        self.assertContains(response, 'href="/glossary/service-level-agreement/"')
        self.assertNotContains(response, 'class="term-link" href="/glossary/escalation/"')

    def test_descriptions_are_escaped_in_previews(self):
        GlossaryTermPageFactory(
            title="Risky", slug="risky", description="<img src=x onerror=alert(1)>"
        )
        cache.clear()
        html = link_terms("<p>Risky work.</p>")
        self.assertIn("&lt;img src=x onerror=alert(1)&gt;", html)
        self.assertNotIn("<img src=x", html)


AUTOMATON = "glossary.linked_html._build"
NAME_INDEX = "glossary.names._build"


class StoredMentionsTests(WagtailPageTestCase):
    """Mentions are found by the worker and stored with the page; rendering links the ones
    whose term is live and public now, and builds nothing glossary-sized."""

    @classmethod
    def setUpTestData(cls):
        cls.strategy = GlossaryTermPageFactory(title="Process strategy", slug="process-strategy")
        cls.kanban = GlossaryTermPageFactory(
            title="Kanban", slug="kanban", description="Cards on a board."
        )
        cls.article = PulseArticlePageFactory(
            title="Flow",
            slug="flow",
            body=[("paragraph", "<p>Our process strategy uses kanban and an operations plan.</p>")],
        )
        cls.other = PulseArticlePageFactory(
            title="Elsewhere", slug="elsewhere", body=[("paragraph", "<p>Nothing here.</p>")]
        )

    def setUp(self):
        cache.clear()

    def mentioned(self, page):
        return list(
            TermMention.objects.filter(page=page).order_by("position").values_list("term", "phrase")
        )

    def test_the_worker_stores_each_pages_mentions_in_order(self):
        self.assertEqual(
            self.mentioned(self.article),
            [(self.strategy.pk, "process strategy"), (self.kanban.pk, "kanban")],
        )
        self.assertEqual(self.mentioned(self.other), [])

    def test_a_web_request_builds_neither_the_automaton_nor_the_name_index(self):
        vocabulary._built.clear()  # as in a fresh web process
        before = dict(vocabulary.builds)
        for url in [self.article.url, self.strategy.url, "/search/?q=kanbn", "/glossary/"]:
            self.assertEqual(self.client.get(url).status_code, 200, url)
        self.assertContains(self.client.get(self.article.url), 'href="/glossary/kanban/"')
        self.assertEqual(vocabulary.builds[AUTOMATON], before.get(AUTOMATON, 0))
        if connection.vendor == "postgresql":
            self.assertEqual(vocabulary.builds[NAME_INDEX], before.get(NAME_INDEX, 0))
            self.assertNotIn(names._build, vocabulary._built)

    def test_a_rename_links_the_new_name_and_not_the_old(self):
        term = GlossaryTermPage.objects.get(pk=self.strategy.pk)
        term.title = "Operations plan"
        term.save_revision().publish()
        response = self.client.get(self.article.url)
        self.assertContains(
            response,
            '<a class="term-link" href="/glossary/process-strategy/" '
            f'aria-describedby="term-preview-{term.pk}">operations plan</a>',
        )
        self.assertNotContains(response, ">process strategy</a>")
        self.assertEqual(
            self.mentioned(self.article), [(self.kanban.pk, "kanban"), (term.pk, "operations plan")]
        )

    @override_settings(LINKS_RELINK="task")
    def test_an_unpublished_term_is_unlinked_before_the_worker_runs(self):
        self.assertContains(self.client.get(self.article.url), 'href="/glossary/kanban/"')
        # The article is cached now; the worker's task waits for a commit that never comes.
        GlossaryTermPage.objects.get(pk=self.kanban.pk).unpublish()
        self.assertIn((self.kanban.pk, "kanban"), self.mentioned(self.article))
        response = self.client.get(self.article.url)
        self.assertNotContains(response, 'href="/glossary/kanban/"')
        self.assertContains(response, 'href="/glossary/process-strategy/"')

    @override_settings(LINKS_RELINK="task")
    def test_the_worker_task_links_a_new_term_on_the_pages_that_hold_its_name(self):
        with self.captureOnCommitCallbacks(execute=True):
            GlossaryTermPageFactory(title="Operations plan", slug="operations-plan")
        plan = GlossaryTermPage.objects.get(slug="operations-plan")
        self.assertIn((plan.pk, "operations plan"), self.mentioned(self.article))
        self.assertContains(self.client.get(self.article.url), 'href="/glossary/operations-plan/"')

    def test_a_new_phrase_is_searched_for_only_in_the_pages_that_hold_it(self):
        self.assertEqual(linking.pages_containing({"operations plan"}), {self.article.pk})
        self.assertEqual(linking.pages_containing({"elsewhere-never"}), set())

    def test_a_change_of_everything_renders_again_only_the_bodies_that_moved(self):
        # As the import's bulk path writes a body: no signal, then a change of everything.
        PulseArticlePage.objects.filter(pk=self.other.pk).update(
            body=[("paragraph", "<p>Kanban, written in bulk.</p>")]
        )
        RelinkRequest.objects.create(kind=RelinkRequest.ALL)
        before = vocabulary.builds["body render"]
        self.assertEqual(linking.relink_requested(), 1)
        self.assertEqual(vocabulary.builds["body render"] - before, 1)
        self.assertEqual(self.mentioned(self.other), [(self.kanban.pk, "kanban")])

    def test_a_changed_body_is_relinked(self):
        article = self.other.specific
        article.body = [("paragraph", "<p>Kanban at last.</p>")]
        article.save_revision().publish()
        self.assertEqual(self.mentioned(article), [(self.kanban.pk, "kanban")])
        self.assertContains(self.client.get(article.url), 'href="/glossary/kanban/"')


HTML_PIECES = [
    "kanban",
    " ",
    "Kanban",
    "&#x27;",
    "&amp;",
    "x27",
    "amp",
    "<p>",
    "</p>",
    "<h2>",
    "</h2>",
    '<span title="a > kanban">',
    "</span>",
    "<!-- kanban -->",
    "<br>",
    "<br/>",
    "<a href='/x'>",
    "</a>",
    "<script>kanban</script>",
    "<",
    ">",
    "&",
    ";",
    "\n",
    "é",
    "<b",
    "kanban-board",
]


def machine_for(*names):
    """An automaton of the given terms (synonyms after a bar: "Kanban|x27"), no database."""
    rows = []
    for page_id, spec in enumerate(names, start=1):
        title, _, synonyms = spec.partition("|")
        rows.append((page_id, title, synonyms, f"/glossary/{page_id}/", f"About {title}."))
    return build_automaton(rows)


class LinkingReadsHtmlAsHtmlTests(SimpleTestCase):
    """Links go into text nodes only: the HTML tokenizer, not a pattern, decides what is text."""

    def link(self, html, *names):
        return linked_body(html, machine=machine_for(*names)).html

    def test_a_greater_than_sign_inside_an_attribute_is_not_the_end_of_the_tag(self):
        html = '<p><span title="a > kanban board">x</span> then kanban.</p>'
        linked = self.link(html, "Kanban")
        self.assertIn('<span title="a > kanban board">x</span>', linked)
        self.assertEqual(linked.count("term-link"), 1)
        self.assertIn('then <a class="term-link" href="/glossary/1/"', linked)

    def test_character_references_are_never_cut(self):
        html = "<p>It&#x27;s the team&#39;s call &amp; nobody&apos;s else.</p>"
        self.assertEqual(self.link(html, "Kanban|x27, 39, amp, apos"), html)

    def test_a_term_written_with_a_reference_still_links(self):
        linked = self.link("<p>Our R&amp;D budget.</p>", "R&D")
        self.assertIn('<a class="term-link" href="/glossary/1/" aria-describedby', linked)
        self.assertIn(">R&amp;D</a>", linked)

    def test_comments_scripts_and_attribute_values_are_left_alone(self):
        html = (
            "<!-- kanban --><script>var kanban = 1;</script>"
            '<p><img alt="kanban" src="/k.png"><a href="/kanban/">kanban</a></p>'
        )
        self.assertEqual(self.link(html, "Kanban"), html)

    def test_skipped_elements_nest_and_end(self):
        linked = self.link(
            "<h2>Kanban <em>and</em> lean</h2><p>Lean, then kanban.</p>", "Kanban", "Lean"
        )
        self.assertTrue(linked.startswith("<h2>Kanban <em>and</em> lean</h2><p><a"))
        self.assertEqual(linked.count("term-link"), 2)

    @settings(max_examples=400, deadline=None)
    @given(st.lists(st.sampled_from(HTML_PIECES), max_size=40))
    def test_the_pieces_always_join_back_to_the_input(self, pieces):
        html = "".join(pieces)
        self.assertEqual("".join(raw for raw, _ in text_runs(html)), html)
        linked = self.link(html, "Kanban|x27, amp")
        # Only links were added: taking them out gives the input back.
        unlinked = re.sub(
            r'<a class="term-link"[^>]*>(.*?)</a><span class="term-preview"[^>]*>[^<]*</span>',
            r"\1",
            linked,
        )
        self.assertEqual(unlinked, html)
