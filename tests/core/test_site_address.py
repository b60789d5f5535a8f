"""A Site's address is in every absolute URL the site writes: when it changes, cached pages,
the sitemap and the downloads follow; ``run_site`` (``make run``) gives the default Site the
address it serves."""

import csv
import io
import signal
from io import StringIO
from unittest import mock

from django.core.cache import cache
from django.core.management import call_command
from django.test import override_settings

from wagtail.models import Site
from wagtail.test.utils import WagtailPageTestCase

from core.management.commands import run_site
from glossary import downloads
from glossary.models import PendingNeighbourhood, RelinkRequest
from tests.factories import GlossaryTermPageFactory


def default_site():
    return Site.objects.get(is_default_site=True)


class SiteAddressChangeTests(WagtailPageTestCase):
    def setUp(self):
        cache.clear()
        GlossaryTermPageFactory(title="Kanban", slug="kanban", term_id="k-1")
        cache.clear()

    def csv_urls(self):
        response = self.client.get("/glossary/download/glossary.csv")
        self.assertEqual(response.status_code, 200)
        text = b"".join(response.streaming_content).decode("utf-8-sig")
        return [row["url"] for row in csv.DictReader(io.StringIO(text))]

    def test_cached_pages_sitemap_and_downloads_follow_a_new_port(self):
        downloads.rebuild()
        old, new = "http://localhost/glossary/", "http://localhost:8080/glossary/"
        # Rendered and stored by the page cache at the old address.
        for _ in range(2):
            self.assertContains(self.client.get("/glossary/"), f'rel="canonical" href="{old}"')
            self.assertContains(self.client.get("/sitemap-glossary.xml"), f"{old}kanban/")
        self.assertEqual(self.csv_urls(), [f"{old}kanban/"])

        site = default_site()
        site.port = 8080
        with (
            override_settings(DOWNLOADS_REBUILD="inline"),
            self.captureOnCommitCallbacks(execute=True),
        ):
            site.save()

        index = self.client.get("/glossary/")
        self.assertContains(index, f'rel="canonical" href="{new}"')
        self.assertNotContains(index, old)
        sitemap = self.client.get("/sitemap-glossary.xml")
        self.assertContains(sitemap, f"{new}kanban/")
        self.assertNotContains(sitemap, old)
        self.assertEqual(self.csv_urls(), [f"{new}kanban/"])
        turtle = b"".join(self.client.get("/glossary/download/glossary.ttl").streaming_content)
        self.assertIn(f"<{new}kanban/>".encode(), turtle)
        self.assertNotIn(old.encode(), turtle)

    def test_a_new_address_recomputes_nothing_and_a_new_name_invalidates_nothing(self):
        PendingNeighbourhood.objects.all().delete()
        RelinkRequest.objects.all().delete()
        self.client.get("/glossary/")
        site = default_site()
        site.site_name = "Another name"
        site.save()
        self.assertEqual(self.client.get("/glossary/")["X-Page-Cache"], "hit")
        site.port = 8080
        site.save()
        self.assertEqual(self.client.get("/glossary/")["X-Page-Cache"], "miss")
        # Only addresses changed: no related terms or linked mentions are worked out again.
        self.assertFalse(PendingNeighbourhood.objects.exists())
        self.assertFalse(RelinkRequest.objects.exists())


class FinishedProcess:
    """What ``run_site`` starts, ended at once: the test checks the Site, not the servers
    (tests/core/test_queue.py runs the real ones)."""

    pid = 0

    def __init__(self, *args, **kwargs):
        pass

    def poll(self):
        return 0

    def wait(self, timeout=None):
        return 0


class RunSiteAddressTests(WagtailPageTestCase):
    def run_site(self, *args):
        handler = signal.getsignal(signal.SIGTERM)
        self.addCleanup(signal.signal, signal.SIGTERM, handler)
        out = StringIO()
        with mock.patch.object(run_site.subprocess, "Popen", FinishedProcess):
            call_command("run_site", *args, stdout=out)
        return out.getvalue()

    def test_the_default_site_gets_the_address_served(self):
        self.assertEqual(default_site().root_url, "http://localhost")
        out = self.run_site("127.0.0.1:8000")
        self.assertEqual(default_site().root_url, "http://127.0.0.1:8000")
        self.assertIn("http://127.0.0.1:8000/", out)
        term = GlossaryTermPageFactory(title="Kanban", slug="kanban")
        self.assertEqual(term.full_url, "http://127.0.0.1:8000/glossary/kanban/")

    def test_all_addresses_and_a_bare_port(self):
        self.run_site("0.0.0.0:8123")
        self.assertEqual((default_site().hostname, default_site().port), ("localhost", 8123))
        Site.objects.filter(is_default_site=True).update(hostname="localhost", port=80)
        self.run_site("9000")
        self.assertEqual((default_site().hostname, default_site().port), ("127.0.0.1", 9000))

    def test_a_site_an_administrator_set_is_left_alone(self):
        Site.objects.filter(is_default_site=True).update(hostname="glossary.example.com", port=443)
        self.run_site("127.0.0.1:8000")
        self.assertEqual(default_site().root_url, "https://glossary.example.com")
