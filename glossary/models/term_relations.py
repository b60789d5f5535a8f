"""What a term shows of other content, and the rows behind it: its pinned related terms, its
cards in editor order and its computed neighbours (related, previous and next terms), read
for one term or many in a few queries (``TermRelationsMixin`` on ``GlossaryTermPage``)."""

from django.db import models
from django.utils.functional import cached_property

from modelcluster.fields import ParentalKey
from wagtail.admin.panels import FieldPanel
from wagtail.models import Orderable

from core.images import CARD_RENDITION, HERO_RENDITION, prefetch_renditions

from .snippets import RelatedArticleCard

TERM = "glossary.GlossaryTermPage"


class TermRelationsMixin:
    """For ``GlossaryTermPage``: its neighbourhood and its cards."""

    @cached_property
    def neighbourhood(self):
        """Related terms (editors' pinned terms first) and the previous and next terms A to Z:
        computed when terms change (``glossary.related``), read here with one indexed query."""
        return self.neighbourhoods_of([self.pk])[self.pk]

    @staticmethod
    def neighbourhoods_of(term_ids):
        """{term id: {kind: [other term, …]}} for many terms in one query."""
        found = {
            term_id: {TermNeighbour.RELATED: [], TermNeighbour.PREVIOUS: [], TermNeighbour.NEXT: []}
            for term_id in term_ids
        }
        rows = (
            TermNeighbour.objects.filter(term_id__in=term_ids)
            .select_related("other")
            .only(
                "term_id",
                "kind",
                "position",
                "other__id",
                "other__title",
                "other__url_path",
                "other__description",
            )
            .order_by("term_id", "kind", "position")
        )
        for row in rows:
            found[row.term_id][row.kind].append(row.other)
        return found

    def related_terms(self):
        return self.neighbourhood[TermNeighbour.RELATED]

    def neighbours(self):
        """The previous and next live terms A to Z."""
        return (
            next(iter(self.neighbourhood[TermNeighbour.PREVIOUS]), None),
            next(iter(self.neighbourhood[TermNeighbour.NEXT]), None),
        )

    @cached_property
    def card_list(self):
        """The related cards in editor order, with their articles, images and renditions
        (two queries whatever the number of cards). Through the page's own relation, not
        ``cards_of``: a preview's cards are in memory, not yet in the database."""
        placements = _shown_placements(self.related_cards.all()).order_by("sort_order")
        return [placement.card for placement in placements]

    @staticmethod
    def cards_of(term_ids):
        """{term id: [published card, …] in editor order} for many saved terms in two queries."""
        found = {term_id: [] for term_id in term_ids}
        placements = _shown_placements(
            GlossaryTermRelatedCard.objects.filter(page_id__in=term_ids)
        ).order_by("page_id", "sort_order")
        for placement in placements:
            found[placement.page_id].append(placement.card)
        return found

    @classmethod
    def prefetch_for_listing(cls, terms):
        """Read the neighbourhoods and cards of many terms at once (the read API's listings):
        three queries for a page of terms instead of three per term."""
        ids = [term.pk for term in terms]
        neighbourhoods, cards = cls.neighbourhoods_of(ids), cls.cards_of(ids)
        for term in terms:
            term.__dict__["neighbourhood"] = neighbourhoods[term.pk]
            term.__dict__["card_list"] = cards[term.pk]
        super().prefetch_for_listing(terms)  # cooperative: the other mixins' (lifecycle)

    def cards(self):
        return self.card_list

    @property
    def live_section(self):
        """The section texts above the cards, once published (a new one awaiting review is not)."""
        section = self.related_section
        return section if section is not None and section.live else None


def _shown_placements(placements):
    """Card placements whose card visitors see (not one awaiting review), with its article,
    image and renditions: for one term's relation (in memory in a preview) or many terms'."""
    return (
        placements.filter(card__live=True)
        .select_related("card__target_page", "card__image")
        .prefetch_related(prefetch_renditions("card__image", CARD_RENDITION, HERO_RENDITION))
    )


def on_term(related_name):
    """The term a row belongs to: rows edited in the term's own form (an inline panel), in
    the editor's order, deleted with the term."""
    return ParentalKey(TERM, on_delete=models.CASCADE, related_name=related_name)


def chosen(model, help_text, related_name="+"):
    """What the editor chose in that row; the row goes when it goes."""
    return models.ForeignKey(
        model, on_delete=models.CASCADE, related_name=related_name, help_text=help_text
    )


class GlossaryTermPinnedTerm(Orderable):
    """A related term an editor chose to show first."""

    page = on_term("pinned_related_terms")
    term = chosen(TERM, "A term readers should see next.")
    panels = [FieldPanel("term")]


class GlossaryTermRelatedCard(Orderable):
    """A card chosen by a term, in the order the editor gives."""

    page = on_term("related_cards")
    card = chosen(
        RelatedArticleCard,
        "Choose a card, or create one in Related articles › Related-article cards.",
        related_name="placements",
    )
    panels = [FieldPanel("card")]

    class Meta(Orderable.Meta):
        constraints = [
            models.UniqueConstraint(fields=["page", "card"], name="unique_card_per_term"),
        ]


class TermNeighbour(models.Model):
    """A term's related terms and its previous and next terms, derived from the whole glossary.

    Written only by ``glossary.related.recompute`` when terms change; never edited by hand.
    """

    RELATED, PREVIOUS, NEXT = "related", "previous", "next"

    term = models.ForeignKey(
        TERM, on_delete=models.CASCADE, related_name="+", help_text="The term shown."
    )
    kind = models.CharField(
        max_length=8,
        choices=[(RELATED, "related"), (PREVIOUS, "previous"), (NEXT, "next")],
        help_text="How the other term is shown on the term's page.",
    )
    position = models.PositiveSmallIntegerField(default=0, help_text="Order within the kind.")
    other = models.ForeignKey(
        TERM,
        on_delete=models.CASCADE,
        related_name="shown_on",
        help_text="The term linked to.",
    )

    class Meta:
        verbose_name = "derived term neighbour"
        constraints = [
            models.UniqueConstraint(
                fields=["term", "kind", "position"], name="unique_term_neighbour_position"
            )
        ]

    def __str__(self):
        return f"{self.term_id} {self.kind} {self.position}: {self.other_id}"
