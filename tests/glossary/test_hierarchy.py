"""Broader and narrower terms: refusing cycles, the term page, the read API, and the topic
pages built from categories (tree, pagination, 404, sitemap, invalidation)."""

from django.core.exceptions import ValidationError

from wagtail.test.utils import WagtailPageTestCase

from glossary.models import GlossaryIndexPage, GlossaryTermBroader, GlossaryTermPage
from tests.factories import GlossaryTermPageFactory
from tests.glossary.test_invalidation import CachedPagesMixin, publish


def term(title, category="operations", **extra):
    return GlossaryTermPageFactory(
        title=title,
        category=category,
        description=f"{title} explained.",
        key_questions=[],
        body=[],
        **extra,
    )


def set_broader(page, *broader):
    page.broader_terms = [GlossaryTermBroader(term=other) for other in broader]
    return publish(page)


class CycleTests(WagtailPageTestCase):
    @classmethod
    def setUpTestData(cls):
        cls.strategy = term("Strategy")
        cls.planning = term("Planning")
        cls.capacity = term("Capacity planning")

    def test_a_term_cannot_be_its_own_broader_term(self):
        self.strategy.broader_terms = [GlossaryTermBroader(term=self.strategy)]
        with self.assertRaisesMessage(ValidationError, "cannot be its own broader term"):
            self.strategy.full_clean()

    def test_a_cycle_through_other_terms_is_refused_and_named(self):
        set_broader(self.capacity, self.planning)
        set_broader(self.planning, self.strategy)
        strategy = GlossaryTermPage.objects.get(pk=self.strategy.pk)
        strategy.broader_terms = [GlossaryTermBroader(term=self.capacity)]
        with self.assertRaises(ValidationError) as caught:
            strategy.full_clean()
        message = " ".join(caught.exception.messages)
        self.assertIn("“Strategy” → “Capacity planning” → “Planning” → “Strategy”", message)

    def test_a_chain_without_a_cycle_is_saved(self):
        set_broader(self.capacity, self.planning)
        planning = set_broader(self.planning, self.strategy)
        self.assertEqual([t.title for t in planning.broader()], ["Strategy"])

    def test_the_editor_form_refuses_a_cycle(self):
        from tests.glossary.editors import log_in

        set_broader(self.planning, self.strategy)
        log_in(self.client)
        strategy = GlossaryTermPage.objects.get(pk=self.strategy.pk)
        data = self.edit_form_data(strategy)
        data.update(
            {
                "broader_terms-TOTAL_FORMS": "1",
                "broader_terms-INITIAL_FORMS": "0",
                "broader_terms-0-term": str(self.planning.pk),
                "broader_terms-0-ORDER": "1",
                "broader_terms-0-DELETE": "",
                "broader_terms-0-id": "",
                "action-publish": "action-publish",
            }
        )
        response = self.client.post(f"/admin/pages/{strategy.pk}/edit/", data)
        self.assertEqual(response.status_code, 200)  # the form again, with the error
        self.assertContains(response, "“Strategy” → “Planning” → “Strategy”")
        self.assertFalse(GlossaryTermBroader.objects.filter(page=strategy).exists())

    def edit_form_data(self, page):
        from wagtail.test.utils.form_data import inline_formset, nested_form_data, streamfield

        return nested_form_data(
            {
                "title": page.title,
                "slug": page.slug,
                "description": page.description,
                "synonyms": page.synonyms,
                "category": page.category,
                "body": streamfield([]),
                "key_questions": streamfield([]),
                "related_cards": inline_formset([]),
                "pinned_related_terms": inline_formset([]),
                "sources": inline_formset([]),
                "status": "current",
                "comments": inline_formset([]),
            }
        )


class TermPageTests(WagtailPageTestCase):
    @classmethod
    def setUpTestData(cls):
        cls.strategy = term("Strategy")
        cls.planning = term("Planning")
        cls.capacity = term("Capacity planning")
        cls.demand = term("Demand planning")
        cls.hidden = term("Zoned planning")
        set_broader(cls.capacity, cls.planning)
        set_broader(cls.demand, cls.planning)
        set_broader(cls.hidden, cls.planning)
        set_broader(cls.planning, cls.strategy)
        cls.hidden.unpublish()

    def test_broader_and_narrower_terms_are_shown_live_and_a_to_z(self):
        html = self.client.get(self.planning.url).content.decode()
        self.assertIn("Broader terms", html)
        self.assertIn('href="/glossary/strategy/"', html)
        self.assertIn("Narrower terms", html)
        narrower = html.split("Narrower terms", 1)[1]
        self.assertLess(narrower.index("Capacity planning"), narrower.index("Demand planning"))
        self.assertNotIn("Zoned planning", html)

    def test_a_term_without_a_hierarchy_shows_no_section(self):
        other = term("Lonely")
        self.assertNotContains(self.client.get(other.url), "term-hierarchy")

    def test_the_category_kicker_links_to_the_topic(self):
        self.assertContains(
            self.client.get(self.planning.url), '<a href="/glossary/topics/operations/">'
        )

    def test_the_api_gives_broader_and_narrower_terms(self):
        response = self.client.get(f"/api/v2/pages/{self.planning.pk}/")
        data = response.json()
        self.assertEqual(
            data["broader"],
            [
                {
                    "id": self.strategy.pk,
                    "title": "Strategy",
                    "url": "http://localhost/glossary/strategy/",
                }
            ],
        )
        self.assertEqual(
            [t["title"] for t in data["narrower"]], ["Capacity planning", "Demand planning"]
        )

    def test_the_api_listing_reads_the_hierarchy_of_every_term(self):
        response = self.client.get(
            "/api/v2/pages/?type=glossary.GlossaryTermPage&fields=broader,narrower"
        )
        items = {item["title"]: item for item in response.json()["items"]}
        self.assertEqual([t["title"] for t in items["Capacity planning"]["broader"]], ["Planning"])
        self.assertEqual([t["title"] for t in items["Strategy"]["narrower"]], ["Planning"])


