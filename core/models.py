"""The home page: the site's root, linking into the glossary and Pulse."""

from django.conf import settings
from django.db import models

from modelcluster.fields import ParentalKey
from wagtail.admin.panels import FieldPanel, InlinePanel
from wagtail.models import Orderable, Page
from wagtail.search import index

from core.internals import OneQueryRoutingMixin, RoutedPageMixin, public_pages
from core.seo import SeoMixin


class HomePage(SeoMixin, OneQueryRoutingMixin, RoutedPageMixin, Page):
    """The root of the site. There is one, and the two section indexes live under it."""

    introduction = models.TextField(
        blank=True, help_text="One or two sentences under the site name, saying what it offers."
    )

    content_panels = Page.content_panels + [
        FieldPanel("introduction"),
        InlinePanel("featured_terms", label="Featured terms", max_num=12),
    ]
    search_fields = Page.search_fields + [index.SearchField("introduction")]

    parent_page_types = ["wagtailcore.Page"]
    subpage_types = ["glossary.GlossaryIndexPage", "pulse.PulseIndexPage"]
    max_count = 1

    def get_admin_display_title(self):
        """Wagtail's documented hook for the admin's label: the home page and the glossary
        index share the site's name as their title, so the menu and breadcrumbs said
        "Glossary › Glossary"."""
        return f"{super().get_admin_display_title()} (home page)"

    def get_context(self, request, *args, **kwargs):
        from glossary.models import GlossaryTermPage
        from pulse.models import PulseArticlePage

        context = super().get_context(request, *args, **kwargs)
        featured_ids = [item.term_id for item in self.featured_terms.all()]
        featured = public_pages(GlossaryTermPage.objects.live()).in_bulk(featured_ids)
        context["featured_terms"] = [featured[pk] for pk in featured_ids if pk in featured]
        context["latest_articles"] = PulseArticlePage.latest(limit=6)
        return context

    def get_meta_description(self):
        return self.search_description or self.introduction

    def schema_org(self, request):
        return {
            "@type": "WebSite",
            "name": settings.WAGTAIL_SITE_NAME,
            "description": self.get_meta_description(),
            "url": self.get_full_url(request),
        }


class HomePageFeaturedTerm(Orderable):
    page = ParentalKey(HomePage, on_delete=models.CASCADE, related_name="featured_terms")
    term = models.ForeignKey(
        "glossary.GlossaryTermPage",
        on_delete=models.CASCADE,
        related_name="+",
        help_text="A term to show on the home page.",
    )

    panels = [FieldPanel("term")]


class StaleResponses(models.Model):
    """What one change made stale, written in the change's own transaction and drained by the
    worker: the front cache's purge and the re-rendering of the pages (``core.refresh``).

    A table rather than the tasks' arguments: many changes are coalesced into one run, which
    reads every row written until it started; a change rolled back leaves no row.
    """

    class Purpose(models.TextChoices):
        PURGE = "purge", "Purge from the front cache"
        WARM = "warm", "Render again"

    purpose = models.CharField(max_length=8, choices=Purpose.choices)
    scopes = models.JSONField(default=list, help_text="Shared cache scopes (core.dependencies).")
    page_ids = models.JSONField(default=list, help_text="Pages whose own responses changed.")
    url_paths = models.JSONField(default=list, help_text="Addresses pages left (moved, renamed).")
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        verbose_name_plural = "stale responses"
        indexes = [models.Index(fields=["purpose", "id"], name="core_stale_purpose_id")]

    def __str__(self):
        return f"{self.purpose} #{self.pk}"
