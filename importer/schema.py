"""The declarative schema of a record kind: one ``Field`` per front-matter key.

A field says, once, which key of a fixture file it is, which record attribute holds it, which
page field it sets (or None: kept on the record for the kind's own relations), how its text
is read and checked, how the record's value becomes the page's, and how the page's value is
written back into the front matter. Reading (``read_fields``), comparing and writing pages
(``page_values``), failure lines (``source_keys``) and the export (``export_values``) all go
through the same declarations, so a field's name is written in one place.

Pure: no database, no app registry.
"""

import datetime
from collections.abc import Callable
from dataclasses import dataclass

from django.core.exceptions import FieldDoesNotExist

from .dialect import decode, parse
from .errors import FixtureError
from .structure import repair

# What an ``export`` function returns for a field the file leaves out.
OMIT = object()


def text(document, key):
    """A one-line value: stripped, mojibake repaired; a list is an error."""
    value = document.fields.get(key, "")
    if not isinstance(value, str):
        raise FixtureError(
            document.path, document.line_of(key), f"{key!r} must be text, not a list"
        )
    return repair(value.strip())


def raw_text(document, key):
    """A value kept exactly as the file has it (the text a body is built from)."""
    value = document.fields.get(key, "")
    if not isinstance(value, str):
        raise FixtureError(document.path, document.line_of(key), f"{key!r} must be text")
    return value


def strings(document, key):
    """A list of strings, kept as written (a tuple, so records stay hashable)."""
    values = document.fields.get(key, [])
    if not isinstance(values, list) or not all(isinstance(value, str) for value in values):
        raise FixtureError(
            document.path, document.line_of(key), f"{key!r} must be a list of strings"
        )
    return tuple(values)


def phrases(document, key):
    """A list of strings, each stripped and repaired, the empty ones left out."""
    return tuple(repair(value.strip()) for value in strings(document, key) if value.strip())


def iso_date(document, key):
    """A date as ISO text ("" when absent); a timestamp's time is dropped."""
    value = text(document, key)
    if not value:
        return ""
    try:
        return datetime.date.fromisoformat(value[:10]).isoformat()
    except ValueError:
        raise FixtureError(
            document.path,
            document.line_of(key),
            f"{key!r} must be an ISO date (YYYY-MM-DD), not {value!r}",
        ) from None


def date_value(value):
    return datetime.date.fromisoformat(value) if value else None


def date_text(value):
    return value.isoformat() if value else ""


def as_is(value):
    return value


@dataclass(frozen=True)
class Field:
    """One front-matter key of a kind's files, and where its value goes."""

    key: str  # in the file
    attr: str  # on the record
    page: str | None = None  # the page field it sets; None: the kind writes it itself
    read: Callable = text  # (document, key) -> the record's value
    required: bool = False  # an empty value is an error
    to_page: Callable = as_is  # the record's value -> the page field's
    from_page: Callable = as_is  # the page field's value -> the file's
    optional: bool = False  # written back only when not empty
    # (page, images) -> the file's value, or OMIT; for fields that are not one page field.
    export: Callable | None = None

    def value_in(self, document):
        value = self.read(document, self.key)
        if self.required and not value:
            raise FixtureError(
                document.path, document.line_of(self.key), f"{self.key!r} is missing or empty"
            )
        return value

    def exported(self, page, images):
        if self.export is not None:
            return self.export(page, images)
        value = self.from_page(getattr(page, self.page))
        return OMIT if self.optional and not value else value


def read_fields(document, fields):
    """{record attribute: value} for ``fields``, read from ``document`` in their order."""
    return {field.attr: field.value_in(document) for field in fields}


def page_values(fields, record):
    """{page field: value} the fields of ``record`` set, as ``current_values`` reads them."""
    return {
        field.page: field.to_page(getattr(record, field.attr))
        for field in fields
        if field.page is not None
    }


def export_values(fields, page, images):
    """The front matter of ``page``, in the fields' order, without the ones left out."""
    values = {field.key: field.exported(page, images) for field in fields}
    return {key: value for key, value in values.items() if value is not OMIT}


def unknown_field_warnings(document, known):
    return tuple(
        (f"line {document.line_of(key)}: unknown field {key!r} ignored", "unknown field")
        for key in document.fields
        if key not in known
    )


def _document(record):
    """The parsed file of ``record``, for the lines of its fields (records keep none, and only
    a failure needs them)."""
    try:
        return parse(decode(record.raw, record.path), record.path)
    except FixtureError:
        return None


def field_line(record, *keys):
    """The line of the first of ``keys`` the record's file has (else 1, its first line);
    "body" is the line the body starts on."""
    document = _document(record)
    if document is None:
        return 1
    if keys == ("body",):
        return document.body_line or 1
    return next((document.lines[key] for key in keys if key in document.lines), 1)


def too_long(model, name, value):
    """Why ``value`` does not fit the column ``name`` of ``model``, or ""."""
    try:
        model_field = model._meta.get_field(name)
    except FieldDoesNotExist:  # not a column: nothing to check
        return ""
    limit = getattr(model_field, "max_length", None)
    if isinstance(value, str) and limit and len(value) > limit:
        return f"{name}: {len(value)} characters; at most {limit} fit"
    return ""


# --- switches: ``key: true``, left out of the file when false --------------------------------

TRUE_WORDS = {"true", "yes"}
FALSE_WORDS = {"false", "no", ""}


def flag(document, key):
    """A yes/no switch: ``true``/``false`` (``yes``/``no``; absent is false); else an error."""
    value = text(document, key).lower()
    if value not in TRUE_WORDS | FALSE_WORDS:
        raise FixtureError(
            document.path, document.line_of(key), f"{key!r} must be true or false, not {value!r}"
        )
    return value in TRUE_WORDS


def flag_text(value):
    """A switch as the export writes it: "true", or "" (an optional field: left out)."""
    return "true" if value else ""


def flag_field(name):
    """An on/off switch whose key, record attribute and page field share ``name``; written
    back only when on."""
    return Field(name, name, page=name, read=flag, from_page=flag_text, optional=True)
