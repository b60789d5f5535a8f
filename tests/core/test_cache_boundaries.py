"""Caches cannot be poisoned or flooded: the host-to-Site map is bounded by the Site table, query
strings cannot force renders, and redirects and errors stay out of shared caches."""

import pickle
import re
import secrets
from pathlib import Path
from urllib.parse import quote

from django.core.cache import cache
from django.test import TestCase, override_settings

from wagtail.contrib.redirects.models import Redirect
from wagtail.models import Page, Site

from core.internals import SITES_KEY
from tests.factories import GlossaryTermPageFactory


def cached_sites_size():
    return len(pickle.dumps(cache.get(SITES_KEY)))


@override_settings(ALLOWED_HOSTS=["*"])
class SiteLookupTests(TestCase):
    def setUp(self):
        cache.clear()

    def test_random_host_headers_do_not_grow_the_cached_site_map(self):
        GlossaryTermPageFactory(title="Kanban", slug="kanban")
        self.assertEqual(
            self.client.get("/glossary/kanban/", headers={"host": "a.test"}).status_code, 200
        )
        size = cached_sites_size()
        for _ in range(500):
            host = f"{secrets.token_hex(6)}.example:{secrets.randbelow(65535) + 1}"
            response = self.client.get("/robots.txt", headers={"host": host})
            self.assertEqual(response.status_code, 200)  # the default site answers
        self.assertEqual(cached_sites_size(), size)

    def test_each_site_is_still_found_by_its_own_host(self):
        root = Site.objects.get(is_default_site=True).root_page
        other_home = root.get_parent().add_child(
            instance=Page(title="Other home", slug="other-home")
        )
        Site.objects.create(hostname="other.example", port=80, root_page=other_home)
        for _ in range(2):  # the first fills the map, the second reads it
            self.assertContains(
                self.client.get("/", headers={"host": "other.example"}), "Other home"
            )
            default = self.client.get("/", headers={"host": "unknown.example"})
            self.assertNotContains(default, "Other home")


@override_settings(ALLOWED_HOSTS=["testserver"])
class DisallowedHostTests(TestCase):
    def test_a_refused_host_is_not_looked_up_or_cached(self):
        cache.clear()
        response = self.client.get("/", headers={"host": "evil.example"})
        self.assertEqual(response.status_code, 400)
        self.assertIsNone(cache.get(SITES_KEY))


class QueryStringTests(TestCase):
    def setUp(self):
        cache.clear()

    def headers_for(self, urls):
        return [self.client.get(url)["X-Page-Cache"] for url in urls]

    def test_tracking_and_unknown_parameters_make_one_render(self):
        term = GlossaryTermPageFactory(title="Kanban", slug="kanban")
        for variant in ("utm_source={}", "x={}", "fbclid={}&utm_medium=a{}"):
            with self.subTest(variant=variant):
                cache.clear()
                urls = [f"{term.url}?{variant.format(n, n)}" for n in range(200)]
                self.assertEqual(self.headers_for(urls), ["miss"] + ["hit"] * 199)

    def test_views_declared_parameters_still_count_in_any_order(self):
        GlossaryTermPageFactory(title="Kanban", slug="kanban", category="Lean")
        GlossaryTermPageFactory(title="Scrum", slug="scrum", category="Agile")
        urls = [
            "/glossary/?category=Lean&page=1",
            "/glossary/?page=1&category=Lean&utm_source=x",
            "/glossary/?category=Agile&page=1",
            "/search/?q=kanban",
            "/search/?utm_campaign=y&q=kanban&x=1",
            "/search/?q=scrum",
        ]
        self.assertEqual(self.headers_for(urls), ["miss", "hit", "miss"] * 2)
        self.assertContains(self.client.get("/search/?q=scrum&x=1"), "Scrum")

    def test_values_a_view_cannot_tell_apart_make_one_render(self):
        GlossaryTermPageFactory(title="Kanban", slug="kanban")
        for variant in ("page=x{}", "page=0{}&page=1", "q=kanban{}", "q=kanban&q=kanban{}"):
            with self.subTest(variant=variant):
                cache.clear()
                spaces = (" " * n for n in range(200))
                base = "/search/?" if variant.startswith("q") else "/glossary/letter/k/?"
                if "{}" in variant and variant.startswith("q"):
                    urls = [base + variant.format(quote(space)) for space in spaces]
                else:
                    urls = [base + variant.format(n) for n in range(200)]
                self.assertEqual(self.headers_for(urls), ["miss"] + ["hit"] * 199)
        # Different pages are still different pages.
        self.assertEqual(self.headers_for(["/glossary/?page=1", "/glossary/?page=2"]), ["miss"] * 2)

    def test_the_api_drops_tracking_parameters(self):
        GlossaryTermPageFactory(title="Kanban", slug="kanban")
        urls = [f"/api/v2/pages/?type=glossary.GlossaryTermPage&utm_source={n}" for n in range(20)]
        self.assertEqual(self.headers_for(urls), ["miss"] + ["hit"] * 19)


class RedirectsAndErrorsTests(TestCase):
    def assert_private(self, response, status, control="private, no-cache"):
        self.assertEqual(response.status_code, status)
        self.assertEqual(response["Cache-Control"], control)

    def test_redirects_are_kept_out_of_shared_caches(self):
        GlossaryTermPageFactory(title="Kanban", slug="kanban")
        Redirect.objects.create(old_path="/old-kanban", redirect_link="/glossary/kanban/")
        self.assert_private(self.client.get("/glossary/kanban"), 301)  # APPEND_SLASH
        self.assert_private(self.client.get("/old-kanban/"), 301)  # Wagtail's redirect
        with override_settings(SECURE_SSL_REDIRECT=True):
            # A new client: SecurityMiddleware reads the setting when it is made.
            self.assert_private(self.client_class().get("/glossary/kanban/"), 301)  # to HTTPS

    def test_errors_are_kept_out_of_shared_caches(self):
        self.assert_private(self.client.get("/glossary/no-such-term/"), 404)
        self.assert_private(self.client.get("/", headers={"host": "evil.example"}), 400)
        with override_settings(SEARCH_RATE_LIMIT="1/86400"):  # one window: no boundary
            self.client.get("/search/?q=a")
            self.assert_private(self.client.get("/search/?q=b"), 429, "no-store")


def declared_parameters():
    """Every query parameter a cacheable view or page type reads (the API reads any, None:
    Varnish passes /api/, so it takes no part)."""
    from django.urls import get_resolver

    from wagtail.models import get_page_models

    found = set()

    def walk(patterns):
        for pattern in patterns:
            if hasattr(pattern, "url_patterns"):
                walk(pattern.url_patterns)
            elif getattr(pattern.callback, "page_cache_params", None):
                found.update(pattern.callback.page_cache_params)

    walk(get_resolver().url_patterns)
    for model in get_page_models():
        found.update(getattr(model, "cache_params", ()))
        # A route of a routable page may read its own (core.page_cache.route_params).
        for route in getattr(model, "get_subpage_urls", list)():
            found.update(getattr(route.callback, "page_cache_params", ()))
    return found


def test_varnish_keeps_exactly_the_parameters_views_read():
    vcl = (Path(__file__).resolve().parents[2] / "deploy" / "varnish.vcl").read_text()
    kept = re.search(r"\(\?!\(\?:([a-z_|]+)\)=\)", vcl).group(1).split("|")
    assert set(kept) == declared_parameters()
