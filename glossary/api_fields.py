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


class MentionedInField(serializers.Field):
    """The newest live, public articles that mention the term (``mentioned_in``, as its page
    shows them): id, title, address on the request's site, and the date the article shows."""

    def to_representation(self, articles):
        request = self.context.get("request")
        return [
            {
                "id": article.pk,
                "title": article.title,
                "url": article.get_full_url(request),
                "date": article.display_date.isoformat() if article.display_date else None,
            }
            for article in articles
        ]
