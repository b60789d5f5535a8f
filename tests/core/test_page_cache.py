"""The page cache: what it serves, what it never stores, and the headers it sends."""

from django.contrib.auth import get_user_model
from django.db import connection
from django.test.utils import CaptureQueriesContext

from wagtail.models import PageViewRestriction
from wagtail.test.utils import WagtailPageTestCase

from core.internals import public_pages
from glossary.models import GlossaryTermPage
from tests.factories import GlossaryTermPageFactory


class PageCacheTests(WagtailPageTestCase):
    @classmethod
    def setUpTestData(cls):
        cls.term = GlossaryTermPageFactory(title="Kanban", slug="kanban")

    def test_a_repeat_view_is_served_from_the_cache_without_a_query(self):
        first = self.client.get(self.term.url)
        self.assertEqual(first["X-Page-Cache"], "miss")
        with CaptureQueriesContext(connection) as queries:
            second = self.client.get(self.term.url)
        self.assertEqual(second["X-Page-Cache"], "hit")
        self.assertEqual(len(queries), 0)
        self.assertEqual(second.content, first.content)
        self.assertEqual(second["Content-Type"], first["Content-Type"])

    def test_honest_cache_control_and_a_304_for_a_conditional_request(self):
        response = self.client.get(self.term.url)
        control = {part.strip() for part in response["Cache-Control"].split(",")}
        self.assertIn("public", control)
        self.assertIn("max-age=60", control)
        self.assertTrue(any(part.startswith("s-maxage=") for part in control))
        etag = self.client.get(self.term.url)["ETag"]
        self.assertTrue(etag)
        again = self.client.get(self.term.url, headers={"if-none-match": etag})
        self.assertEqual(again.status_code, 304)
        self.assertEqual(again.content, b"")

    def test_logged_in_users_are_never_served_or_stored(self):
        self.client.get(self.term.url)  # stored for anonymous visitors
        user = get_user_model().objects.create_superuser("editor", "e@example.com", "pw")
        self.client.force_login(user)
        response = self.client.get(self.term.url)
        self.assertNotIn("X-Page-Cache", response)
        self.assertIn("private", response["Cache-Control"])
        self.client.logout()

    def test_posts_404s_and_responses_with_cookies_are_not_stored(self):
        self.assertNotIn("X-Page-Cache", self.client.post(self.term.url))
        self.assertEqual(self.client.get(self.term.url)["X-Page-Cache"], "miss")
        missing = self.client.get("/glossary/no-such-term/")
        self.assertEqual(missing.status_code, 404)
        self.assertNotIn("X-Page-Cache", missing)
        self.assertNotIn("X-Page-Cache", self.client.get("/admin/login/"))

    def test_a_password_protected_page_is_never_stored(self):
        PageViewRestriction.objects.create(
            page=self.term, restriction_type=PageViewRestriction.PASSWORD, password="secret"
        )
        for _ in range(2):
            response = self.client.get(self.term.url)
            self.assertNotContains(response, "Kanban is", status_code=200)
            self.assertNotIn("X-Page-Cache", response)
            self.assertIn("no-cache", response["Cache-Control"])

    def test_search_suggestions_sitemap_and_feeds_are_cached(self):
        for url in [
            "/search/suggest/?q=ka",
            "/sitemap.xml",
            "/sitemap-glossary.xml",
            "/pulse/feed/",
        ]:
            with self.subTest(url=url):
                self.assertEqual(self.client.get(url)["X-Page-Cache"], "miss")
                self.assertEqual(self.client.get(url)["X-Page-Cache"], "hit")


class PublicPagesTests(WagtailPageTestCase):
    def test_public_pages_equals_wagtails_public(self):
        index = GlossaryTermPageFactory(title="Open").get_parent()
        hidden = GlossaryTermPageFactory(title="Hidden")
        GlossaryTermPageFactory(title="Also open")
        PageViewRestriction.objects.create(page=hidden, restriction_type=PageViewRestriction.LOGIN)
        ours = set(public_pages(GlossaryTermPage.objects.all()).values_list("pk", flat=True))
        wagtails = set(GlossaryTermPage.objects.public().values_list("pk", flat=True))
        self.assertEqual(ours, wagtails)
        self.assertNotIn(hidden.pk, ours)
        # A restriction on an ancestor hides every page below it.
        PageViewRestriction.objects.create(page=index, restriction_type=PageViewRestriction.LOGIN)
        self.assertFalse(public_pages(GlossaryTermPage.objects.all()).exists())
