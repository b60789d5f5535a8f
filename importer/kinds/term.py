"""Glossary terms: ``GlossaryTermPage`` under the glossary index, keyed by their id.

Besides their fields, terms show a related-articles section and cards (shared snippets, one
per article slug, pointing at the article once it is a page) and pin other terms; those are
written by ``TermRelations`` (``importer.kinds.related``).
"""

from glossary.blocks import TermBodyBlock
from glossary.rules import (
    DESCRIPTION_MAX_LENGTH,
    TERM_ID_MAX_LENGTH,
    TERM_ID_RULE,
    is_valid_term_id,
    links_checked_by_run,
)

from ..bodies import BLOCKS_FORMAT, BODY_FORMAT, blocks_text
from ..errors import ExportError, FixtureError
from ..records import SectionRecord, TermRecord
from ..schema import (
    OMIT,
    Field,
    date_text,
    date_value,
    flag_field,
    iso_date,
    phrases,
    raw_text,
    strings,
    text,
)
from ..streams import plain_blocks
from ..structure import normalise_slug, recover_headings, repair
from . import hierarchy
from .base import RecordKind
from .lifecycle import replacement, replacement_id, replacement_problems, status
from .related import (
    ARTICLE_KIND,
    ITEMS,
    MISSING_ARTICLES,
    SECTION_FIELDS,
    TermRelations,
    card_image_references,
    export_cards,
    read_cards,
)
from .sources import (
    SOURCES,
    export_sources,
    export_updated,
    read_sources,
    source_rows,
    source_values,
)


def term_id(document, key):
    """The record's id, checked: it becomes the page's ``term_id`` and the export's file name."""
    value = text(document, key)
    if value and not is_valid_term_id(value):
        shown = value if len(value) <= 80 else value[:80] + "…"
        problem = (
            f"has {len(value)} characters" if len(value) > TERM_ID_MAX_LENGTH else "is not valid"
        )
        raise FixtureError(
            document.path, document.line_of(key), f"the id {shown!r} {problem}: {TERM_ID_RULE}"
        )
    return value


def description(document, key):
    value = text(document, key)
    if len(value) > DESCRIPTION_MAX_LENGTH:
        raise FixtureError(
            document.path,
            document.line_of(key),
            f"the description has {len(value)} characters; "
            f"at most {DESCRIPTION_MAX_LENGTH} fit a meta description",
        )
    return value


def reviewer(document, key):
    """Who reviewed the term: only with the date of the review (``reviewed_on``)."""
    value = text(document, key)
    if value and not text(document, "reviewed_on"):
        raise FixtureError(
            document.path,
            document.line_of(key),
            f"{key!r} needs the date of the review, 'reviewed_on'",
        )
    return value


def section_text(name):
    """The export of one of the section's texts: written when the term has a section."""

    def export(page, images):
        section = page.related_section
        return OMIT if section is None else getattr(section, name)

    return export


def pinned_ids(page, images):
    pinned = [placement.term.term_id for placement in page.pinned_related_terms.all()]
    return pinned or OMIT


