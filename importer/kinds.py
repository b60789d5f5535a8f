"""Each kind of record the import knows, in one object: adding a kind is one more class here.

A kind says how its records are told apart from others in a file (``marker``) and built
(``build``, pure), what they are called in reports and errors, which page model and parent
they become, which page field holds their key, the page fields they set, and the relations
compared and written beside those fields. Reading, planning, applying and the pipeline ask
the record's kind (``kind_of``) instead of testing for terms and articles themselves.

Models are looked up when first used, so the pure steps (reading, structuring) import this
module without the app registry.
"""

import datetime
import functools
import json

from django.apps import apps

from wagtail.images import get_image_model

from .errors import FixtureError
from .streams import IMAGE_BLOCK, plain_blocks, with_images
from .structure import BLOCKS_FORMAT, build_article, build_term, recover_headings, repair


def blocks_text(blocks):
    """A body of blocks as the JSON the import reads under ``body_format: blocks``."""
    items = [{"type": kind, "value": value} for kind, value in blocks]
    return json.dumps(items, ensure_ascii=False, indent=1) + "\n"


def record_blocks(record):
    return [(block.kind, block.value) for block in record.body]


class RecordKind:
    name = ""  # ImportedRecord.kind
    marker = ""  # the front-matter field only this kind's records have
    verbose_name = ""  # for people: "glossary term"
    title_field = ""  # the record's attribute that names it in reports
    key_name = ""  # what its key is called in error messages
    model_label = ""  # "app.Model" of its page
    parent_label = ""  # "app.Model" of the single index page its pages live under
    key_field = ""  # the page field holding the record's key
    prefetch = ()  # what ``changed_relations`` and ``fill`` read from existing pages
    card_target = False  # whether cards of other records point at its pages (by slug)

    @staticmethod
    def build(document):
        raise NotImplementedError

    @functools.cached_property
    def model(self):
        return apps.get_model(self.model_label)

    @functools.cached_property
    def parent_model(self):
        return apps.get_model(self.parent_label)

    def label(self, record):
        return f"{self.name} {getattr(record, self.title_field)!r}"

    def warnings(self, record):
        """(message, kind) pairs the report shows for a record that was read."""
        return list(record.warnings)

    def cards(self, record):
        """The related-article cards a record shows."""
        return ()

    def page_values(self, record):
        """The page fields a record sets, as plain values comparable with ``current_values``."""
        raise NotImplementedError

    def changed_relations(self, page, record):
        """Names of the relations (beyond ``page_values``) that differ on an existing page."""
        return []

    def fill(self, writer, page, record):
        """Set a page's fields and relations from its record (``writer`` holds shared objects)."""
        for name, value in self.page_values(record).items():
            if name == "body":
                value = with_images(value, lambda ref: writer.image_id(ref, record.path))
            setattr(page, name, value)

    def published(self, writer, pages):
        """What follows when pages of this kind are published by the import."""

    # --- the way out (importer.exporting) -------------------------------------------------

    folder = ""  # the export's folder for this kind
    export_related = ()  # what ``export_fields`` reads, fetched with the pages

    def pages_to_export(self, drafts):
        pages = self.model.objects.all() if drafts else self.model.objects.live()
        return pages.select_related(*self.export_related).order_by("path")

    def file_name(self, page):
        raise NotImplementedError

    def export_fields(self, page, images):
        """(front-matter fields, body) for a file that imports back as ``page``."""
        raise NotImplementedError

    def image_references(self, page, record):
        """(reference, image) pairs: how the file ``record`` came from names the page's images."""
        written = [
            value.get("image") for kind, value in record_blocks(record) if kind == IMAGE_BLOCK
        ]
        shown = [
            value.get("image") for kind, value in plain_blocks(page.body) if kind == IMAGE_BLOCK
        ]
        if not any(shown):
            return []
        found = get_image_model().objects.in_bulk([pk for pk in shown if pk])
        return [(ref, found.get(pk)) for ref, pk in zip(written, shown, strict=False)]


