"""The site-wide views: admin login, errors, icons, robots.txt, the sitemap and search.

The page tree and the navigation are the home app's (tests/home)."""

import json
from pathlib import Path

from django.contrib.staticfiles import finders
from django.test import TestCase

from tests.factories import GlossaryTermPageFactory, PulseArticlePageFactory


class SiteViewsTests(TestCase):
    def test_admin_login_is_served(self):
        response = self.client.get("/admin/login/")
        self.assertContains(response, 'name="password"')

    def test_custom_404(self):
        response = self.client.get("/no-such-page/")
        self.assertEqual(response.status_code, 404)
        self.assertContains(response, "Page not found", status_code=404)
        self.assertContains(response, 'href="/glossary/"', status_code=404)

    def test_custom_500_renders_without_a_request(self):
        from core.operations import server_error

        response = server_error(None)
        self.assertEqual(response.status_code, 500)
        self.assertIn(b"Something went wrong", response.content)

    def test_icons_and_web_app_manifest_are_linked_and_served(self):
        html = self.client.get("/").content.decode()
        for link in (
            '<link rel="icon" href="/static/icons/favicon.ico" sizes="48x48">',
            '<link rel="icon" href="/static/icons/icon.svg" type="image/svg+xml">',
            '<link rel="apple-touch-icon" href="/static/icons/apple-touch-icon.png">',
            '<link rel="manifest" href="/static/site.webmanifest">',
        ):
            self.assertIn(link, html)
        favicon = self.client.get("/favicon.ico")
        self.assertEqual(
            (favicon.status_code, favicon["Location"]), (301, "/static/icons/favicon.ico")
        )
        # The files themselves: found by the static files finders (a streamed static response
        # closed here would close the test's database connection with it).
        manifest = json.loads(Path(finders.find("site.webmanifest")).read_text())
        for icon in [*manifest["icons"], {"src": "/static/icons/favicon.ico"}]:
            self.assertIsNotNone(finders.find(icon["src"].removeprefix("/static/")), icon["src"])

    def test_robots_txt_points_at_the_sitemap(self):
        response = self.client.get("/robots.txt")
        self.assertEqual(response["Content-Type"], "text/plain")
        self.assertIn(b"Sitemap: http://localhost/sitemap.xml", response.content)  # the Site
        self.assertIn(b"Disallow: /admin/", response.content)

    def test_sitemap_lists_pages(self):
        GlossaryTermPageFactory(title="Capacity model", slug="capacity-model")
        index = self.client.get("/sitemap.xml")
        self.assertContains(index, "http://testserver/sitemap-glossary.xml")
        self.assertContains(self.client.get("/sitemap-glossary.xml"), "/glossary/capacity-model/")

    def test_search_finds_terms_and_survives_odd_queries(self):
        GlossaryTermPageFactory(title="Capacity model", slug="capacity-model")
        self.assertContains(
            self.client.get("/search/", {"q": "capacity"}), "/glossary/capacity-model/"
        )
        for query in ["", "%", '"', "OR OR", "🙂", "x" * 5000, "<script>alert(1)</script>"]:
            with self.subTest(query=query[:20]):
                response = self.client.get("/search/", {"q": query})
                self.assertEqual(response.status_code, 200)
                self.assertNotContains(response, "<script>alert(1)</script>")
                self.assertContains(response, 'content="noindex"')


