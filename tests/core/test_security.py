"""Secure by default: the Content-Security-Policy, login throttling, search rate and cost
limits, the client address behind proxies, image upload limits."""

from unittest import mock

from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.test import RequestFactory, SimpleTestCase, TestCase, override_settings

from core.security import client_ip
from search import candidates, ranking
from tests.factories import GlossaryTermPageFactory


def directives(header):
    return {part.split()[0]: part.split()[1:] for part in header.split(";") if part.strip()}


class ContentSecurityPolicyTests(TestCase):
    def test_public_pages_allow_only_the_sites_own_files(self):
        GlossaryTermPageFactory(title="Kanban", slug="kanban")
        for url in ("/", "/glossary/", "/glossary/kanban/", "/search/?q=kanban", "/missing/"):
            with self.subTest(url=url):
                policy = directives(self.client.get(url)["Content-Security-Policy"])
                self.assertEqual(policy["default-src"], ["'self'"])
                self.assertEqual(policy["script-src"], ["'self'"])
                self.assertEqual(policy["style-src"], ["'self'"])
                self.assertEqual(policy["object-src"], ["'none'"])
                self.assertEqual(policy["frame-ancestors"], ["'none'"])
                self.assertEqual(policy["base-uri"], ["'self'"])

    def test_cached_pages_carry_the_policy_too(self):
        GlossaryTermPageFactory(title="Kanban", slug="kanban")
        self.client.get("/glossary/kanban/")
        response = self.client.get("/glossary/kanban/")
        self.assertEqual(response["X-Page-Cache"], "hit")
        self.assertIn("frame-ancestors 'none'", response["Content-Security-Policy"])

    def test_the_admin_adds_only_inline_code_and_framing_by_itself(self):
        """The browser tests show the admin works under this policy; this shows what it is."""
        policy = directives(self.client.get("/admin/login/")["Content-Security-Policy"])
        self.assertEqual(policy["script-src"], ["'self'", "'unsafe-inline'"])
        self.assertEqual(policy["style-src"], ["'self'", "'unsafe-inline'"])
        self.assertEqual(policy["frame-ancestors"], ["'self'"])
        self.assertEqual(policy["default-src"], ["'self'"])
        self.assertEqual(policy["img-src"], ["'self'", "data:"])  # no Gravatar
        self.assertEqual(policy["object-src"], ["'none'"])

    def test_signed_in_administrators_get_the_strict_policy_on_public_pages(self):
        """Injected script would run with an administrator's session: none may run."""
        term = GlossaryTermPageFactory(title="Kanban", slug="kanban")
        self.client.force_login(get_user_model().objects.create_superuser("ed", "e@x.org", "pw"))
        for url in ("/", "/glossary/", "/glossary/kanban/", "/search/?q=kanban", "/missing/"):
            with self.subTest(url=url):
                response = self.client.get(url)
                policy = directives(response["Content-Security-Policy"])
                self.assertEqual(policy["script-src"], ["'self'"])
                self.assertEqual(policy["style-src"], ["'self'"])
                self.assertEqual(policy["frame-ancestors"], ["'none'"])
        self.assertContains(self.client.get("/glossary/kanban/"), "wagtail-userbar")
        # The admin, and "view draft" (a preview: the page rendered for a request Wagtail makes
        # at its own URL), keep what the admin needs.
        for url in (
            "/admin/",
            f"/admin/pages/{term.pk}/edit/",
            f"/admin/pages/{term.pk}/view_draft/",
        ):
            with self.subTest(url=url):
                policy = directives(self.client.get(url)["Content-Security-Policy"])
                self.assertEqual(policy["script-src"], ["'self'", "'unsafe-inline'"])
                self.assertEqual(policy["frame-ancestors"], ["'self'"])


class LoginThrottlingTests(TestCase):
    def setUp(self):
        cache.clear()
        get_user_model().objects.create_superuser("editor", "e@example.com", "right-password")

    def attempt(self, password, address="203.0.113.9"):
        return self.client.post(
            "/admin/login/",
            {"username": "editor", "password": password},
            REMOTE_ADDR=address,
        )

    def test_five_failures_lock_the_user_out_from_that_address_with_a_clear_message(self):
        statuses = [self.attempt("wrong").status_code for _ in range(5)]
        self.assertEqual(statuses, [200, 200, 200, 200, 429])  # the fifth failure locks
        locked = self.attempt("right-password")
        self.assertEqual(locked.status_code, 429)
        self.assertContains(locked, "Too many failed sign-in attempts", status_code=429)
        self.assertNotIn("_auth_user_id", self.client.session)
        # Another address is not locked out with it.
        self.assertEqual(self.attempt("right-password", address="198.51.100.7").status_code, 302)

    def test_a_forged_forwarded_for_header_does_not_escape_the_lockout(self):
        for number in range(6):
            response = self.client.post(
                "/admin/login/",
                {"username": "editor", "password": "wrong"},
                REMOTE_ADDR="203.0.113.9",
                HTTP_X_FORWARDED_FOR=f"10.0.0.{number}",
            )
        self.assertEqual(response.status_code, 429)