class TermKind(RecordKind):
    name = "term"
    marker = "name"
    verbose_name = "glossary term"
    title_field = "name"
    key_name = "id"
    model_label = "glossary.GlossaryTermPage"
    parent_label = "glossary.GlossaryIndexPage"
    key_field = "term_id"
    prefetch = ("related_cards__card", "pinned_related_terms__term")
    build = staticmethod(build_term)

    def cards(self, record):
        return record.cards

    def page_values(self, record):
        return {
            "title": record.name,
            "slug": record.slug,
            "term_id": record.key,
            "category": record.category,
            "description": record.description,
            "synonyms": record.synonyms,
            "key_questions": [("question", q) for q in record.key_questions],
            "body": [(b.kind, b.value) for b in record.body],
            "content_raw": record.content_raw,
        }

    def changed_relations(self, page, record):
        changed = []
        shown = [placement.card.target_slug for placement in page.related_cards.all()]
        if shown != [card.slug for card in record.cards]:
            changed.append("related cards")
        pinned = [placement.term.term_id for placement in page.pinned_related_terms.all()]
        if pinned != list(record.pinned):
            changed.append("pinned related terms")
        return changed

    def fill(self, writer, page, record):
        from glossary import effects
        from glossary.models import GlossaryTermPinnedTerm, GlossaryTermRelatedCard

        super().fill(writer, page, record)
        effects.prepare_term(page)
        page.related_section = writer.section(record)
        page.related_cards = [
            GlossaryTermRelatedCard(card=writer.cards[card.slug], sort_order=order)
            for order, card in enumerate(record.cards)
        ]
        page.pinned_related_terms = [
            GlossaryTermPinnedTerm(term_id=term, sort_order=order)
            for order, term in enumerate(writer.pinned_terms(record))
        ]

    folder = "glossary"
    export_related = ("related_section",)

    def pages_to_export(self, drafts):
        return (
            super()
            .pages_to_export(drafts)
            .prefetch_related("related_cards__card__image", "pinned_related_terms__term")
        )

    def file_name(self, page):
        return f"{page.term_id}.txt"

    def export_fields(self, page, images):
        fields = {
            "id": page.term_id,
            "name": page.title,
            "slug": page.slug,
            "category": page.category,
            "description": page.description,
            "key_words": [text for _, text in plain_blocks(page.key_questions)],
            "content_raw": page.content_raw,
        }
        if page.synonyms:
            fields["synonyms"] = page.synonyms
        section = page.related_section
        if section is not None:
            fields["related_articles_heading"] = section.heading
            fields["related_articles_subheading"] = section.subheading
            fields["related_articles_description"] = section.description
            fields["related_articles_category"] = section.category
        items = []
        for placement in page.related_cards.all():
            card = placement.card
            reference = images.reference(card.image) if card.image else ""
            images.add(reference, card.image)
            items.append(
                {
                    "related_article_title": card.title,
                    "related_article_subheading": card.subheading,
                    "related_article_image": reference,
                    "related_article_buttontext": card.button_text,
                    "related_article_slug": card.target_slug,
                }
            )
        if items:
            fields["related_articles_items"] = items
        pinned = [placement.term.term_id for placement in page.pinned_related_terms.all()]
        if pinned:
            fields["related_terms"] = pinned
        blocks = images.blocks(page.body)
        if blocks == [(b.kind, b.value) for b in recover_headings(repair(page.content_raw))]:
            return fields, ""
        fields["body_format"] = BLOCKS_FORMAT
        return fields, blocks_text(blocks)

    def image_references(self, page, record):
        cards = {
            placement.card.target_slug: placement.card for placement in page.related_cards.all()
        }
        found = [
            (card.image, cards[card.slug].image) for card in record.cards if card.slug in cards
        ]
        return super().image_references(page, record) + found


class ArticleKind(RecordKind):
    name = "article"
    marker = "title"
    verbose_name = "Pulse article"
    title_field = "title"
    key_name = "slug"
    model_label = "pulse.PulseArticlePage"
    parent_label = "pulse.PulseIndexPage"
    key_field = "slug"
    prefetch = ("hero_image",)
    card_target = True
    build = staticmethod(build_article)

    def warnings(self, record):
        dropped = [
            ("dropped page furniture: " + " | ".join(record.dropped), "page furniture dropped")
        ]
        return super().warnings(record) + (dropped if record.dropped else [])

    def page_values(self, record):
        published = datetime.date.fromisoformat(record.published) if record.published else None
        return {
            "title": record.title,
            "slug": record.slug,
            "subheading": record.subheading,
            "category": record.category,
            "summary": record.summary,
            "published_date": published,
            "body": [(b.kind, b.value) for b in record.body],
        }

    def fill(self, writer, page, record):
        super().fill(writer, page, record)
        page.hero_image = writer.image(record.image, record.path)

    def published(self, writer, pages):
        writer.link_cards(pages)

    folder = "pulse"
    export_related = ("hero_image",)

    def file_name(self, page):
        return f"{page.slug}.md"

    def export_fields(self, page, images):
        hero = page.hero_image
        reference = images.reference(hero) if hero else ""
        images.add(reference, hero)
        published = page.published_date.isoformat() if page.published_date else ""
        fields = {
            "title": page.title,
            "slug": page.slug,
            "subheading": page.subheading,
            "category": page.category,
            "image": reference,
            "published": published,
            "summary": page.summary,
            "body_format": BLOCKS_FORMAT,
        }
        return fields, blocks_text(images.blocks(page.body))

    def image_references(self, page, record):
        return super().image_references(page, record) + [(record.image, page.hero_image)]


# In the order they are written: articles first, so cards of terms in the same run find
# their article at once.
KINDS = {kind.name: kind for kind in (ArticleKind(), TermKind())}


def kind_of(record):
    return KINDS[record.kind]


def write_order(record):
    return list(KINDS).index(record.kind)


def build_record(document):
    """The record a parsed Document holds, of the one kind whose marker it has; else FixtureError."""
    matching = [kind for kind in KINDS.values() if kind.marker in document.fields]
    if len(matching) > 1:
        first, second = sorted(matching, key=lambda kind: document.line_of(kind.marker))[:2]
        raise FixtureError(
            document.path,
            document.line_of(second.marker),
            f"a record has a {first.marker!r} ({first.name}) or a {second.marker!r} "
            f"({second.name}), not both",
        )
    if not matching:
        expected = " or ".join(f"{kind.marker!r} ({kind.verbose_name})" for kind in KINDS.values())
        raise FixtureError(document.path, 1, f"no {expected} in the front matter")
    return matching[0].build(document)
