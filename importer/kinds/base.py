"""``RecordKind``: everything the import knows about one kind of record, in one class.

A kind declares its schema (``fields``, see ``importer.schema``): reading, comparing, writing
and exporting its pages all follow it. What no field can say (a body built from text, cards,
sections, images, pinned pages) is the kind's own methods, which the writer calls at fixed
points (``start``, ``prepare``, ``fill``, ``written``, ``published``, ``finish``). Reading,
planning, applying and the pipeline ask the record's kind and never name a model.

Models are looked up when first used, so the pure steps (reading) import kinds without the
app registry.
"""

import contextlib
import functools
import hashlib

from django.apps import apps

from wagtail.images import get_image_model

from ..bodies import BODY_FORMAT, file_blocks, record_blocks, stored_body
from ..dialect import decode, parse
from ..errors import FixtureError
from ..records import record_class
from ..schema import (
    export_values,
    field_line,
    page_values,
    read_fields,
    too_long,
    unknown_field_warnings,
)
from ..streams import IMAGE_BLOCK, plain_blocks, with_images
from ..structure import normalise_slug

# File systems take names of up to 255 bytes; a longer stem (a 255-character slug) is cut and
# told apart by a hash, so every page still gets a file of its own.
MAX_STEM_BYTES = 200


def bounded_stem(stem):
    encoded = stem.encode("utf-8")
    if len(encoded) <= MAX_STEM_BYTES:
        return stem
    digest = hashlib.sha256(encoded).hexdigest()[:12]
    cut = encoded[: MAX_STEM_BYTES - len(digest) - 1].decode("utf-8", "ignore").rstrip("-")
    return f"{cut}-{digest}"


