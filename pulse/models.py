"""Pulse: insight articles that glossary cards point to."""

import datetime
import re
from html import unescape

from django.db import models
from django.db.models import Count, prefetch_related_objects
from django.utils.functional import cached_property
from django.utils.html import strip_tags
from django.utils.text import Truncator
from django.utils.timezone import get_default_timezone

from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.api import APIField
from wagtail.images.api.fields import ImageRenditionField
from wagtail.models import Page
from wagtail.search import index

from core.blocks import SanitisedStreamField, contents_of
from core.content import ContentPageMixin, content_search_fields
from core.filters import category_filter, listing_page
from core.images import (
    CARD_RENDITION,
    HERO_RENDITION,
    optional_image,
    prefetch_renditions,
    rendition,
)
from core.internals import RoutedPageMixin, public_pages
from core.linked_terms import NoLinkedTermsMixin
from core.seo import (
    IntroducedListingMixin,
    SeoMixin,
    canonical_listing_url,
    default_image_url,
    organisation,
    site_url,
)

from .blocks import ArticleBodyBlock


class PulseIndexPage(IntroducedListingMixin, RoutedPageMixin, Page):
    """The list of Pulse articles at /pulse/, newest first."""

    introduction = models.TextField(blank=True, help_text="Shown above the list of articles.")

    parent_page_types = ["home.HomePage"]
    subpage_types = ["pulse.PulseArticlePage"]
    max_count = 1

    articles_per_page = 12
    # The query parameters it reads: the page cache keys by these only (core/page_cache.py).
    cache_params = ("page", "category")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        articles = PulseArticlePage.latest(parent=self)
        # Categories and the number of articles in each, in one grouped query.
        counts = dict(
            public_pages(PulseArticlePage.objects.child_of(self).live())
            .order_by()
            .values_list("category")
            .annotate(Count("id"))
        )
        category, filter_context = category_filter(request, sorted(name for name in counts if name))
        context.update(filter_context)
        if category:
            articles = articles.filter(category=category)
        count = counts.get(category, 0) if category else sum(counts.values())
        context["articles"] = listing_page(request, articles, self.articles_per_page, count)
        context["canonical_url"] = canonical_listing_url(
            self.get_full_url(request), context["articles"], category if category in counts else ""
        )
        return context


