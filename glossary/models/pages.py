"""The glossary's pages: the A–Z index (with a page per letter) and the terms, with what
hangs off a term (its pinned related terms, its cards in order, its computed neighbours).
"""

import functools
import uuid
from collections import defaultdict

from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator
from django.db import models
from django.db.models import Count, F, Window
from django.db.models.functions import RowNumber
from django.http import Http404, HttpResponsePermanentRedirect
from django.utils.functional import cached_property
from django.utils.http import urlencode

from wagtail.admin.panels import (
    FieldPanel,
    InlinePanel,
    MultiFieldPanel,
    ObjectList,
    TabbedInterface,
)
from wagtail.contrib.routable_page.models import RoutablePageMixin, path
from wagtail.fields import StreamField
from wagtail.models import (
    Page,
)
from wagtail.search import index

from core.blocks import SanitisedStreamField, contents_of
from core.content import ContentPageMixin, content_search_fields
from core.filters import category_filter, listing_page
from core.internals import RoutedPageMixin, public_pages
from core.seo import IntroducedListingMixin, SeoMixin, breadcrumb_trail, canonical_listing_url

from ..alphabet import LETTERS, letter_from_slug, letter_slug
from ..api_fields import TERM_API_FIELDS
from ..blocks import KeyQuestionsBlock, TermBodyBlock
from ..rules import DESCRIPTION_MAX_LENGTH, RESERVED_TERM_SLUGS, TERM_ID_MAX_LENGTH
from .backlinks import TermBacklinksMixin
from .hierarchy import TermHierarchyMixin
from .history import TermHistoryMixin
from .lifecycle import TermLifecycleMixin
from .linking_switches import TermLinkingMixin
from .review import ReviewedTermMixin
from .snippets import RelatedArticlesSection
from .term_relations import (
    TermRelationsMixin,
)
from .topics import TopicRoutesMixin


def letter_description(letter, items):
    """A letter page's meta description: how many terms, and the first few names it lists."""
    starting = "with a number or other character" if letter == "#" else f"with {letter}"
    count = items.paginator.count
    text = f"{count} glossary term{'s' if count != 1 else ''} starting {starting}"
    names = [term.title for term in items[:5]]  # the page's own list: no query of its own
    if names:
        text += ": " + ", ".join(names) + (", …" if len(items) > len(names) else "")
    if items.paginator.num_pages > 1:
        text += f" (page {items.number} of {items.paginator.num_pages})"
    return text + "."


def new_term_id():
    """A stable key for terms made in the admin; imported terms keep their record's id."""
    return uuid.uuid4().hex[:12]


