"""The page tree every install starts with (home.0002), its rules, and its addresses."""

from wagtail.models import Page, Site
from wagtail.test.utils import WagtailPageTestCase

from glossary.models import GlossaryIndexPage, GlossaryTermPage
from home.models import HomePage
from pulse.models import PulseArticlePage, PulseIndexPage
from tests.factories import GlossaryTermPageFactory, PulseArticlePageFactory


class PageTreeRulesTests(WagtailPageTestCase):
    def test_home_is_the_default_site_root(self):
        site = Site.objects.get(is_default_site=True)
        self.assertIsInstance(site.root_page.specific, HomePage)

    def test_indexes_live_under_home_only(self):
        self.assertAllowedParentPageTypes(GlossaryIndexPage, {HomePage})
        self.assertAllowedParentPageTypes(PulseIndexPage, {HomePage})
        self.assertAllowedSubpageTypes(HomePage, {GlossaryIndexPage, PulseIndexPage})

    def test_terms_only_under_the_glossary_and_articles_only_under_pulse(self):
        self.assertCanCreateAt(GlossaryIndexPage, GlossaryTermPage)
        self.assertCanNotCreateAt(PulseIndexPage, GlossaryTermPage)
        self.assertCanNotCreateAt(HomePage, GlossaryTermPage)
        self.assertCanCreateAt(PulseIndexPage, PulseArticlePage)
        self.assertCanNotCreateAt(GlossaryIndexPage, PulseArticlePage)
        self.assertAllowedSubpageTypes(GlossaryTermPage, set())
        self.assertAllowedSubpageTypes(PulseArticlePage, set())

    def test_one_index_of_each(self):
        home = HomePage.objects.get()
        self.assertFalse(GlossaryIndexPage.can_create_at(home))
        self.assertFalse(PulseIndexPage.can_create_at(home))
        self.assertFalse(HomePage.can_create_at(Page.get_first_root_node()))


class SiteUrlsTests(WagtailPageTestCase):
    def test_section_urls(self):
        self.assertEqual(HomePage.objects.get().url, "/")
        self.assertEqual(GlossaryIndexPage.objects.get().url, "/glossary/")
        self.assertEqual(PulseIndexPage.objects.get().url, "/pulse/")

    def test_every_page_type_is_routable_and_renderable(self):
        term = GlossaryTermPageFactory(title="Operations strategy", slug="operations-strategy")
        article = PulseArticlePageFactory(title="What is process strategy", slug="process-strategy")
        self.assertEqual(term.url, "/glossary/operations-strategy/")
        self.assertEqual(article.url, "/pulse/process-strategy/")
        for page in [
            HomePage.objects.get(),
            GlossaryIndexPage.objects.get(),
            PulseIndexPage.objects.get(),
            term,
            article,
        ]:
            with self.subTest(page=page.specific_class.__name__):
                self.assertPageIsRoutable(page)
                self.assertPageIsRenderable(page)

    def test_home_lists_latest_articles(self):
        PulseArticlePageFactory(title="Optimized Outcomes with AI-Enabled Solutions")
        response = self.client.get("/")
        self.assertContains(response, "Optimized Outcomes with AI-Enabled Solutions")
        self.assertContains(response, 'href="/glossary/"')

    def test_indexes_list_their_children(self):
        GlossaryTermPageFactory(title="Lean process", description="Removing waste from work.")
        PulseArticlePageFactory(title="Governed execution")
        # The A–Z index lists names only (its letter pages show the definitions).
        self.assertContains(
            self.client.get("/glossary/"),
            '<a href="/glossary/lean-process/">Lean process</a>',
            html=True,
        )
        self.assertContains(self.client.get("/glossary/letter/l/"), "Removing waste from work.")
        self.assertContains(self.client.get("/pulse/"), "Governed execution")
