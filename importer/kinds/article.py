"""Pulse articles: ``PulseArticlePage`` under the Pulse index, keyed by their slug."""

from django.core.exceptions import ValidationError
from django.core.validators import validate_unicode_slug

from pulse.blocks import ArticleBodyBlock

from ..bodies import BLOCKS_FORMAT, BODY_FORMAT, blocks_text
from ..errors import ExportError, FixtureError
from ..records import ArticleRecord
from ..schema import Field, date_text, date_value, field_line, flag_field, iso_date
from ..structure import repair, structure_article
from .base import RecordKind, bounded_stem


def hero_reference(page, images):
    """The hero image as the export names it, written by ``images``."""
    hero = page.hero_image
    reference = images.reference(hero) if hero else ""
    images.add(reference, hero)
    return reference


class ArticleKind(RecordKind):
    name = "article"
    marker = "title"
    verbose_name = "Pulse article"
    title_field = "title"
    key_name = "slug"
    model_label = "pulse.PulseArticlePage"
    parent_label = "pulse.PulseIndexPage"
    key_field = "slug"
    fields = (
        Field("title", "title", page="title", required=True),
        Field("slug", "slug", page="slug"),
        Field("subheading", "subheading", page="subheading"),
        Field("category", "category", page="category"),
        Field("image", "image", export=hero_reference),
        Field(
            "published",
            "published",
            page="published_date",
            read=iso_date,
            to_page=date_value,
            from_page=date_text,
        ),
        Field("summary", "summary", page="summary"),
        flag_field("no_linked_terms"),
    )
    stream_block = ArticleBodyBlock
    records = ArticleRecord
    prefetch = ("hero_image",)

    def slug(self, document, values, warnings):
        slug = super().slug(document, values, warnings)
        if not slug:
            raise FixtureError(
                document.path,
                document.line_of("title"),
                "the title gives no usable slug; add a 'slug'",
            )
        return slug

    def text_body(self, document, values):
        body, values["dropped"] = structure_article(repair(document.body), values["title"])
        return body

    def record_values(self, values):
        return {**values, "dropped": tuple(values.get("dropped", ()))}

    def warnings(self, record):
        dropped = [
            ("dropped page furniture: " + " | ".join(record.dropped), "page furniture dropped")
        ]
        return super().warnings(record) + (dropped if record.dropped else [])

    def images_named(self, record):
        hero = [(record.image, lambda: field_line(record, "image"))] if record.image else []
        return hero + super().images_named(record)

    def fill(self, writer, page, record):
        super().fill(writer, page, record)
        page.hero_image = writer.image(record.image, record.path)

    # --- the way out ------------------------------------------------------------------------

    folder = "pulse"
    export_related = ("hero_image",)

    def file_name(self, page):
        try:
            validate_unicode_slug(page.slug)
        except ValidationError:
            raise ExportError(
                f"{self.describe(page)}: its slug {page.slug!r} is not a slug (letters, digits, "
                "'-' and '_'), so it cannot name a file; fix the slug first"
            ) from None
        return f"{bounded_stem(page.slug)}.md"

    def export_fields(self, page, images):
        fields, _ = super().export_fields(page, images)
        fields[BODY_FORMAT] = BLOCKS_FORMAT
        return fields, blocks_text(images.blocks(page.body))

    def image_references(self, page, record):
        return super().image_references(page, record) + [(record.image, page.hero_image)]