class GlossaryIndexPage(
    TopicRoutesMixin, IntroducedListingMixin, RoutedPageMixin, RoutablePageMixin, Page
):
    """The glossary at /glossary/: letters A to Z, a few terms per letter, and a page per letter.

    A page per letter (/glossary/letter/<x>/) keeps 10,000 terms from making one giant page.
    """

    introduction = models.TextField(blank=True, help_text="Shown above the list of terms.")

    parent_page_types = ["home.HomePage"]
    subpage_types = ["glossary.GlossaryTermPage"]
    max_count = 1
    schema_type = "DefinedTermSet"

    # The explorer lists the terms A to Z, not by their latest revision: by "title", which the
    # ``terms_a_to_z`` hook (glossary/wagtail_hooks.py) turns into the stored key's order.
    admin_default_ordering = "title"

    terms_per_letter_preview = 8
    terms_per_page = 100
    # The query parameters it reads: the page cache keys by these only (core/page_cache.py).
    cache_params = ("page", "category")

    @classmethod
    @functools.cache
    def reserved_slugs(cls):
        """Slugs no term may take: the first part of every route the index serves, and
        ``RESERVED_TERM_SLUGS``. A term there would hide the route even where the route
        comes first in routing, so they are refused in the editor and renamed by the import.
        Worked out once per process: the routes are the class's, and the import asks for
        every term (Wagtail compiles them anew each time: 4% of an import's time)."""
        routes = {str(route.pattern).lstrip("^").split("/")[0] for route in cls.get_subpage_urls()}
        return frozenset(routes - {""}) | RESERVED_TERM_SLUGS

    def get_cached_paths(self):
        """The index and its letter pages, for the front cache's purges."""
        letters = [f"/letter/{letter_slug(letter)}/" for letter in LETTERS]
        return ["/", *letters, *self.topic_paths()]

    def base_context(self, request):
        """The context every view of the index shares, and the terms the visitor asked for.

        Letter counts and the category list come from one grouped query over an indexed
        column; the page cache keeps the result until a term changes.
        """
        context = self.get_context(request)
        children = public_pages(GlossaryTermPage.objects.child_of(self).live())
        counts = list(children.order_by().values_list("letter", "category").annotate(Count("id")))
        category, filter_context = category_filter(
            request, sorted({name for _letter, name, _count in counts if name})
        )
        context.update(filter_context)
        per_letter = defaultdict(int)
        for letter, name, count in counts:
            if not category or name == category:
                per_letter[letter] += count
        context["letters"] = [
            {"letter": letter, "slug": letter_slug(letter), "count": per_letter[letter]}
            for letter in LETTERS
        ]
        terms = children.filter(category=category) if category else children
        terms = terms.only("id", "title", "url_path", "description", "category", "letter")
        # Only a category the glossary has makes a page of its own.
        context["known_category"] = category if category in {n for _, n, _ in counts} else ""
        return context, terms

    @path("")
    def index_route(self, request):
        context, terms = self.base_context(request)
        # The first few terms of every letter, in one query: the database ranks and keeps them
        # (a filter on the window), so a few hundred rows come back, not every term.
        ranked = (
            terms.annotate(
                rank=Window(RowNumber(), partition_by=[F("letter")], order_by=[F("sort_key").asc()])
            )
            .filter(rank__lte=self.terms_per_letter_preview)
            .order_by("sort_key")
        )
        groups = {}
        for term in ranked:
            groups.setdefault(term.letter, []).append(term)
        context["groups"] = [
            {**entry, "terms": groups[entry["letter"]]}
            for entry in context["letters"]
            if entry["letter"] in groups
        ]
        if context["known_category"]:
            context["canonical_url"] = (
                f"{self.full_url}?{urlencode({'category': context['known_category']})}"
            )
        return self.render(request, context_overrides=context)

    @path("letter/<str:slug>/", name="letter")
    def letter_route(self, request, slug):
        letter = letter_from_slug(slug)
        if letter is None:
            if slug != slug.lower() and letter_from_slug(slug.lower()) is not None:
                # /letter/A/ is /letter/a/: one address per letter, not a duplicate.
                query = request.META.get("QUERY_STRING", "")
                target = self.reverse_subpage("letter", args=[slug.lower()])
                return HttpResponsePermanentRedirect(
                    f"{self.url}{target}" + (f"?{query}" if query else "")
                )
            raise Http404("No such letter")
        context, terms = self.base_context(request)
        letter_terms = terms.filter(letter=letter).order_by("sort_key", "pk")
        context["letter"] = letter
        # Counted already, for the letter navigation: no second COUNT query.
        count = next(e["count"] for e in context["letters"] if e["letter"] == letter)
        context["letter_terms"] = listing_page(request, letter_terms, self.terms_per_page, count)
        context["canonical_url"] = canonical_listing_url(
            f"{self.full_url}letter/{letter_slug(letter)}/",
            context["letter_terms"],
            context["known_category"],
        )
        context["meta_description"] = letter_description(letter, context["letter_terms"])
        return self.render(
            request, context_overrides=context, template="glossary/glossary_letter_page.html"
        )


