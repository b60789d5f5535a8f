"""The read API (/api/v2/): every endpoint, its filters, and what it must never show."""

from django.core.cache import cache
from django.test import override_settings

from wagtail.models import PageViewRestriction
from wagtail.test.utils import WagtailPageTestCase

from core.images import HERO_RENDITION
from glossary.models import GlossaryTermPage, GlossaryTermRelatedCard, RelatedArticleCard
from tests.factories import GlossaryTermPageFactory, ImageFactory, PulseArticlePageFactory

TERM_TYPE = "glossary.GlossaryTermPage"
ARTICLE_TYPE = "pulse.PulseArticlePage"


class APITests(WagtailPageTestCase):
    def setUp(self):
        cache.clear()
        self.image = ImageFactory()
        self.article = PulseArticlePageFactory(
            title="Kanban in practice", slug="kanban-in-practice", hero_image=self.image
        )
        self.kanban = GlossaryTermPageFactory(
            title="Kanban", slug="kanban", category="lean", synonyms="Pull board"
        )
        card = RelatedArticleCard.objects.create(
            title="Kanban in practice",
            target_slug="kanban-in-practice",
            target_page=self.article,
        )
        GlossaryTermRelatedCard.objects.create(page=self.kanban, card=card, sort_order=0)
        self.kanban.save_revision().publish()
        self.audit = GlossaryTermPageFactory(title="Audit trail", slug="audit-trail")
        self.secret = GlossaryTermPageFactory(title="Kaizen secret", slug="kaizen-secret")
        PageViewRestriction.objects.create(
            page=self.secret, restriction_type=PageViewRestriction.LOGIN
        )
        self.draft = GlossaryTermPageFactory(title="Kanban draft", slug="kanban-draft")
        self.draft.unpublish()
        cache.clear()

    def get(self, url, status=200):
        response = self.client.get(url)
        self.assertEqual(response.status_code, status, response.content[:500])
        return response.json()

    def titles(self, data):
        return {item["title"] for item in data["items"]}

    def test_pages_lists_live_public_terms_and_articles_by_type(self):
        data = self.get(f"/api/v2/pages/?type={TERM_TYPE}&limit=50")
        self.assertEqual(self.titles(data), {"Kanban", "Audit trail"})
        self.assertEqual(data["meta"]["total_count"], 2)
        articles = self.get(f"/api/v2/pages/?type={ARTICLE_TYPE}")
        self.assertEqual(self.titles(articles), {"Kanban in practice"})

    def test_pages_filter_by_letter_and_category_and_paginate(self):
        by_letter = self.get(f"/api/v2/pages/?type={TERM_TYPE}&letter=K")
        self.assertEqual(self.titles(by_letter), {"Kanban"})
        by_category = self.get(f"/api/v2/pages/?type={TERM_TYPE}&category=lean")
        self.assertEqual(self.titles(by_category), {"Kanban"})
        first = self.get(f"/api/v2/pages/?type={TERM_TYPE}&order=title&limit=1")
        second = self.get(f"/api/v2/pages/?type={TERM_TYPE}&order=title&limit=1&offset=1")
        self.assertEqual(
            [first["items"][0]["title"], second["items"][0]["title"]], ["Audit trail", "Kanban"]
        )
        self.assertEqual(first["meta"]["total_count"], 2)

    def test_a_term_in_detail_has_its_fields_cards_and_related_terms(self):
        data = self.get(f"/api/v2/pages/{self.kanban.pk}/")
        self.assertEqual(data["meta"]["type"], TERM_TYPE)
        self.assertEqual(data["term_id"], self.kanban.term_id)
        self.assertEqual(data["synonyms"], "Pull board")
        self.assertEqual(data["letter"], "K")
        self.assertEqual(
            [block["value"] for block in data["key_questions"]],
            [block.value for block in self.kanban.key_questions],
        )
        self.assertEqual(
            [block["type"] for block in data["body"]],
            [block.block_type for block in GlossaryTermPage.objects.get(pk=self.kanban.pk).body],
        )
        self.assertEqual(data["cards"][0]["url"], "/pulse/kanban-in-practice/")
        self.assertIsInstance(data["related_terms"], list)

    def test_an_article_in_detail_has_its_hero_rendition(self):
        data = self.get(f"/api/v2/pages/{self.article.pk}/")
        self.assertEqual(data["summary"], self.article.summary)
        self.assertEqual(data["hero_image"]["id"], self.image.pk)
        self.assertEqual(data["hero"]["url"], self.image.get_rendition(HERO_RENDITION).url)
        self.assertEqual(data["body"][-1]["type"], "faq")

    def test_private_and_draft_pages_never_appear(self):
        listing = self.get("/api/v2/pages/?limit=50")
        self.assertFalse({"Kaizen secret", "Kanban draft"} & self.titles(listing))
        for page in (self.secret, self.draft):
            self.get(f"/api/v2/pages/{page.pk}/", status=404)
            self.get(f"/api/v2/pages/find/?html_path=/glossary/{page.slug}/", status=404)
        search = self.get("/api/v2/search/?q=kaizen")
        self.assertEqual(search["items"], [])
        self.assertNotIn(
            "Kanban draft", {i["title"] for i in self.get("/api/v2/search/?q=kanban")["items"]}
        )

    def test_find_by_html_path_redirects_to_the_detail(self):
        response = self.client.get("/api/v2/pages/find/?html_path=/glossary/kanban/")
        self.assertEqual(response.status_code, 302)
        # The default Site's address (the test client's host is no Site's).
        self.assertRegex(
            response["Location"], rf"^http://localhost/api/v2/pages/{self.kanban.pk}/\??$"
        )

    @override_settings(ALLOWED_HOSTS=["glossary.example.com"])
    def test_every_absolute_url_is_the_address_of_the_site_the_request_is_on(self):
        from wagtail.models import Site

        site = Site.objects.get(is_default_site=True)
        site.hostname, site.port = "glossary.example.com", 443
        site.save()
        cache.clear()
        base = "https://glossary.example.com"
        on_site = {"HTTP_HOST": "glossary.example.com", "secure": True}
        pk = self.kanban.pk

        found = self.client.get("/api/v2/pages/find/?html_path=/glossary/kanban/", **on_site)
        self.assertRegex(found["Location"], rf"^{base}/api/v2/pages/{pk}/\??$")
        listing = self.client.get(f"/api/v2/pages/?type={TERM_TYPE}", **on_site).json()
        meta = next(item["meta"] for item in listing["items"] if item["id"] == pk)
        self.assertEqual(meta["detail_url"], f"{base}/api/v2/pages/{pk}/")
        self.assertEqual(meta["html_url"], f"{base}/glossary/kanban/")
        detail = self.client.get(f"/api/v2/pages/{pk}/", **on_site).json()
        self.assertEqual(detail["meta"]["detail_url"], f"{base}/api/v2/pages/{pk}/")
        self.assertEqual(detail["meta"]["html_url"], f"{base}/glossary/kanban/")
        search = self.client.get("/api/v2/search/?q=kanban", **on_site).json()
        self.assertEqual(search["items"][0]["meta"]["detail_url"], f"{base}/api/v2/pages/{pk}/")
        self.assertEqual(search["items"][0]["meta"]["html_url"], f"{base}/glossary/kanban/")

    def test_images_list_and_detail(self):
        listing = self.get("/api/v2/images/")
        self.assertIn(self.image.pk, [item["id"] for item in listing["items"]])
        detail = self.get(f"/api/v2/images/{self.image.pk}/")
        self.assertEqual(detail["title"], self.image.title)

    def test_wagtails_unbounded_search_parameter_is_refused(self):
        self.get("/api/v2/pages/?search=kanban", status=400)

    def test_read_only(self):
        self.assertEqual(self.client.post("/api/v2/pages/", {}).status_code, 405)
        self.assertEqual(self.client.delete(f"/api/v2/pages/{self.kanban.pk}/").status_code, 405)

    def test_responses_are_cached_until_content_changes(self):
        url = f"/api/v2/pages/?type={TERM_TYPE}&fields=description"
        self.get(url)
        with self.assertNumQueries(0):
            self.get(url)
        page = GlossaryTermPage.objects.get(pk=self.audit.pk)
        page.description = "Every change, who made it and when."
        page.save_revision().publish()
        descriptions = {item["description"] for item in self.get(url)["items"]}
        self.assertIn("Every change, who made it and when.", descriptions)

    def test_a_listing_with_every_field_reads_a_fixed_number_of_queries(self):
        """Cards, sections, related terms and hero renditions are read for the whole page of
        results at once: ten more terms with cards cost no more queries."""
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        def queries(url):
            cache.clear()
            with CaptureQueriesContext(connection) as captured:
                self.get(url)
            return len(captured)

        terms = f"/api/v2/pages/?type={TERM_TYPE}&fields=*&limit=50"
        articles = f"/api/v2/pages/?type={ARTICLE_TYPE}&fields=*&limit=50"
        before = queries(terms), queries(articles)
        card = RelatedArticleCard.objects.get(target_slug="kanban-in-practice")
        for number in range(10):
            term = GlossaryTermPageFactory(title=f"Term {number}", slug=f"term-{number}")
            GlossaryTermRelatedCard.objects.create(page=term, card=card, sort_order=0)
            PulseArticlePageFactory(
                title=f"Article {number}", slug=f"article-{number}", hero_image=ImageFactory()
            )
        data = self.get(terms)
        self.assertEqual(len(data["items"]), 12)
        self.assertEqual(
            {len(item["cards"]) for item in data["items"] if item["title"].startswith("Term")},
            {1},
        )
        self.assertEqual((queries(terms), queries(articles)), before)
