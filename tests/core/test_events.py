"""What follows a change: the registry of cache scopes, the one dispatcher of content events,
and the work it leaves to the worker (the front cache's purge, warming the stale pages)."""

import ast
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from unittest import mock

from django_tasks_db.models import DBTaskResult

from django.contrib.auth.models import Group
from django.core.cache import cache
from django.core.exceptions import ImproperlyConfigured
from django.db import transaction
from django.test import TestCase, override_settings
from django.urls import reverse

from wagtail.test.utils import WagtailPageTestCase

from core import dependencies, events, page_cache, warming
from core.frontend import PURGE_ALL_PATH, urls_to_purge
from core.models import StaleResponses
from glossary import linking
from glossary.models import GlossaryTermPage
from importer.models import ImportRun
from tests.core.test_queue import DATABASE_QUEUE, run_due_tasks, statuses
from tests.factories import (
    GlossaryTermPageFactory,
    PulseArticlePageFactory,
    RelatedArticleCardFactory,
)

ROOT = Path(__file__).resolve().parents[2]
PURGE_TASK = "core.refresh.purge_front_cache"


def publish(page):
    page.save_revision().publish()
    return page.__class__.objects.get(pk=page.pk)


class RegistryTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        GlossaryTermPageFactory(title="Kanban", slug="kanban")
        PulseArticlePageFactory(title="Flow at work", slug="flow-at-work")

    def test_each_declared_url_is_served_by_a_view_that_declares_its_scope(self):
        """The registry and the views cannot drift apart: every URL a scope names is cached
        under that scope, so purging or warming it reaches the response it means."""
        checked = 0
        for name, scope in dependencies.declared().items():
            for path in scope.paths():
                with self.subTest(scope=name, path=path):
                    response = self.client.get(path)
                    self.assertEqual(response.status_code, 200)
                    self.assertIn(name, response.wsgi_request.page_cache_scopes)
                    checked += 1
        self.assertGreaterEqual(checked, 10)  # sitemaps, feeds, search, downloads

    def test_front_cache_urls_come_from_the_registry(self):
        base = "http://localhost"
        self.assertEqual(
            urls_to_purge({page_cache.FEEDS}, []),
            sorted([base + reverse("pulse_feed"), base + reverse("pulse_feed_atom")]),
        )
        sitemap = urls_to_purge({page_cache.SITEMAP}, [])
        self.assertIn(base + "/sitemap-glossary.xml", sitemap)
        self.assertEqual(urls_to_purge({page_cache.TERMS}, []), [base + PURGE_ALL_PATH])
        # A scope declared with a route: its URL is purged, no path written anywhere else.
        dependencies.declare("test-robots", routes=["robots_txt"])
        try:
            self.assertEqual(urls_to_purge({"test-robots"}, []), [base + "/robots.txt"])
        finally:
            dependencies._scopes.pop("test-robots")

    def test_a_scope_is_declared_once_and_used_only_when_declared(self):
        with self.assertRaises(ImproperlyConfigured):
            dependencies.declare(page_cache.SEARCH, routes=["search"])
        with self.assertRaises(ImproperlyConfigured):
            page_cache.invalidate(scopes={"nobody-declared-this"})

    def test_an_invalidation_of_very_many_pages_makes_everything_stale_at_once(self):
        """Thousands of page ids would not fit one SQL statement nor one purge batch."""
        site = page_cache.current_tokens([page_cache.SITE])
        with mock.patch.object(page_cache, "MANY_PAGES", 3):
            page_cache.invalidate(pages=[1, 2, 3])
            self.assertEqual(page_cache.current_tokens([page_cache.SITE]), site)
            page_cache.invalidate(pages=[1, 2, 3, 4])
        self.assertNotEqual(page_cache.current_tokens([page_cache.SITE]), site)

    def test_the_neutral_parts_import_no_feature_app(self):
        neutral = ("events", "dependencies", "page_cache", "frontend", "refresh", "warming")
        registries = (
            *("sitemaps", "tasks", "queue", "signals", "page_roles", "seo", "apps"),
            *("reader_links", "feeds"),
        )
        for name in neutral + registries:
            tree = ast.parse((ROOT / "core" / f"{name}.py").read_text())
            imported = {
                (node.module or "") if isinstance(node, ast.ImportFrom) else alias.name
                for node in ast.walk(tree)
                if isinstance(node, ast.Import | ast.ImportFrom)
                for alias in node.names
            }
            for module in imported:
                with self.subTest(module=name, imports=module):
                    self.assertNotIn(
                        module.split(".")[0], {"glossary", "pulse", "importer", "feedback"}
                    )