class TermKind(RecordKind):
    name = "term"
    marker = "name"
    verbose_name = "glossary term"
    title_field = "name"
    key_name = "id"
    model_label = "glossary.GlossaryTermPage"
    parent_label = "glossary.GlossaryIndexPage"
    key_field = "term_id"
    fields = (
        Field("id", "key", page="term_id", read=term_id, required=True),
        Field("name", "name", page="title", required=True),
        Field("slug", "slug", page="slug"),
        Field("category", "category", page="category"),
        Field("description", "description", page="description", read=description),
        Field(
            "key_words",
            "key_questions",
            page="key_questions",
            read=phrases,
            to_page=lambda questions: [("question", q) for q in questions],
            from_page=lambda stream: [text for _, text in plain_blocks(stream)],
        ),
        Field("content_raw", "content_raw", page="content_raw", read=raw_text),
        Field("synonyms", "synonyms", page="synonyms", optional=True),
        *(
            Field(key, f"section_{name}", export=section_text(name))
            for name, key in SECTION_FIELDS.items()
        ),
        Field(ITEMS, "cards", read=read_cards, export=export_cards),
        Field("related_terms", "pinned", read=strings, export=pinned_ids),
        flag_field("never_link"),
        flag_field("no_linked_terms"),
        # The last review, moved between sites as it is (the account stays behind: the name).
        Field(
            "reviewed_on",
            "reviewed_on",
            page="reviewed_at",
            read=iso_date,
            to_page=date_value,
            from_page=date_text,
            optional=True,
        ),
        Field("reviewed_by", "reviewed_by", page="reviewed_by_name", read=reviewer, optional=True),
        Field("updated", "updated", read=iso_date, export=export_updated),
        Field(SOURCES, "sources", read=read_sources, export=export_sources),
        Field(
            "status",
            "status",
            page="status",
            read=status,
            to_page=lambda value: value or "current",
            from_page=lambda value: "" if value == "current" else value,
            optional=True,
        ),
        Field("replaced_by", "replaced_by", read=replacement, export=replacement_id),
        Field(
            hierarchy.KEY,
            "broader",
            read=hierarchy.read_broader,
            export=hierarchy.export_broader,
        ),
    )
    stream_block = TermBodyBlock
    records = TermRecord
    unrevisioned = ("reviewed_at", "reviewed_by_name")  # set by a review, not by a revision
    notes = (MISSING_ARTICLES,)
    prefetch = (
        "related_cards__card",
        "pinned_related_terms__term",
        "sources",
        "replaced_by",
        "broader_terms__term",
    )

    def slug(self, document, values, warnings):
        """The term's slug, renamed (with a warning) when the glossary index keeps it for its
        own pages: a term at /glossary/letter/ would hide every letter page."""
        from glossary.models import GlossaryIndexPage
        from glossary.rules import unreserved_slug

        slug = super().slug(document, values, warnings) or normalise_slug(values["key"])
        free = unreserved_slug(slug, GlossaryIndexPage.reserved_slugs())
        if free != slug:
            line = document.line_of("slug" if "slug" in document.fields else "name")
            message = (
                f"line {line}: the slug {slug!r} is reserved for the glossary's own pages; "
                f"the term gets {free!r} instead"
            )
            warnings.append((message, "reserved slug renamed"))
        return free

    def text_body(self, document, values):
        return recover_headings(repair(values["content_raw"]))

    def record_values(self, values):
        section = {name: values.pop(f"section_{name}") for name in SECTION_FIELDS}
        return {**values, "section": SectionRecord(**section)}

    def changed_relations(self, page, record):
        changed = []
        shown = [placement.card.target_slug for placement in page.related_cards.all()]
        if shown != [card.slug for card in record.cards]:
            changed.append("related cards")
        pinned = [placement.term.term_id for placement in page.pinned_related_terms.all()]
        if pinned != list(record.pinned):
            changed.append("pinned related terms")
        written = [source_values(source) for source in record.sources]
        if [source_values(source) for source in page.sources.all()] != written:
            changed.append("sources")
        replaced_by = page.replaced_by.term_id if page.replaced_by_id else ""
        if replaced_by != record.replaced_by:
            changed.append("replaced by")
        broader = [row.term.term_id for row in page.broader_terms.all()]
        if broader != list(record.broader):
            changed.append("broader terms")
        return changed

    def length_problem(self, record):
        return super().length_problem(record) or TermRelations.length_problem(record)

    def links_checked_by_run(self):
        return links_checked_by_run()

    def run_problems(self, writing, every_record):
        """Replacements and broader terms that name no term or close a cycle."""
        terms = [record for record in every_record if record.kind == self.name]
        return {
            **replacement_problems(terms),
            **hierarchy.run_problems(writing, every_record),
        }

    def images_named(self, record):
        cards = [(card.image, lambda card=card: card.line) for card in record.cards]
        return cards + super().images_named(record)

    # --- writing: the relations live in TermRelations, one per run --------------------------

    def start(self, writer, records):
        return TermRelations(writer, records)

    def prepare(self, writer, records):
        writer.state(self).prepare_cards(records)

    def fill(self, writer, page, record):
        from glossary import effects, history

        review = (page.reviewed_at, page.reviewed_by_name)
        history.prepare_import(page, record)
        super().fill(writer, page, record)
        if (page.reviewed_at, page.reviewed_by_name) != review:
            page.reviewed_by = None  # a review from the file names no account of this site
        effects.prepare_term(page)
        page.sources = source_rows(record)
        writer.state(self).fill(page, record)

    def written(self, writer, pages):
        writer.state(self).written(pages)

    def published(self, writer, kind, pages):
        from glossary import history

        if kind.name == ARTICLE_KIND:
            writer.state(self).link_cards(pages)
        if kind.name == self.name:
            history.imported(pages)

    def finish(self, writer):
        writer.state(self).finish(self)

    def note_missing_planned(self, report, records):
        TermRelations.note_missing_planned(report, records)

    def note_missing(self, report, names):
        TermRelations.note_missing(report, names)

    # --- the way out ------------------------------------------------------------------------

    folder = "glossary"
    export_related = ("related_section", "replaced_by")

    def pages_to_export(self, drafts):
        return (
            super()
            .pages_to_export(drafts)
            .prefetch_related(
                "related_cards__card__image",
                "pinned_related_terms__term",
                "sources",
                "broader_terms__term",
            )
        )

    def file_name(self, page):
        if not is_valid_term_id(page.term_id):
            raise ExportError(
                f"{self.describe(page)}: its id {page.term_id!r} cannot name a file "
                f"({TERM_ID_RULE}); give the page a valid term id first"
            )
        return f"{page.term_id}.txt"

    def export_fields(self, page, images):
        fields, _ = super().export_fields(page, images)
        blocks = images.blocks(page.body)
        if blocks == [(b.kind, b.value) for b in recover_headings(repair(page.content_raw))]:
            return fields, ""
        fields[BODY_FORMAT] = BLOCKS_FORMAT
        return fields, blocks_text(blocks)

    def image_references(self, page, record):
        return super().image_references(page, record) + card_image_references(page, record)