class TopicPageTests(CachedPagesMixin, WagtailPageTestCase):
    def setUp(self):
        self.strategy = term("Strategy")
        self.planning = term("Planning")
        self.capacity = term("Capacity planning")
        self.finance = term("Budget", category="Finance")
        self.ledger = term("Ledger", category="Finance")
        set_broader(self.capacity, self.planning)
        # Broader term outside the topic: the ledger is a root of Finance.
        set_broader(self.ledger, self.strategy)

    def test_topics_are_listed_with_counts(self):
        html = self.read("/glossary/topics/")
        self.assertIn('href="/glossary/topics/finance/"', html)
        self.assertIn("2 terms", html)
        self.assertIn("3 terms", html)

    def test_a_topic_shows_its_terms_as_a_tree(self):
        html = self.read("/glossary/topics/operations/")
        tree = html.split('<ul class="topic-tree">', 1)[1]
        # Planning is a root; Capacity planning is nested below it.
        self.assertLess(tree.index("Planning"), tree.index("Capacity planning"))
        nested = tree.split(">Planning</a>", 1)[1].split("</li>", 1)[0]
        self.assertIn("Capacity planning", nested)
        self.assertIn(
            '<link rel="canonical" href="http://localhost/glossary/topics/operations/">', html
        )
        self.assertIn('name="description" content="3 glossary terms in the topic', html)

    def test_a_term_whose_broader_term_is_elsewhere_is_a_root(self):
        html = self.read("/glossary/topics/finance/")
        self.assertIn("Ledger", html)
        self.assertNotIn("Strategy", html.split('<ul class="topic-tree">', 1)[1])

    def test_unknown_topic_and_page_past_the_end_are_404(self):
        self.read("/glossary/topics/no-such-topic/", status=404)
        self.read("/glossary/topics/operations/?page=9", status=404)
        self.read("/glossary/topics/operations/?page=x")  # not a number: page 1

    def test_topics_paginate_by_roots(self):
        GlossaryIndexPage.roots_per_topic_page = 1
        self.addCleanup(setattr, GlossaryIndexPage, "roots_per_topic_page", 50)
        first = self.read("/glossary/topics/operations/")
        second = self.read("/glossary/topics/operations/?page=2")
        self.assertIn("Capacity planning", first)  # with its root, Planning
        self.assertIn("Strategy", second)
        self.assertNotIn(">Planning<", second)
        self.assertIn(
            "?page=2",
            self.read("/glossary/topics/operations/?page=2").split('rel="canonical"')[1][:80],
        )

    def test_a_slug_in_capitals_redirects_and_the_front_cache_purges_topics(self):
        response = self.client.get("/glossary/topics/Finance/?page=1")
        self.assertEqual(response.status_code, 301)
        self.assertEqual(response["Location"], "/glossary/topics/finance/?page=1")
        paths = GlossaryIndexPage.objects.get().get_cached_paths()
        self.assertIn("/topics/", paths)
        self.assertIn("/topics/finance/", paths)

    def test_topics_are_in_the_glossary_sitemap(self):
        xml = self.read("/sitemap-glossary.xml")
        self.assertIn("<loc>http://localhost/glossary/topics/</loc>", xml)
        self.assertIn("<loc>http://localhost/glossary/topics/finance/</loc>", xml)

    def test_the_index_links_the_topics(self):
        self.assertIn('href="/glossary/topics/"', self.read("/glossary/"))
        self.assertIn('href="/glossary/topics/finance/"', self.read("/glossary/?category=Finance"))

    def test_a_new_category_or_broader_term_shows_at_once(self):
        self.warm("/glossary/topics/operations/", "/glossary/topics/", self.strategy.url)
        self.planning.category = "Finance"
        publish(self.planning)
        self.assertNotIn(">Planning<", self.read("/glossary/topics/operations/"))
        self.assertIn(">Planning<", self.read("/glossary/topics/finance/"))
        self.assertIn("3 terms", self.read("/glossary/topics/"))
        self.warm(self.strategy.url)
        set_broader(GlossaryTermPage.objects.get(pk=self.planning.pk), self.strategy)
        self.assertIn(
            'href="/glossary/planning/"', self.read(self.strategy.url).split("Narrower terms")[1]
        )

    def test_a_removed_broader_term_leaves_the_old_broader_page(self):
        self.warm(self.planning.url)
        set_broader(GlossaryTermPage.objects.get(pk=self.capacity.pk))
        self.assertNotIn("Narrower terms", self.read(self.planning.url))

    def test_a_renamed_narrower_term_shows_on_its_broader_term(self):
        self.warm(self.planning.url)
        self.capacity.title = "Capacity management"
        publish(self.capacity)
        self.assertIn("Capacity management", self.read(self.planning.url))
