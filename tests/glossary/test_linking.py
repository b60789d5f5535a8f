"""Linked mentions: the first mention of each term links to it, and nowhere it shouldn't."""

from django.core.cache import cache

from wagtail.test.utils import WagtailPageTestCase

from glossary.linking import link_terms
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
