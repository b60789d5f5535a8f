"""Term pages: what visitors see, shared cards, and the cost of rendering."""

from django.db import connection
from django.test.utils import CaptureQueriesContext

from wagtail.test.utils import WagtailPageTestCase

from glossary.models import RelatedArticleCard
from tests.factories import (
    GlossaryTermPageFactory,
    ImageFactory,
    PulseArticlePageFactory,
    RelatedArticleCardFactory,
    RelatedArticlesSectionFactory,
    add_cards,
)


class TermPageContentTests(WagtailPageTestCase):
    @classmethod
    def setUpTestData(cls):
        cls.section = RelatedArticlesSectionFactory()
        cls.term = GlossaryTermPageFactory(
            title="Operations strategy",
            slug="operations-strategy",
            related_section=cls.section,
            content_raw="RAW-SOURCE-TEXT-FOR-AUDIT",
        )

    def test_shows_breadcrumb_name_lead_body_and_questions(self):
        response = self.client.get(self.term.url)
        self.assertContains(response, '<nav class="breadcrumb" aria-label="Breadcrumb">')
        self.assertContains(response, '<a href="/glossary/">Glossary</a>', html=True)
        self.assertContains(response, "<h1>Operations strategy</h1>", html=True)
        self.assertContains(response, f'<p class="lead">{self.term.description}</p>', html=True)
        self.assertContains(
            response,
            '<h2 id="defining-operations-strategy">Defining Operations Strategy</h2>',
            html=True,
        )
        self.assertContains(response, "Questions this page answers")
        self.assertContains(
            response, "What are the key components of a successful operations strategy?"
        )
        self.assertContains(
            response, f'<meta name="description" content="{self.term.description}">'
        )

    def test_raw_source_is_never_shown(self):
        self.assertNotContains(self.client.get(self.term.url), "RAW-SOURCE-TEXT-FOR-AUDIT")

    def test_section_texts_and_cards(self):
        article = PulseArticlePageFactory(title="Optimized Outcomes", slug="optimized-outcomes")
        linked = RelatedArticleCardFactory(
            title="Optimized Outcomes with AI-Enabled Solutions",
            target_page=article,
            target_slug="optimized-outcomes",
            image=ImageFactory(),
        )
        waiting = RelatedArticleCardFactory(
            title="Maven Transforming the Landscape", target_slug="maven-transforming"
        )
        add_cards(self.term, linked, waiting)
        response = self.client.get(self.term.url)
        for text in [
            "Recently published Pulse insights.",
            "Practical Application",
            "Read how Plexsive implement this with our clients.",
            "Glossary in Action",
        ]:
            self.assertContains(response, text)
        self.assertContains(response, 'href="/pulse/optimized-outcomes/"')
        self.assertContains(response, "Read Pulse")
        self.assertContains(response, '<img class="card__image"', count=1)
        # A card whose article does not exist shows, but never as a link that 404s.
        self.assertContains(response, "Maven Transforming the Landscape")
        self.assertNotContains(response, "maven-transforming")
        self.assertLess(
            response.content.index(b"Optimized Outcomes with AI"),
            response.content.index(b"Maven Transforming"),
            "cards show in the editor's order",
        )

    def test_card_to_an_unpublished_article_is_not_a_link(self):
        draft = PulseArticlePageFactory(title="Draft piece", slug="draft-piece", live=False)
        add_cards(self.term, RelatedArticleCardFactory(title="Draft card", target_page=draft))
        response = self.client.get(self.term.url)
        self.assertContains(response, "Draft card")
        self.assertNotContains(response, "/pulse/draft-piece/")

    def test_publishing_an_article_links_the_cards_waiting_for_it(self):
        card = RelatedArticleCardFactory(title="Waiting card", target_slug="later-article")
        add_cards(self.term, card)
        article = PulseArticlePageFactory(title="Later article", slug="later-article", live=False)
        article.save_revision().publish()
        card.refresh_from_db()
        self.assertEqual(card.target_page_id, article.pk)
        self.assertContains(self.client.get(self.term.url), 'href="/pulse/later-article/"')


class SharedCardTests(WagtailPageTestCase):
    def test_one_card_shown_by_two_terms_and_edited_once(self):
        card = RelatedArticleCardFactory(title="Elevating Workflows with AI Maven's Approach")
        first = GlossaryTermPageFactory(title="Lean process")
        second = GlossaryTermPageFactory(title="Service workflow")
        add_cards(first, card)
        add_cards(second, card)
        self.assertEqual(RelatedArticleCard.objects.count(), 1)
        for term in (first, second):
            self.assertContains(
                self.client.get(term.url), "Elevating Workflows with AI Maven&#x27;s Approach"
            )

        card.title = "Elevating Workflows, revised"
        card.save()
        for term in (first, second):
            response = self.client.get(term.url)
            self.assertContains(response, "Elevating Workflows, revised")
            self.assertNotContains(response, "Maven")


class TermPageQueryCountTests(WagtailPageTestCase):
    def render_queries(self, term):
        with CaptureQueriesContext(connection) as queries:
            response = self.client.get(term.url)
        self.assertEqual(response.status_code, 200)
        return len(queries)

    def test_queries_do_not_grow_with_cards(self):
        section = RelatedArticlesSectionFactory()
        few = GlossaryTermPageFactory(title="Few cards", related_section=section)
        many = GlossaryTermPageFactory(title="Many cards", related_section=section)
        image = ImageFactory()
        add_cards(few, RelatedArticleCardFactory(image=image))
        add_cards(
            many,
            *[
                RelatedArticleCardFactory(image=image, target_page=PulseArticlePageFactory())
                for _ in range(6)
            ],
        )
        # Warm the per-process caches (site root paths, renditions) before counting.
        self.client.get(few.url)
        self.client.get(many.url)
        few_queries = self.render_queries(few)
        self.assertEqual(self.render_queries(many), few_queries)
        # Routing (7), view restrictions, cards, images, renditions, section, breadcrumb,
        # previous and next terms with their view restrictions (3), related terms: pinned (1)
        # and the full-text search (2).
        self.assertLessEqual(few_queries, 19)
