"""The home page: the site's root, linking into the glossary and Pulse."""

from django.conf import settings
from django.db import models
from django.db.models import Count

from modelcluster.fields import ParentalKey
from wagtail.admin.panels import FieldPanel, InlinePanel
from wagtail.models import Orderable, Page

from core.internals import OneQueryRoutingMixin, RoutedPageMixin, public_pages
from core.seo import IntroducedListingMixin
from glossary import daily
from glossary.alphabet import LETTERS, letter_slug
from glossary.models import GlossaryIndexPage, GlossaryTermPage
from pulse.models import PulseArticlePage


class HomePage(IntroducedListingMixin, OneQueryRoutingMixin, RoutedPageMixin, Page):
    """The root of the site. There is one, and the two section indexes live under it."""

    introduction = models.TextField(
        blank=True, help_text="One or two sentences under the site name, saying what it offers."
    )

    content_panels = IntroducedListingMixin.content_panels + [
        InlinePanel("featured_terms", label="Featured terms", max_num=12),
    ]

    parent_page_types = ["wagtailcore.Page"]
    subpage_types = ["glossary.GlossaryIndexPage", "pulse.PulseIndexPage"]
    max_count = 1
    schema_type = "WebSite"
    # The term of the day: rendered afresh when the date or the day's term changes.
    cache_depends_on = (daily.DAILY,)

    def get_admin_display_title(self):
        """Wagtail's documented hook for the admin's label: the home page and the glossary
        index share the site's name as their title, so the menu and breadcrumbs said
        "Glossary › Glossary"."""
        return f"{super().get_admin_display_title()} (home page)"

    def get_context(self, request, *args, **kwargs):
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
        context["term_of_the_day"] = daily.term_of_the_day()
        return context

    def schema_org(self, request):
        return {**super().schema_org(request), "name": settings.WAGTAIL_SITE_NAME}

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
        from .navigation import section_urls  # which reads these models

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