class DispatcherTests(WagtailPageTestCase):
    def setUp(self):
        self.term = GlossaryTermPageFactory(title="Kanban", slug="kanban")
        self.other = GlossaryTermPageFactory(title="Zebra crossing", slug="zebra-crossing")
        self.seen = []

    def record(self, changes, pages):
        self.seen.append([page.pk for page in pages])

    def test_an_app_registers_its_handler_and_a_batch_finishes_once(self):
        events.connect(events.IMPORTED, self.record)
        try:
            tokens = page_cache.current_tokens([page_cache.SITE, page_cache.API])
            with events.batch():
                events.send(events.IMPORTED, pages=[self.term])
                events.send(events.IMPORTED, pages=[self.other])
                # Collected, not finished: nothing is stale yet.
                self.assertEqual(
                    page_cache.current_tokens([page_cache.API])[page_cache.API],
                    tokens[page_cache.API],
                )
            self.assertEqual(self.seen, [[self.term.pk], [self.other.pk]])
            after = page_cache.current_tokens([page_cache.SITE, page_cache.API])
            self.assertNotEqual(after[page_cache.API], tokens[page_cache.API])
            self.assertEqual(after[page_cache.SITE], tokens[page_cache.SITE])  # not everything
        finally:
            events._receivers[events.IMPORTED].remove(self.record)

    def test_a_page_no_app_claims_touches_everything(self):
        site = page_cache.current_tokens([page_cache.SITE])
        home = self.term.get_parent().get_parent().specific
        events.send(events.PAGE_CHANGED, page=home)
        self.assertNotEqual(page_cache.current_tokens([page_cache.SITE]), site)


class SenderTests(TestCase):
    """Receivers name their senders: a model that is no content sends no content event."""

    def test_saving_an_unrelated_model_sends_no_content_event(self):
        with mock.patch.object(events, "send") as send:
            Group.objects.create(name="Reviewers").delete()
            ImportRun.objects.create().delete()
        send.assert_not_called()
        with mock.patch.object(events, "send") as send:
            card = RelatedArticleCardFactory()  # a snippet: the same receivers do fire
        send.assert_called_with(events.SNIPPET_CHANGED, instance=card, deleted=False)


class _PurgeRecorder(BaseHTTPRequestHandler):
    received = []

    def do_PURGE(self):  # noqa: N802 - the HTTP method's name
        self.received.append((self.headers["Host"], self.path, self.headers["X-Purge-Secret"]))
        self.send_response(200)
        self.end_headers()

    def log_message(self, *args):
        pass


class FrontCachePurgeTests(TestCase):
    """The purge leaves the editor's request: written down with the change, sent by one run
    of the worker for any number of changes."""

    def setUp(self):
        cache.clear()
        self.terms = [
            GlossaryTermPageFactory(title=title, slug=title.lower())
            for title in ("Kanban", "Lean", "Muda")
        ]
        linking.refresh_vocabulary()  # as after any earlier change (the cache was cleared)
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), _PurgeRecorder)
        _PurgeRecorder.received = []
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        self.addCleanup(self.server.server_close)
        self.addCleanup(self.server.shutdown)
        self.enterContext(
            override_settings(
                TASKS=DATABASE_QUEUE,
                WAGTAILFRONTENDCACHE={
                    "varnish": {
                        "BACKEND": "core.frontend.SecretPurgeHTTPBackend",
                        "LOCATION": f"http://127.0.0.1:{self.server.server_port}",
                        "SECRET": "test-secret",
                    }
                },
            )
        )

    def test_three_publishes_are_purged_by_one_run_after_commit(self):
        for term in self.terms:
            term.body = [("paragraph", f"<p>New words about {term.title}.</p>")]
            with self.captureOnCommitCallbacks(execute=True):
                publish(term)
        self.assertEqual(_PurgeRecorder.received, [])  # nothing sent in the editor's request
        self.assertEqual(statuses(PURGE_TASK), ["READY"])
        self.assertEqual(StaleResponses.objects.filter(purpose="purge").count(), 3)
        run_due_tasks()
        self.assertEqual(statuses(PURGE_TASK), ["SUCCESSFUL"])
        paths = {path for _host, path, _secret in _PurgeRecorder.received}
        for expected in (
            "/glossary/kanban/",
            "/glossary/lean/",
            "/glossary/muda/",
            "/glossary/",
            "/glossary/letter/k/",
            "/sitemap-glossary.xml",
            "/search/",
            "/glossary/download/glossary.csv",
        ):
            self.assertIn(expected, paths)
        self.assertEqual({secret for *_rest, secret in _PurgeRecorder.received}, {"test-secret"})
        self.assertFalse(StaleResponses.objects.exists())  # drained

    def test_a_change_rolled_back_leaves_nothing_to_purge(self):
        term = self.terms[0]
        with (
            self.captureOnCommitCallbacks(execute=True),
            self.assertRaises(RuntimeError),
            transaction.atomic(),
        ):
            publish(term)
            raise RuntimeError("rolled back")
        self.assertFalse(StaleResponses.objects.exists())
        self.assertFalse(DBTaskResult.objects.filter(task_path=PURGE_TASK).exists())


