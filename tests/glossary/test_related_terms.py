"""Related terms on a term page, and what an article page adds for readers."""

from django.core.cache import cache

from wagtail.test.utils import WagtailPageTestCase

from glossary.models import GlossaryTermPage, GlossaryTermPinnedTerm
from glossary.related_scoring import related_words
from tests.factories import GlossaryTermPageFactory, PulseArticlePageFactory


def test_related_words_are_distinctive():
    words = related_words(
        "Operations strategy", ["How does operations strategy align with business goals?"]
    )
    assert words == ["operations", "strategy", "align", "business", "goals"]


class RelatedTermsTests(WagtailPageTestCase):
    @classmethod
    def setUpTestData(cls):
        questions = [("question", "How does capacity planning reduce backlog?")]
        cls.term = GlossaryTermPageFactory(
            title="Capacity planning", slug="capacity-planning", key_questions=questions
        )
        cls.similar = GlossaryTermPageFactory(
            title="Backlog management",
            slug="backlog-management",
            description="Keeping the backlog and capacity in step.",
        )
        cls.unrelated = GlossaryTermPageFactory(
            title="Brand voice",
            slug="brand-voice",
            description="How copy sounds.",
            key_questions=[],
            body=[],
        )
        cls.pinned = GlossaryTermPageFactory(
            title="Zebra crossing",
            slug="zebra",
            description="Nothing alike.",
            key_questions=[],
            body=[],
        )

    def test_found_from_shared_questions_and_text(self):
        response = self.client.get(self.term.url)
        self.assertContains(response, "Related terms")
        self.assertContains(response, 'href="/glossary/backlog-management/"')
        related = [term.title for term in self.term.related_terms()]
        self.assertIn("Backlog management", related)
        self.assertNotIn("Capacity planning", related)
        self.assertNotIn("Brand voice", related)
        self.assertNotIn("Zebra crossing", related)

    def test_pinned_terms_come_first(self):
        self.term.pinned_related_terms = [GlossaryTermPinnedTerm(term=self.pinned)]
        self.term.save_revision().publish()
        term = GlossaryTermPage.objects.get(pk=self.term.pk)
        self.assertEqual(term.related_terms()[0].title, "Zebra crossing")
        self.assertContains(self.client.get(term.url), 'href="/glossary/zebra/"')


class ArticleExtrasTests(WagtailPageTestCase):
    def setUp(self):
        cache.clear()

    def test_reading_time_and_terms_the_article_mentions(self):
        GlossaryTermPageFactory(title="Process strategy", slug="process-strategy")
        words = " ".join(["governance"] * 660)
        article = PulseArticlePageFactory(
            body=[("paragraph", f"<p>Process strategy first. {words}</p>")],
        )
        response = self.client.get(article.url)
        self.assertContains(response, "3 min read")
        self.assertContains(response, "Glossary terms in this article")
        self.assertContains(
            response,
            '<li><a href="/glossary/process-strategy/">Process strategy</a></li>',
            html=True,
        )

    def test_pulse_index_filters_by_category(self):
        PulseArticlePageFactory(title="Insight one", category="Glossary in Action")
        PulseArticlePageFactory(title="Insight two", category="Case studies")
        response = self.client.get("/pulse/", {"category": "Case studies"})
        self.assertContains(response, "Insight two")
        self.assertNotContains(response, "Insight one")
        self.assertContains(
            response, '<option value="Case studies" selected>Case studies</option>', html=True
        )


class PaginationTests(WagtailPageTestCase):
    def test_pulse_lists_twelve_articles_a_page(self):
        for number in range(13):
            PulseArticlePageFactory(
                title=f"Insight {number:02d}", published_date=f"2026-01-{number + 1:02d}"
            )
        first = self.client.get("/pulse/")
        self.assertEqual(first.content.decode().count('class="card__title"'), 12)
        self.assertContains(first, "Page 1 of 2")
        second = self.client.get("/pulse/", {"page": 2})
        self.assertContains(second, "Insight 00")
        self.assertEqual(second.content.decode().count('class="card__title"'), 1)

    def test_search_results_paginate_and_keep_the_query(self):
        for number in range(23):
            GlossaryTermPageFactory(title=f"Kaizen {number:02d}")
        response = self.client.get("/search/", {"q": "kaizen"})
        self.assertContains(response, "23 results")
        self.assertContains(response, 'href="?q=kaizen&amp;page=2"')
        second = self.client.get("/search/", {"q": "kaizen", "page": 2})
        self.assertEqual(second.content.decode().count("<mark>Kaizen</mark> "), 3)
