"""Glossary terms and the related-article cards they show.

Cards and section texts are snippets so that one card is stored once and shown by many
terms: editing it once changes every term that shows it.
https://docs.wagtail.org/en/stable/topics/snippets/
"""

import uuid

from django.core.paginator import Paginator
from django.db import models

from modelcluster.fields import ParentalKey
from wagtail.admin.panels import FieldPanel, InlinePanel, MultiFieldPanel
from wagtail.fields import StreamField
from wagtail.models import Orderable, Page
from wagtail.search import index

from core.images import CARD_RENDITION, prefetch_image, rendition

from .blocks import KeyQuestionsBlock, TermBodyBlock


def new_term_id():
    """A stable key for terms made in the admin; imported terms keep their record's id."""
    return uuid.uuid4().hex[:12]


class RelatedArticlesSection(index.Indexed, models.Model):
    """The texts shown above a term's cards, shared by every term that uses the same texts."""

    heading = models.CharField(
        max_length=255, help_text="e.g. 'Recently published Pulse insights.'"
    )
    subheading = models.CharField(
        max_length=255,
        blank=True,
        help_text="Small text above the heading, e.g. 'Practical Application'.",
    )
    description = models.TextField(blank=True, help_text="One sentence under the heading.")
    category = models.CharField(
        max_length=255, blank=True, help_text="A label for the section, e.g. 'Glossary in Action'."
    )

    panels = [
        FieldPanel("heading"),
        FieldPanel("subheading"),
        FieldPanel("description"),
        FieldPanel("category"),
    ]
    search_fields = [
        index.SearchField("heading"),
        index.SearchField("description"),
        index.AutocompleteField("heading"),
    ]

    class Meta:
        verbose_name = "related-articles section"
        constraints = [
            models.UniqueConstraint(
                fields=["heading", "subheading", "description", "category"],
                name="unique_related_articles_section_texts",
            )
        ]

    def __str__(self):
        return " · ".join(part for part in (self.subheading, self.heading) if part)


class RelatedArticleCard(index.Indexed, models.Model):
    """A card pointing at a Pulse article.

    While the article does not exist, ``target_slug`` remembers which one is meant: the card
    shows without a link and links up when an article with that slug is published.
    """

    title = models.CharField(max_length=255, help_text="The article's title as the card shows it.")
    subheading = models.CharField(max_length=255, blank=True, help_text="e.g. 'Article'.")
    image = models.ForeignKey(
        "wagtailimages.Image",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="Shown at the top of the card.",
    )
    button_text = models.CharField(
        max_length=100, default="Read Pulse", help_text="The link's text."
    )
    target_page = models.ForeignKey(
        "pulse.PulseArticlePage",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="cards",
        help_text="The Pulse article the card opens.",
    )
    target_slug = models.SlugField(
        max_length=255,
        blank=True,
        help_text="The slug of the article meant, kept while no such article exists yet.",
    )

    panels = [
        FieldPanel("title"),
        FieldPanel("subheading"),
        FieldPanel("image"),
        FieldPanel("button_text"),
        MultiFieldPanel([FieldPanel("target_page"), FieldPanel("target_slug")], heading="Target"),
    ]
    search_fields = [index.SearchField("title"), index.AutocompleteField("title")]

    class Meta:
        verbose_name = "related-article card"
        constraints = [
            models.UniqueConstraint(
                fields=["target_slug"],
                condition=~models.Q(target_slug=""),
                name="unique_related_article_card_target_slug",
            )
        ]

    def __str__(self):
        return self.title

    @property
    def card_image(self):
        return rendition(self.image, CARD_RENDITION)

    @property
    def live_target(self):
        """The target page when visitors can open it, else None (never a link that 404s)."""
        page = self.target_page
        return page if page is not None and page.live else None


class GlossaryIndexPage(Page):
    """The glossary's front page at /glossary/: every term, A to Z."""

    introduction = models.TextField(blank=True, help_text="Shown above the list of terms.")

    content_panels = Page.content_panels + [FieldPanel("introduction")]
    search_fields = Page.search_fields + [index.SearchField("introduction")]

    parent_page_types = ["core.HomePage"]
    subpage_types = ["glossary.GlossaryTermPage"]
    max_count = 1

    terms_per_page = 100

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        terms = (
            GlossaryTermPage.objects.child_of(self)
            .live()
            .public()
            .order_by("title")
            .only("id", "title", "url_path", "description", "category")
        )
        context["terms"] = Paginator(terms, self.terms_per_page).get_page(request.GET.get("page"))
        return context


class GlossaryTermPage(Page):
    """One glossary term at /glossary/<slug>/; its title is the term's name."""

    term_id = models.CharField(
        "term id",
        max_length=64,
        unique=True,
        default=new_term_id,
        help_text="Stable key used by the fixture import; leave as it is.",
    )
    category = models.CharField(max_length=100, blank=True, help_text="e.g. 'glossary'.")
    description = models.TextField(
        help_text="The short definition: shown as the lead and as the meta description."
    )
    key_questions = StreamField(
        KeyQuestionsBlock(),
        blank=True,
        help_text="Questions this page answers, in the order visitors should see them.",
    )
    body = StreamField(TermBodyBlock(), blank=True, help_text="The full explanation.")
    content_raw = models.TextField(
        blank=True,
        help_text="The source text exactly as imported, kept for audit; never shown to visitors.",
    )
    related_section = models.ForeignKey(
        RelatedArticlesSection,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="terms",
        help_text="The texts shown above the related-article cards.",
    )

    content_panels = Page.content_panels + [
        FieldPanel("description"),
        FieldPanel("category"),
        FieldPanel("body"),
        FieldPanel("key_questions"),
        MultiFieldPanel(
            [FieldPanel("related_section"), InlinePanel("related_cards", label="Card")],
            heading="Related articles",
        ),
        MultiFieldPanel(
            [FieldPanel("term_id", read_only=True), FieldPanel("content_raw", read_only=True)],
            heading="Source",
            classname="collapsed",
        ),
    ]
    search_fields = Page.search_fields + [
        index.SearchField("key_questions", boost=3),
        index.SearchField("description", boost=2),
        index.SearchField("body"),
        index.FilterField("category"),
        index.AutocompleteField("title"),
    ]

    parent_page_types = ["glossary.GlossaryIndexPage"]
    subpage_types = []

    class Meta:
        verbose_name = "glossary term"

    def get_meta_description(self):
        return self.search_description or self.description

    def cards(self):
        """The related cards in editor order, with what their templates need in one query."""
        placements = (
            self.related_cards.select_related("card__target_page")
            .prefetch_related(prefetch_image("card__image", CARD_RENDITION))
            .order_by("sort_order")
        )
        return [placement.card for placement in placements]

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["cards"] = self.cards()
        return context


class GlossaryTermRelatedCard(Orderable):
    """A card chosen by a term, in the order the editor gives."""

    page = ParentalKey(GlossaryTermPage, on_delete=models.CASCADE, related_name="related_cards")
    card = models.ForeignKey(
        RelatedArticleCard,
        on_delete=models.CASCADE,
        related_name="placements",
        help_text="Choose a card, or create one in Snippets › Related-article cards.",
    )

    panels = [FieldPanel("card")]

    class Meta(Orderable.Meta):
        constraints = [
            models.UniqueConstraint(fields=["page", "card"], name="unique_card_per_term"),
        ]
