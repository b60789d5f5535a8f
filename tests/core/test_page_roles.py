"""Roles by page type, and what the apps register with the base (sitemap sections, periodic
tasks): nothing is inferred from where a page sits in the tree."""

from django.core.exceptions import ImproperlyConfigured
from django.test import RequestFactory, TestCase

from wagtail.models import Page, Site

from core import sitemaps, tasks
from core.page_roles import listing_page_ids, listing_page_types
from core.seo import breadcrumb_name
from glossary.models import GlossaryIndexPage, GlossaryTermPage
from glossary.tasks import recompute_all_neighbourhoods
from pulse.models import PulseArticlePage, PulseIndexPage
from tests.factories import GlossaryTermPageFactory


class PageRoleTests(TestCase):
    def test_the_listing_pages_are_found_by_their_type(self):
        home = Site.objects.get(is_default_site=True).root_page
        self.assertIn(GlossaryIndexPage, listing_page_types())
        self.assertIn(PulseIndexPage, listing_page_types())
        self.assertNotIn(GlossaryTermPage, listing_page_types())
        indexes = {GlossaryIndexPage.objects.get().pk, PulseIndexPage.objects.get().pk}
        self.assertEqual(listing_page_ids(), {home.pk, *indexes})

    def test_a_term_at_an_index_depth_is_no_listing_page(self):
        """A page's role is its type's: a term as deep as the indexes lists nothing."""
        index = GlossaryIndexPage.objects.get()
        term = GlossaryTermPageFactory(title="Kanban", slug="kanban")
        term.move(index.get_parent(), pos="last-child")
        self.assertEqual(Page.objects.get(pk=term.pk).depth, index.depth)
        self.assertNotIn(term.pk, listing_page_ids())

    def test_home_in_the_breadcrumb_is_the_request_sites_root(self):
        index = GlossaryIndexPage.objects.get()
        home = index.get_parent()
        Site.objects.create(hostname="terms.example", port=80, root_page=index)
        default = RequestFactory().get("/", HTTP_HOST="localhost")
        other = RequestFactory().get("/", HTTP_HOST="terms.example")
        self.assertEqual(breadcrumb_name(home, default), "Home")
        self.assertEqual(breadcrumb_name(index, default), index.title)
        self.assertEqual(breadcrumb_name(index, other), "Home")
        self.assertEqual(breadcrumb_name(home, other), home.title)


class RegistrationTests(TestCase):
    def test_the_apps_register_their_sitemap_sections_in_order(self):
        self.assertEqual(list(sitemaps.sections()), ["pages", "glossary", "pulse"])
        self.assertIs(sitemaps.sections()["glossary"].model, GlossaryTermPage)
        self.assertIs(sitemaps.sections()["pulse"].model, PulseArticlePage)
        sitemaps.register_section("glossary", GlossaryTermPage)  # again: nothing changes
        self.assertEqual(len(sitemaps.sections()), 3)
        with self.assertRaises(ImproperlyConfigured):
            sitemaps.register_section("glossary", PulseArticlePage)

    def test_the_glossary_registers_its_nightly_recompute(self):
        self.assertIn(tasks.publish_scheduled_pages, tasks.PERIODIC)
        self.assertNotIn(tasks.publish_scheduled_pages, tasks.NIGHTLY)
        tasks.register_periodic(recompute_all_neighbourhoods, nightly=True)  # idempotent
        self.assertEqual(tasks.PERIODIC.count(recompute_all_neighbourhoods), 1)
        self.assertEqual(tasks.NIGHTLY.count(recompute_all_neighbourhoods), 1)
        self.assertIn(recompute_all_neighbourhoods, tasks.NIGHTLY)
