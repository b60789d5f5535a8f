"""The home page: the site's root, linking into the glossary and Pulse."""

from django.conf import settings
from django.db import models
from django.db.models import Count

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
    lists_pages = True  # a change of a page it lists shows here (core.page_roles)
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
        terms = public_pages(GlossaryTermPage.objects.live())
        featured_ids = [item.term_id for item in self.featured_terms.all()]
        featured = terms.in_bulk(featured_ids)
        featured = [featured[pk] for pk in featured_ids if pk in featured]
        # One term in the spotlight: the editors' first choice, else the one with most cards.
        context["featured_term"] = featured[0] if featured else self.chosen_term(terms)
        context["featured_terms"] = featured[1:]
        context["letters"] = self.letters(terms)
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

    @staticmethod
    def chosen_term(terms):
        """A featured term when editors chose none: the live, public term with the most
        related-article cards (its page has the most to read), first A to Z among equals.
        Deterministic, and read only from the terms' own rows: a term's change invalidates
        the home page (a listing page, ``glossary.effects``), so the cached page follows it."""
        return (
            terms.annotate(card_count=Count("related_cards"))
            .order_by("-card_count", "sort_key", "pk")
            .only("id", "title", "url_path", "description", "category")
            .first()
        )

    @staticmethod
    def letters(terms):
        """The A–Z letters, each with its count of terms and its letter page's address (one
        grouped query over an indexed column; the glossary's address is cached)."""
        from core.navigation import section_urls
        from glossary.alphabet import LETTERS, letter_slug
        from glossary.models import GlossaryIndexPage

        glossary = section_urls()["glossary"]
        if not glossary:
            return []
        counts = dict(terms.order_by().values_list("letter").annotate(Count("id")))
        routes = GlossaryIndexPage.get_resolver()
        return [
            {
                "letter": letter,
                "count": counts.get(letter, 0),
                "url": glossary + routes.reverse("letter", letter_slug(letter)),
            }
            for letter in LETTERS
        ]


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


class PageCreationKey(models.Model):
    """The key a page's create form carried, kept with the page it made (issue 21).

    Wagtail 8's autosave creates a new page with a background POST to the create URL; a click
    (Save schedule, Save draft, Publish, Submit) before its answer posts the same form there
    again. The key, unique here, lets that second post continue the page the first one made
    (``glossary.page_views.CreatedOncePageCreateView``). A table of its own rather than a
    field on each page model: one mechanism for every page type, and "Copy page" and the
    revisions never carry the key along. ``page`` is empty only inside the transaction that
    claims the key before it creates the page.
    """

    key = models.UUIDField(primary_key=True)
    page = models.OneToOneField(
        Page, null=True, on_delete=models.CASCADE, related_name="creation_key"
    )

    def __str__(self):
        return str(self.key)