class GlossaryTermPage(
    ContentPageMixin,
    TermBacklinksMixin,
    TermHistoryMixin,
    TermHierarchyMixin,
    TermRelationsMixin,
    TermLifecycleMixin,
    TermLinkingMixin,
    ReviewedTermMixin,
    SeoMixin,
    RoutedPageMixin,
    Page,
):
    """One glossary term at /glossary/<slug>/; its title is the term's name."""

    term_id = models.CharField(
        "term id",
        max_length=TERM_ID_MAX_LENGTH,
        unique=True,
        default=new_term_id,
        help_text="Stable key used by the fixture import; leave as it is.",
    )
    category = models.CharField(max_length=100, blank=True, help_text="e.g. 'glossary'.")
    description = models.TextField(
        max_length=DESCRIPTION_MAX_LENGTH,
        validators=[MaxLengthValidator(DESCRIPTION_MAX_LENGTH)],
        help_text=f"The short definition, at most {DESCRIPTION_MAX_LENGTH} characters: "
        "shown as the lead and as the meta description.",
    )
    synonyms = models.CharField(
        max_length=500,
        blank=True,
        help_text="Other names and abbreviations, comma-separated (e.g. 'SLA'); mentions link here too.",
    )
    key_questions = StreamField(
        KeyQuestionsBlock(),
        blank=True,
        help_text="Questions this page answers, in the order visitors should see them.",
    )
    body = SanitisedStreamField(TermBodyBlock(), blank=True, help_text="The full explanation.")
    content_raw = models.TextField(
        blank=True,
        help_text="The source text exactly as imported, kept for audit; never shown to visitors.",
    )
    letter = models.CharField(
        max_length=1,
        editable=False,
        db_index=True,
        default="#",
        help_text="Where the term is filed A to Z.",
    )
    sort_key = models.BinaryField(
        editable=False,
        default=b"",
        db_index=True,
        help_text="Where the term stands A to Z (glossary.alphabet.sort_key; set before every "
        "save): the one order of the index, previous and next, the downloads and the API.",
    )
    name_words = models.TextField(
        blank=True,
        default="",
        editable=False,
        help_text="The words of the name, synonyms and their initials, one name a line: "
        "what the search finds a name by (set before every save).",
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
        FieldPanel("synonyms"),
        FieldPanel("category"),
        FieldPanel("body"),
        FieldPanel("key_questions"),
        InlinePanel("sources", label="Source", heading="Sources (shown as References)"),
        FieldPanel("change_note"),
        MultiFieldPanel(
            [FieldPanel("never_link"), FieldPanel("no_linked_terms")], heading="Linked terms"
        ),
        MultiFieldPanel(
            [FieldPanel("term_id", read_only=True), FieldPanel("content_raw", read_only=True)],
            heading="Source",
            classname="collapsed",
        ),
        *ReviewedTermMixin.review_panels,
        *TermLifecycleMixin.lifecycle_panels,
    ]
    related_panels = [
        MultiFieldPanel(
            [FieldPanel("related_section"), InlinePanel("related_cards", label="Card")],
            heading="Related articles",
        ),
        InlinePanel(
            "pinned_related_terms",
            label="Related term",
            heading="Related terms",
            help_text="Shown first under 'Related terms'; the rest are found from shared questions and text.",
        ),
        *TermHierarchyMixin.hierarchy_panels,
    ]
    edit_handler = TabbedInterface(
        [
            ObjectList(content_panels, heading="Content"),
            ObjectList(related_panels, heading="Related"),
            ObjectList(Page.promote_panels, heading="Promote / SEO"),
            ObjectList(Page.settings_panels, heading="Settings"),
        ]
    )
    # Ranking: the name (Page's title, boost 2) > key questions > description > body.
    search_fields = content_search_fields(
        index.SearchField("key_questions", boost=1.6),
        index.SearchField("description", boost=1.3),
        index.SearchField("synonyms", boost=1.6),
    )

    # The read API (/api/v2/pages/): ``letter`` and ``category`` filter listings.
    api_fields = TERM_API_FIELDS

    # Listings of terms (``?type=glossary.GlossaryTermPage``) A to Z unless ``?order=`` says.
    api_default_ordering = ("sort_key", "pk")

    parent_page_types = ["glossary.GlossaryIndexPage"]
    # Each mixin's own, once (a class attribute is not combined along the bases).
    exclude_fields_in_copy = [
        *ReviewedTermMixin.exclude_fields_in_copy,
        *TermHistoryMixin.not_copied,
    ]
    route_select_related = ("related_section",)
    search_kind = "term"  # the search page's kind filter (?kind=term)

    class Meta:
        verbose_name = "glossary term"

    def clean(self):
        super().clean()
        errors = {}
        if self.slug and self.slug.lower() in GlossaryIndexPage.reserved_slugs():
            errors["slug"] = (
                f"“{self.slug}” is reserved for the glossary's own pages "
                f"(/glossary/{self.slug.lower()}/…); choose another slug, "
                f"such as “{self.slug.lower()}-term”."
            )
        clash = (
            GlossaryTermPage.objects.filter(title__iexact=self.title.strip())
            .exclude(pk=self.pk)
            .values_list("title", flat=True)
            .first()
        )
        if clash:
            errors["title"] = f"There is already a term named “{clash}”; term names are unique."
        if errors:
            raise ValidationError(errors)

    def save(self, *args, **kwargs):
        from ..effects import prepare_term

        prepare_term(self)
        super().save(*args, **kwargs)

    def get_meta_description(self):
        return self.search_description or self.description

    def social_image(self):
        """The image shown when the term is shared: its first card's."""
        return next((card.image for card in self.cards() if card.image is not None), None)

    def schema_org(self, request):
        """A WebPage about the term (its mainEntity): what the page says of the term, and
        what it says of itself (freshness, sources)."""
        index_page = breadcrumb_trail(self)[-2]
        term = {
            "@type": "DefinedTerm",
            "name": self.title,
            "description": self.description,
            "termCode": self.term_id,
            "url": self.get_full_url(request),
            "inDefinedTermSet": {
                "@type": "DefinedTermSet",
                "name": index_page.title,
                "url": index_page.get_full_url(request),
            },
        }
        page = {"@type": "WebPage", "url": term["url"], "name": self.title, "mainEntity": term}
        page.update(self.history_schema(request))
        page.update(self.review_schema_org())  # lastReviewed and reviewedBy: the page's
        return page

    @cached_property
    def table_of_contents(self):
        return contents_of(self.body)

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["cards"] = self.cards()
        # Cards whose article is live are shown whole; the rest as one line each, grouped.
        context["live_cards"] = [card for card in context["cards"] if card.live_target]
        context["pending_cards"] = [card for card in context["cards"] if not card.live_target]
        context["previous_term"], context["next_term"] = self.neighbours()
        context["related_terms"] = self.related_terms()
        return context
