"""How the read API shows a term's fields that are not plain: cards, section texts, related terms.

Each reads what the page's own template reads (``cards()``, ``live_section``,
``related_terms()``), so the API shows visitors' view: published cards and sections, live and
public related terms.
"""

from rest_framework import serializers


class CardsField(serializers.Field):
    """The related-article cards, in editor order; ``url`` only where the article is live."""

    def to_representation(self, cards):
        return [
            {
                "title": card.title,
                "subheading": card.subheading,
                "button_text": card.button_text,
                "article_slug": card.target_slug,
                "url": card.live_target.url if card.live_target else None,
                "image": card.image_id,
            }
            for card in cards
        ]


class SectionField(serializers.Field):
    def to_representation(self, section):
        if section is None:
            return None
        return {
            "heading": section.heading,
            "subheading": section.subheading,
            "description": section.description,
            "category": section.category,
        }


class RelatedTermsField(serializers.Field):
    def to_representation(self, terms):
        return [
            {"id": term.pk, "title": term.title, "description": term.description} for term in terms
        ]


class HierarchyField(serializers.Field):
    """Broader or narrower terms (live and public): id, title and address."""

    def to_representation(self, terms):
        request = self.context.get("request")
        return [
            {"id": term.pk, "title": term.title, "url": term.get_full_url(request)}
            for term in terms
        ]
