"""The header, footer and home links to the sections (home.navigation)."""

from django.test import TestCase

from wagtail.models import PageViewRestriction

from glossary.models import GlossaryIndexPage
from pulse.models import PulseIndexPage
from tests.factories import GlossaryTermPageFactory


class NavigationTests(TestCase):
    """Header, footer and home links come from the pages themselves, and follow a rename."""

    def header_links(self, url):
        html = self.client.get(url).content.decode()
        header = html[html.index('<nav class="site-nav"') : html.index("</nav>")]
        return header

    def test_sections_follow_a_renamed_index_and_mark_the_current_one(self):
        GlossaryTermPageFactory(title="Kanban", slug="kanban")
        header = self.header_links("/glossary/")
        self.assertIn('<a href="/glossary/" aria-current="page">Glossary</a>', header)
        self.assertIn('<a href="/pulse/">Pulse</a>', header)

        index = GlossaryIndexPage.objects.get()
        index.slug = "terms"
        index.save_revision().publish()
        home = self.client.get("/").content.decode()
        self.assertIn('<a href="/terms/">Glossary</a>', home)
        self.assertIn('<a class="button" href="/terms/">Browse the glossary</a>', home)
        self.assertIn('<a href="/terms/">Glossary A–Z</a>', home)  # the footer
        self.assertNotIn('href="/glossary/"', home)
        self.assertIn('<a href="/terms/letter/k/"', self.client.get("/terms/").content.decode())

    def test_sections_follow_a_view_restriction(self):
        """A change of who may see a page touches everything: the cached addresses are
        forgotten, so a private index leaves the navigation."""
        self.assertIn('href="/pulse/"', self.header_links("/"))
        PageViewRestriction.objects.create(
            page=PulseIndexPage.objects.get(), restriction_type="login"
        )
        self.assertNotIn('href="/pulse/"', self.header_links("/glossary/"))
