"""The sitemap: an index (/sitemap.xml) and one paginated file per section.

A single file for 10,000 terms is a megabyte rendered on one request; per-section files of at
most ``limit`` pages keep each response small, and the page cache keeps them until a page of
that section is published, unpublished or moved (``sitemap`` scope).

The sections are the apps': each registers its page type in ``AppConfig.ready``
(``register_section``), and "pages" holds every other live, public page (the home page, the
indexes). ``SITEMAPS`` is the one mapping the sitemap views and the cache scope read: Django's
views read it on each request, so sections registered after config/urls.py was imported count.
"""

from django.core.exceptions import ImproperlyConfigured
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


class OtherPagesSitemap(SectionSitemap):
    """Every page no registered section holds: the home page and the section indexes."""

    def pages(self):
        sectioned = [sitemap.model for name, sitemap in SITEMAPS.items() if name != OTHER_PAGES]
        pages = super().pages()
        return (pages.not_type(*sectioned) if sectioned else pages).specific()


# Section name -> sitemap class, in the order the index lists them ("pages" first).
OTHER_PAGES = "pages"
SITEMAPS = {OTHER_PAGES: OtherPagesSitemap}


def register_section(name, model, sitemap=None):
    """Give ``model``'s live, public pages a sitemap file of their own, sitemap-<name>.xml
    (called from the owning app's ``AppConfig.ready``; idempotent). ``sitemap``: the app's
    own ``SectionSitemap`` subclass for ``model``, when the section lists more than its pages
    (the glossary's topic pages)."""
    registered = SITEMAPS.get(name)
    if registered is not None:
        if name == OTHER_PAGES or registered.model is not model:
            raise ImproperlyConfigured(f"The sitemap section {name!r} is registered twice.")
        return
    if sitemap is None:
        sitemap = type(f"{model.__name__}Sitemap", (SectionSitemap,), {"model": model})
    elif not issubclass(sitemap, SectionSitemap) or sitemap.model is not model:
        raise ImproperlyConfigured(f"The sitemap of {name!r} must be a SectionSitemap of {model}.")
    SITEMAPS[name] = sitemap


def sections():
    """The sections, by name: what the sitemap views take as ``sitemaps``."""
    return SITEMAPS