class RecordKind:
    name = ""  # ImportedRecord.kind
    marker = ""  # the front-matter field only this kind's records have
    verbose_name = ""  # for people: "glossary term"
    title_field = ""  # the record's attribute that names it in reports
    key_name = ""  # what its key is called in error messages
    model_label = ""  # "app.Model" of its page
    parent_label = ""  # "app.Model" of the single index page its pages live under
    key_field = ""  # the page field holding the record's key
    fields = ()  # its schema: importer.schema.Field, in the order the export writes them
    stream_block = None  # the StreamBlock class of the page's ``body``; None: no body
    records = None  # its record class; None: one made from ``fields``
    prefetch = ()  # what ``changed_relations`` and ``fill`` read from existing pages
    folder = ""  # the export's folder for this kind
    export_related = ()  # what ``export_fields`` reads, fetched with the pages
    notes = ()  # importer.report.Notes its ``note_missing*`` add to the report
    # Page fields written outside revisions (a term's review): an unedited page's export
    # writes its imported file only while these still say what the file says.
    unrevisioned = ()

    @functools.cached_property
    def model(self):
        return apps.get_model(self.model_label)

    @functools.cached_property
    def parent_model(self):
        return apps.get_model(self.parent_label)

    def pages(self):
        """Every page of this kind."""
        return self.model.objects.all()

    def label(self, record):
        return f"{self.name} {getattr(record, self.title_field)!r}"

    # --- the way in: a parsed file -> a record ---------------------------------------------

    @functools.cached_property
    def record_class(self):
        if self.records is not None:
            return self.records
        names = ["key", "path", "source_slug", *(field.attr for field in self.fields)]
        return record_class(self.name, list(dict.fromkeys(names + self.body_attrs())))

    def body_attrs(self):
        return ["body"] if self.stream_block is not None else []

    @property
    def known_keys(self):
        keys = {field.key for field in self.fields}
        return keys | {BODY_FORMAT} if self.stream_block is not None else keys

    def build(self, document):
        """The record ``document`` holds (pure); FixtureError when it cannot be one."""
        values = read_fields(document, self.fields)
        warnings = list(unknown_field_warnings(document, self.known_keys))
        values["path"], values["source_slug"] = document.path, values["slug"]
        values["slug"] = self.slug(document, values, warnings)
        values["key"] = values[self.key_attr()]
        if self.stream_block is not None:
            blocks = file_blocks(document, self.stream_block)
            body = self.text_body(document, values) if blocks is None else blocks
            values["body"], removed = stored_body(document, self.stream_block, body)
            warnings += removed
        return self.record_class(**self.record_values(values), warnings=tuple(warnings))

    def key_attr(self):
        return next(field.attr for field in self.fields if field.page == self.key_field)

    def slug(self, document, values, warnings):
        """The page's slug: the file's own, normalised, or one made from its title."""
        return normalise_slug(values["source_slug"] or values[self.title_field])

    def text_body(self, document, values):
        """Blocks for a file whose body is text (``body_format`` absent)."""
        return ()

    def record_values(self, values):
        """The record's attributes from what was read (a kind groups or adds its own)."""
        return values

    def warnings(self, record):
        """(message, kind) pairs the report shows for a record that was read."""
        return [
            warning if isinstance(warning, tuple) else (warning, "unknown field")
            for warning in record.warnings
        ]

    # --- comparing and writing pages ------------------------------------------------------

    def page_values(self, record):
        """The page fields a record sets, as plain values comparable with ``current_values``."""
        values = page_values(self.fields, record)
        if self.stream_block is not None:
            values["body"] = record_blocks(record)
        return values

    def changed_relations(self, page, record):
        """Names of the relations (beyond ``page_values``) that differ on an existing page."""
        return []

    def source_keys(self, page_field):
        """The file keys a page field's value comes from, the first the file has counting:
        a slug is made from the file's slug, else its title, else its key."""
        by_page = {field.page: field.key for field in self.fields if field.page}
        if page_field == "slug":
            keys = ("slug", by_page.get("title"), by_page.get(self.key_field))
            return tuple(dict.fromkeys(key for key in keys if key))
        return (by_page.get(page_field, page_field),)

    def length_problem(self, record):
        """(line, reason) for the first value longer than its column, or None."""
        from ..models import ImportedRecord

        for name, value in self.page_values(record).items():
            reason = too_long(self.model, name, value)
            if reason:
                return field_line(record, *self.source_keys(name)), reason
        reason = too_long(ImportedRecord, "key", record.key)
        if reason:
            return field_line(record, *self.source_keys("slug")), reason
        return None

    def images_named(self, record):
        """(reference, line) of the images a record shows; ``line`` a callable, as only a
        failure needs it."""
        return [
            (block.value.get("image"), lambda: field_line(record, "body"))
            for block in getattr(record, "body", ())
            if block.kind == IMAGE_BLOCK and isinstance(block.value, dict)
        ]

    def run_problems(self, writing, every_record):
        """{record key: (line, reason)} for records of this kind among ``writing`` that cannot
        be written for what only the whole run tells (a link to a record of another file);
        ``every_record``: all the run's records, written or not. Checked before anything is
        written (``importer.planning.check``)."""
        return {}

    def links_checked_by_run(self):
        """A context the run writes in, where the models skip the checks of links between
        records that ``run_problems`` made already (none by default)."""
        return contextlib.nullcontext()

    def start(self, writer, records):
        """What the writer keeps for this kind during a run (``writer.state(kind)``)."""
        return None

    def prepare(self, writer, records):
        """Before pages of ``records`` are built: write what they point at (cards)."""

    def fill(self, writer, page, record):
        """Set a page's fields and relations from its record (``writer`` holds shared objects)."""
        for name, value in self.page_values(record).items():
            if name == "body":
                value = with_images(value, lambda ref: writer.image_id(ref, record.path))
            setattr(page, name, value)

    def written(self, writer, pages):
        """Pages of this kind were just written."""

    def published(self, writer, kind, pages):
        """Pages of ``kind`` (this one or another) were just published by the import."""

    def finish(self, writer):
        """After every record: what waited for pages written later."""

    def source_still_true(self, page, record):
        """Whether the imported file ``record`` (an ImportedRecord whose revision is the page's)
        still says what ``page`` shows in its fields written outside revisions. Empty ones
        are taken as the file's (only an import empties them): no file is read for them."""
        fields = [field for field in self.fields if field.page in self.unrevisioned]
        if not any(getattr(page, field.page) for field in fields):
            return True
        try:
            document = parse(decode(bytes(record.source_bytes), record.source_path), "")
            return all(
                field.to_page(field.read(document, field.key)) == getattr(page, field.page)
                for field in fields
            )
        except FixtureError:
            return False

    def note_missing_planned(self, report, records):
        """For a dry run: what ``records`` point at that neither exists nor is in the run."""

    def note_missing(self, report, names):
        """After an import: what the pages of the files ``names`` point at that is missing."""

    # --- the way out (importer.exporting) -------------------------------------------------

    def pages_to_export(self, drafts):
        pages = self.pages() if drafts else self.pages().live()
        return pages.select_related(*self.export_related).order_by("path")

    def file_name(self, page):
        """The export's file for ``page``, built only from its checked key (else ExportError)."""
        raise NotImplementedError

    def describe(self, page):
        return f"{self.verbose_name} {page.title!r} (page id {page.pk})"

    def export_fields(self, page, images):
        """(front-matter fields, body) for a file that imports back as ``page``."""
        return export_values(self.fields, page, images), ""

    def image_references(self, page, record):
        """(reference, image) pairs: how the file ``record`` came from names the page's images."""
        if self.stream_block is None:
            return []
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
