"""The read API's search (/api/v2/search/): the site's own ranking, as JSON. What it must
never show (private and draft pages) is asserted with the rest of the API
(tests/core/test_api.py)."""

from django.core.cache import cache
from django.test import TestCase

from tests.factories import GlossaryTermPageFactory, PulseArticlePageFactory


class APISearchTests(TestCase):
    def setUp(self):
        cache.clear()
        PulseArticlePageFactory(title="Kanban in practice", slug="kanban-in-practice")
        GlossaryTermPageFactory(title="Kanban", slug="kanban", category="lean")
        cache.clear()

    def get(self, url):
        response = self.client.get(url)
        self.assertEqual(response.status_code, 200, response.content[:500])
        return response.json()

    def test_search_finds_by_the_sites_own_ranking(self):
        data = self.get("/api/v2/search/?q=kanban")
        self.assertEqual(data["items"][0]["title"], "Kanban")
        self.assertEqual(data["items"][0]["meta"]["html_url"], "http://localhost/glossary/kanban/")
        self.assertEqual(self.get("/api/v2/search/?q=")["items"], [])