class PulseArticlePage(ContentPageMixin, NoLinkedTermsMixin, SeoMixin, RoutedPageMixin, Page):
    subheading = models.CharField(
        max_length=255,
        blank=True,
        default="Article",
        help_text="The kind of piece, e.g. 'Article'.",
    )
    category = models.CharField(
        max_length=255, blank=True, help_text="e.g. 'Glossary in Action'; used to filter articles."
    )
    summary = models.TextField(
        blank=True, help_text="One or two sentences for lists, cards and the meta description."
    )
    hero_image = optional_image(help_text="Shown at the top of the article and when it is shared.")
    published_date = models.DateField(
        null=True,
        blank=True,
        help_text="The date shown as published; leave empty to use the first publication date.",
    )
    body = SanitisedStreamField(ArticleBodyBlock(), blank=True, help_text="The article.")

    content_panels = Page.content_panels + [
        MultiFieldPanel(
            [FieldPanel("subheading"), FieldPanel("category"), FieldPanel("published_date")],
            heading="About the article",
        ),
        FieldPanel("summary"),
        FieldPanel("hero_image"),
        FieldPanel("body"),
        FieldPanel("no_linked_terms"),
    ]
    search_fields = content_search_fields(index.SearchField("summary", boost=2))

    # The read API (/api/v2/pages/): ``category`` filters listings.
    api_fields = [
        APIField("subheading"),
        APIField("category"),
        APIField("summary"),
        APIField("published_date"),
        APIField("hero_image"),
        APIField("hero", serializer=ImageRenditionField(HERO_RENDITION, source="hero_image")),
        APIField("body"),
        APIField("no_linked_terms"),
    ]

    parent_page_types = ["pulse.PulseIndexPage"]
    route_select_related = ("hero_image",)
    search_kind = "article"  # the search page's kind filter (?kind=article)

    class Meta:
        verbose_name = "Pulse article"

    @cached_property
    def table_of_contents(self):
        return contents_of(self.body)

    @property
    def display_date(self):
        if self.published_date:
            return self.published_date
        return self.first_published_at.date() if self.first_published_at else None

    @property
    def published_at(self):
        """The publication date as an instant (the start of that day on the site's clock), or
        the first publication when the editor gave no date: what the feeds date an article by,
        as its page and JSON-LD do (an import's own day is not the article's)."""
        if self.published_date:
            start = datetime.datetime.combine(self.published_date, datetime.time.min)
            return start.replace(tzinfo=get_default_timezone())
        return self.first_published_at

    @property
    def updated_at(self):
        """The article's own last change: its last publication if it was published again after
        it first appeared, else its publication. A page imported with many others shares its
        first publication's instant with them; that instant is not a change to the article."""
        published = self.published_at
        first, last = self.first_published_at, self.last_published_at
        if first is None or last is None or last <= first:
            return published
        return max(last, published) if published else last

    og_type = "article"
    words_per_minute = 220

    @property
    def reading_minutes(self):
        """Minutes to read the body at an ordinary adult pace, at least one."""
        words = 0
        for block in self.body:
            for text in block.block.get_searchable_content(block.value):
                words += len(re.findall(r"\w+", str(text)))
        return max(1, round(words / self.words_per_minute))

    def get_meta_description(self):
        """The editor's search description, else the summary, else the opening of the body:
        search engines and link previews always get a description."""
        return self.search_description or self.listing_summary()

    def listing_summary(self):
        """The summary, else the body's opening: what feeds show under the title."""
        return self.summary or self.opening_text()

    def opening_text(self, length=160):
        """The body's first paragraphs as plain text, cut at a word within ``length``."""
        for block in self.body:
            if block.block_type == "paragraph":
                text = " ".join(unescape(strip_tags(block.value.source)).split())
                if text:
                    return Truncator(text).chars(length)
        return ""

    def social_image(self):
        return self.hero_image

    def schema_org(self, request):
        data = {
            "@type": "Article",
            "headline": self.title,
            "description": self.summary,
            "url": self.get_full_url(request),
            "mainEntityOfPage": self.get_full_url(request),
            "articleSection": self.category,
            # No author field on articles: the organisation writes them (Google's Article guidance
            # wants an author; an Organization is allowed).
            "author": organisation(request),
            "publisher": organisation(request),
        }
        if self.display_date:
            data["datePublished"] = self.display_date.isoformat()
        if self.updated_at:
            data["dateModified"] = self.updated_at.isoformat()
        hero = self.hero if self.hero_image else None
        data["image"] = [site_url(request, hero.url) if hero else default_image_url(request)]
        return data

    @classmethod
    def prefetch_for_listing(cls, articles):
        """The hero renditions of a page of articles in one query (the read API's listings)."""
        prefetch_related_objects(articles, prefetch_renditions("hero_image", HERO_RENDITION))

    @classmethod
    def latest(cls, parent=None, limit=None):
        """Live articles, newest first, with hero renditions prefetched for cards."""
        articles = public_pages(cls.objects.live())
        if parent is not None:
            articles = articles.child_of(parent)
        articles = (
            articles.select_related("hero_image")
            .prefetch_related(prefetch_renditions("hero_image", CARD_RENDITION))
            .order_by(models.F("published_date").desc(nulls_last=True), "-first_published_at")
        )
        if limit is not None:
            articles = articles[:limit]
        return articles

    @property
    def card_image(self):
        return rendition(self.hero_image, CARD_RENDITION)

    @property
    def hero(self):
        return rendition(self.hero_image, HERO_RENDITION)