class SuggestTests(TestCase):
    def test_suggests_titles_as_json(self):
        GlossaryTermPageFactory(title="Capacity model", slug="capacity-model")
        PulseArticlePageFactory(title="Capacity planning in practice", slug="capacity-planning")
        GlossaryTermPageFactory(title="Backlog", slug="backlog")
        response = self.client.get("/search/suggest/", {"q": "capa"})
        self.assertEqual(response["Content-Type"], "application/json")
        data = response.json()
        self.assertEqual(data["query"], "capa")
        titles = {item["title"]: item["url"] for item in data["suggestions"]}
        self.assertEqual(
            titles,
            {
                "Capacity model": "/glossary/capacity-model/",
                "Capacity planning in practice": "/pulse/capacity-planning/",
            },
        )

    def test_suggestions_forgive_like_the_results_page(self):
        GlossaryTermPageFactory(title="Operations strategy", slug="operations-strategy")
        GlossaryTermPageFactory(title="Capacity model", slug="capacity-model")
        for query in ("stratgy", "opera", "op", "operations strategies"):
            with self.subTest(query=query):
                data = self.client.get("/search/suggest/", {"q": query}).json()
                titles = [item["title"] for item in data["suggestions"]]
                self.assertEqual(titles[:1], ["Operations strategy"])

    def test_odd_queries_give_an_empty_list_not_an_error(self):
        for query in ["", "c", "%", '"', "OR OR", "🙂", "x" * 5000, "NEAR("]:
            with self.subTest(query=query[:10]):
                response = self.client.get("/search/suggest/", {"q": query})
                self.assertEqual(response.status_code, 200)
                self.assertIsInstance(response.json()["suggestions"], list)

    def test_the_search_box_works_without_the_script(self):
        response = self.client.get("/")
        self.assertContains(response, 'action="/search/" method="get" role="search"')
        self.assertContains(response, 'data-suggest-url="/search/suggest/"')


class SearchRankingTests(TestCase):
    def test_name_beats_key_questions_beats_description_beats_body(self):
        filler = [("paragraph", "<p>Unrelated words about planning.</p>")]
        GlossaryTermPageFactory(
            title="Body mention",
            slug="body-mention",
            description="Plain.",
            key_questions=[],
            body=[("paragraph", "<p>Throughput appears here in the body.</p>")],
        )
        GlossaryTermPageFactory(
            title="Description mention",
            slug="description-mention",
            key_questions=[],
            body=filler,
            description="Throughput is named in the description.",
        )
        GlossaryTermPageFactory(
            title="Question mention",
            slug="question-mention",
            description="Plain.",
            body=filler,
            key_questions=[("question", "How is throughput measured?")],
        )
        GlossaryTermPageFactory(
            title="Throughput",
            slug="throughput",
            description="Plain.",
            key_questions=[],
            body=filler,
        )
        response = self.client.get("/search/", {"q": "throughput"})
        content = response.content.decode()
        positions = [
            content.index(f'href="/glossary/{slug}/"')
            for slug in ("throughput", "question-mention", "description-mention", "body-mention")
        ]
        self.assertEqual(positions, sorted(positions), "name > key questions > description > body")

    def results(self, query):
        response = self.client.get("/search/", {"q": query})
        self.assertEqual(response.status_code, 200)
        return [result.title for result in response.context["results"]]

    def test_words_may_be_split_between_name_and_body_and_stop_words_are_ignored(self):
        GlossaryTermPageFactory(
            title="Kanban",
            slug="kanban",
            body=[("paragraph", "<p>Cards move freight through the warehouse.</p>")],
        )
        GlossaryTermPageFactory(title="Freight audit", slug="freight-audit")
        self.assertEqual(self.results("kanban freight"), ["Kanban"])
        self.assertEqual(self.results("what is the kanban"), ["Kanban"])

    def test_an_exact_name_comes_before_longer_names_and_articles_are_found(self):
        GlossaryTermPageFactory(title="Capacity planning horizon", slug="capacity-horizon")
        GlossaryTermPageFactory(title="Capacity planning", slug="capacity-planning")
        PulseArticlePageFactory(title="Why capacity planning fails", slug="why-capacity")
        results = self.results("capacity planning")
        self.assertEqual(results[0], "Capacity planning")
        self.assertEqual(
            set(results),
            {"Capacity planning", "Capacity planning horizon", "Why capacity planning fails"},
        )

    def test_draft_and_private_pages_are_never_results(self):
        from wagtail.models import PageViewRestriction

        private = GlossaryTermPageFactory(title="Throughput secret", slug="throughput-secret")
        PageViewRestriction.objects.create(page=private, restriction_type="login")
        draft = GlossaryTermPageFactory(title="Throughput draft", slug="throughput-draft")
        draft.unpublish()
        GlossaryTermPageFactory(title="Throughput", slug="throughput")
        self.assertEqual(self.results("throughput"), ["Throughput"])
