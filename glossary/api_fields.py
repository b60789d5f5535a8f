"""How the read API shows a term's fields that are not plain: cards, section texts, related
terms, sources and changes, a deprecated term's replacement.

Each reads what the page's own template reads (``cards()``, ``live_section``,
``related_terms()``), so the API shows visitors' view: published cards and sections, live and
public related terms.
"""

from rest_framework import serializers

from wagtail.api import APIField


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


class SourcesField(serializers.Field):
    """The sources the term cites, in editor order."""

    def to_representation(self, sources):
        return [
            {name: getattr(source, name) for name in ("title", "url", "publisher")}
            | {"accessed": source.accessed.isoformat() if source.accessed else None}
            for source in sources
        ]


class ChangesField(serializers.Field):
    """The newest published changes of the term's content, newest first."""

    def to_representation(self, changes):
        return [{"date": change.date.isoformat(), "note": change.note} for change in changes]


class ReplacementField(serializers.Field):
    """A deprecated term's replacement as visitors see it: id, title and address while it is
    live and public, else null, as the page's notice shows it. Reads the whole page
    (``source="*"``): ``replacement``, read for a listing's page of terms at once
    (``TermLifecycleMixin.prefetch_for_listing``)."""

    def __init__(self, **kwargs):
        super().__init__(source="*", **kwargs)

    def to_representation(self, page):
        replacement = page.replacement
        if replacement is None:
            return None
        url = replacement.get_full_url(self.context.get("request"))
        return {"id": replacement.pk, "title": replacement.title, "url": url}


class HierarchyField(serializers.Field):
    """Broader or narrower terms (live and public): id, title and address."""

    def to_representation(self, terms):
        request = self.context.get("request")
        return [
            {"id": term.pk, "title": term.title, "url": term.get_full_url(request)}
            for term in terms
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


# A term in the read API (/api/v2/pages/): its fields as stored, then what is read as its page
# shows it (published cards and sections, live and public terms and articles only).
TERM_API_FIELDS = [
    *(
        APIField(name)
        for name in (
            "term_id",
            "letter",
            "category",
            "description",
            "synonyms",
            "key_questions",
            "body",
            "never_link",
            "no_linked_terms",
            "reviewed_at",
            "reviewed_by_name",
            "content_updated_at",
            "status",
        )
    ),
    APIField("live_section", serializer=SectionField(read_only=True)),
    APIField("cards", serializer=CardsField(read_only=True)),
    APIField("related_terms", serializer=RelatedTermsField(read_only=True)),
    APIField("sources", serializer=SourcesField(source="source_list", read_only=True)),
    APIField("changes", serializer=ChangesField(source="change_list", read_only=True)),
    APIField("replaced_by", serializer=ReplacementField(read_only=True)),
    APIField("broader", serializer=HierarchyField(read_only=True)),
    APIField("narrower", serializer=HierarchyField(read_only=True)),
    APIField("mentioned_in", serializer=MentionedInField(read_only=True)),
]