class WarmingTests(WagtailPageTestCase):
    """With the immediate backend the warming task runs when the change commits: the first
    visitor after it meets stored pages."""

    def setUp(self):
        cache.clear()
        # Visitors ask for the site's own host, the one the warmer renders for.
        self.client.defaults["HTTP_HOST"] = "localhost"
        self.kanban = GlossaryTermPageFactory(title="Kanban", slug="kanban")
        self.lean = GlossaryTermPageFactory(title="Lean", slug="lean", live=False)
        self.warmed = [
            "/glossary/lean/",
            "/glossary/",
            "/glossary/letter/l/",
            "/glossary/kanban/",  # Lean follows it A to Z now
            "/sitemap-glossary.xml",
        ]

    @override_settings(WARM_MAX_PAGES=500)
    def test_a_published_term_is_a_hit_for_its_first_visitor(self):
        with self.captureOnCommitCallbacks(execute=True):
            publish(self.lean)
        for url in self.warmed:
            with self.subTest(url=url):
                response = self.client.get(url)
                self.assertEqual(response.status_code, 200)
                self.assertEqual(response["X-Page-Cache"], "hit")
        self.assertContains(
            self.client.get("/glossary/kanban/"), 'rel="next" href="/glossary/lean/"'
        )
        # Search results are the visitors' own: never rendered in advance.
        self.assertEqual(self.client.get("/search/?q=lean")["X-Page-Cache"], "miss")
        self.assertFalse(StaleResponses.objects.exists())

    @override_settings(WARM_MAX_PAGES=0)
    def test_without_warming_the_first_visitor_renders(self):
        with self.captureOnCommitCallbacks(execute=True):
            publish(self.lean)
        self.assertEqual(self.client.get("/glossary/lean/")["X-Page-Cache"], "miss")
        self.assertFalse(StaleResponses.objects.exists())

    @override_settings(WARM_MAX_PAGES=2)
    def test_a_run_renders_at_most_its_limit_the_terms_before_the_lists(self):
        with self.captureOnCommitCallbacks(execute=True):
            publish(self.lean)
        self.assertEqual(self.client.get("/glossary/lean/")["X-Page-Cache"], "hit")
        self.assertEqual(self.client.get("/glossary/kanban/")["X-Page-Cache"], "hit")
        self.assertEqual(self.client.get("/glossary/")["X-Page-Cache"], "miss")

    @override_settings(WARM_MAX_PAGES=500)
    def test_pages_still_current_are_not_rendered_again(self):
        self.client.get("/glossary/kanban/")
        self.client.get("/glossary/kanban/mentions/")  # the term's other address
        page = GlossaryTermPage.objects.get(pk=self.kanban.pk)
        self.assertEqual(warming.warm(set(), {page.pk}), 0)
        page_cache.invalidate(pages=[page])
        self.assertEqual(warming.warm(set(), {page.pk}), 2)
        self.assertEqual(self.client.get("/glossary/kanban/")["X-Page-Cache"], "hit")
