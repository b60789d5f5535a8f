"""The sitemap: an index (/sitemap.xml) and one paginated file per section.

A single file for 10,000 terms is a megabyte rendered on one request; per-section files of at
most ``limit`` pages keep each response small, and the page cache keeps them until a page of
that section is published, unpublished or moved (``sitemap`` scope).
"""

from django.db.models import Max
from django.db.models.functions import Coalesce

from wagtail.contrib.sitemaps import Sitemap
from wagtail.models import Page

from core.internals import public_pages

SITEMAP_FIELDS = (
    "id",
    "path",
    "depth",
    "url_path",
    "locale_id",
    "content_type_id",
    "last_published_at",
    "latest_revision_created_at",
)


class SectionSitemap(Sitemap):
    """Live, public pages of one model below the request's site root, in tree order."""

    limit = 5000
    model = Page

    def pages(self):
        root = self.get_wagtail_site().root_page
        return public_pages(self.model.objects.live()).descendant_of(root, inclusive=True)

    def items(self):
        # Only what a sitemap entry reads (its address and dates): a term's raw source and
        # other long text stay in the database.
        return self.pages().order_by("path").only(*SITEMAP_FIELDS)

    def get_latest_lastmod(self):
        # One aggregate instead of Django's default of reading every item.
        changed = Coalesce("last_published_at", "latest_revision_created_at")
        return self.pages().aggregate(latest=Max(changed))["latest"]


class GlossarySitemap(SectionSitemap):
    @property
    def model(self):
        from glossary.models import GlossaryTermPage

        return GlossaryTermPage


class PulseSitemap(SectionSitemap):
    @property
    def model(self):
        from pulse.models import PulseArticlePage

        return PulseArticlePage


class OtherPagesSitemap(SectionSitemap):
    """The home page and the section indexes."""

    def pages(self):
        from glossary.models import GlossaryTermPage
        from pulse.models import PulseArticlePage

        return super().pages().not_type(GlossaryTermPage, PulseArticlePage).specific()


SITEMAPS = {"pages": OtherPagesSitemap, "glossary": GlossarySitemap, "pulse": PulseSitemap}
