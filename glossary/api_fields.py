"""How the read API shows a term's fields that are not plain: cards, section texts, related
terms, its replacement.

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


class ReplacementField(serializers.Field):
    """A deprecated term's replacement: id and title, and ``url`` only while visitors can
    reach it (the page's own notice links it then too). Reads the whole page (``source="*"``)."""

    def __init__(self, **kwargs):
        super().__init__(source="*", **kwargs)

    def to_representation(self, page):
        if page.replaced_by_id is None:
            return None
        replacement = page.replacement
        if replacement is not None:
            url = replacement.get_full_url(self.context.get("request"))
            return {"id": replacement.pk, "title": replacement.title, "url": url}
        title = type(page).objects.filter(pk=page.replaced_by_id).values_list("title", flat=True)
        return {"id": page.replaced_by_id, "title": title.first(), "url": None}
