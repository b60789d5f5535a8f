"""The glossary's sitemap section: every live, public term, then the topic pages."""

from core.internals import public_pages
from core.sitemaps import SectionSitemap

from .models import GlossaryIndexPage, GlossaryTermPage


class GlossarySitemap(SectionSitemap):
    """The terms, a file of at most ``limit`` a page; the topic pages (routes of the index,
    a few dozen) are added to the last file."""

    model = GlossaryTermPage

    def topic_urls(self):
        root = self.get_wagtail_site().root_page
        index = (
            public_pages(GlossaryIndexPage.objects.live())
            .descendant_of(root, inclusive=True)
            .first()
        )
        return index.topic_sitemap_urls(self.request) if index is not None else []

    def _urls(self, page, protocol, domain):
        urls = super()._urls(page, protocol, domain)
        if int(page) == self.paginator.num_pages:
            urls.extend(self.topic_urls())
        return urls