class ClientAddressTests(SimpleTestCase):
    def request(self, remote, forwarded=None):
        extra = {"REMOTE_ADDR": remote}
        if forwarded is not None:
            extra["HTTP_X_FORWARDED_FOR"] = forwarded
        return RequestFactory().get("/", **extra)

    @override_settings(TRUSTED_PROXIES=["127.0.0.1", "10.0.0.2"])
    def test_forwarded_for_is_read_only_through_our_proxies(self):
        self.assertEqual(client_ip(self.request("203.0.113.9", "1.2.3.4")), "203.0.113.9")
        self.assertEqual(client_ip(self.request("127.0.0.1", "198.51.100.7")), "198.51.100.7")
        # A visitor's own prefix is ignored: the first untrusted hop from the right counts.
        self.assertEqual(
            client_ip(self.request("127.0.0.1", "6.6.6.6, 198.51.100.7, 10.0.0.2")),
            "198.51.100.7",
        )
        self.assertEqual(client_ip(self.request("127.0.0.1")), "127.0.0.1")


class SearchLimitsTests(TestCase):
    def setUp(self):
        cache.clear()
        GlossaryTermPageFactory(title="Kanban", slug="kanban")

    # Windows of a day: the requests never straddle a window's end (windows follow the clock).
    @override_settings(SEARCH_RATE_LIMIT="3/86400")
    def test_computed_searches_are_rate_limited_per_client(self):
        from core.security import rate_limited

        limited = rate_limited("search-test", "SEARCH_RATE_LIMIT")(lambda request: "ran")
        factory = RequestFactory()
        answers = [limited(factory.get("/", REMOTE_ADDR="203.0.113.9")) for _ in range(4)]
        self.assertEqual(answers[:3], ["ran"] * 3)
        self.assertEqual(answers[3].status_code, 429)
        # The time left in the window, never more than the window.
        self.assertIn(int(answers[3]["Retry-After"]), range(1, 86401))
        self.assertEqual(limited(factory.get("/", REMOTE_ADDR="198.51.100.7")), "ran")

    @override_settings(SEARCH_RATE_LIMIT="2/86400", SUGGEST_RATE_LIMIT="2/86400")
    def test_search_and_suggestions_are_limited_but_cached_answers_are_free(self):
        for url in ("/search/", "/search/suggest/"):
            with self.subTest(url=url):
                statuses = [self.client.get(url, {"q": f"kanban{n}"}).status_code for n in range(3)]
                self.assertEqual(statuses, [200, 200, 429])
        cache.clear()
        statuses = [self.client.get("/search/", {"q": "kanban"}).status_code for _ in range(5)]
        self.assertEqual(statuses, [200] * 5)  # one computed, four from the page cache

    def test_a_search_past_its_time_limit_is_a_503_not_a_hang(self):
        with mock.patch.object(ranking, "_ranked", side_effect=candidates.SearchTooSlow):
            response = self.client.get("/search/", {"q": "kanban"})
        self.assertEqual(response.status_code, 503)
        self.assertContains(response, "took too long", status_code=503)
        self.assertNotIn("public", response.get("Cache-Control", ""))

    def test_the_database_stops_a_search_that_runs_too_long(self):
        from django.db import connection

        slow = {
            "postgresql": "SELECT pg_sleep(2)",
            "sqlite": "WITH RECURSIVE n(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM n) "
            "SELECT count(*) FROM n",
        }[connection.vendor]
        with (
            self.assertRaises(candidates.SearchTooSlow),
            candidates.time_limit(100),
            connection.cursor() as cursor,
        ):
            cursor.execute(slow)
        # The connection is usable afterwards.
        self.assertEqual(self.client.get("/search/", {"q": "kanban"}).status_code, 200)


class ImageUploadLimitsTests(SimpleTestCase):
    def test_sizes_pixels_and_formats_are_bounded(self):
        from django.conf import settings

        self.assertLessEqual(settings.WAGTAILIMAGES_MAX_UPLOAD_SIZE, 10 * 1024 * 1024)
        self.assertLessEqual(settings.WAGTAILIMAGES_MAX_IMAGE_PIXELS, 40_000_000)
        self.assertNotIn("svg", settings.WAGTAILIMAGES_EXTENSIONS)
