"""A term's provenance in its file: ``updated`` (the date its content last changed) and
``sources`` (what it cites), both optional and written back only when the page has them.

    updated: 2026-11-30
    sources: [
    <tab>{
    <tab><tab>title: ISO 9000:2015, Quality management,
    <tab><tab>url: https://www.iso.org/standard/45481.html,
    <tab><tab>publisher: ISO,
    <tab><tab>accessed: 2026-11-02
    <tab>}
    ]

The "Changes" list is history, not content: it is not in the file (an import adds its own
entry, "Imported from FILE", when it changes a term's content).
"""

import datetime

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator

from glossary.rules import SOURCE_URL_SCHEMES

from ..errors import FixtureError
from ..records import SourceItemRecord
from ..schema import OMIT
from ..structure import repair

SOURCES = "sources"
# A source item: its key in the file -> SourceItemRecord attribute (and TermSource field).
SOURCE_KEYS = ("title", "url", "publisher", "accessed")
_URL = URLValidator(schemes=SOURCE_URL_SCHEMES)
# The columns' lengths (TermSource): checked here, so a long value fails its record alone.
LIMITS = {"title": 300, "url": 500, "publisher": 200}


def read_sources(document, key):
    """The ``sources`` items, each checked; a bad one fails the record at its own line."""
    items = document.fields.get(key, [])
    if items == "":
        return ()
    if not isinstance(items, list):
        raise FixtureError(document.path, document.line_of(key), f"{key!r} must be a list")
    sources = []
    for position, item in enumerate(items):
        line = document.item_line(key, position)

        def fail(message, line=line):
            raise FixtureError(document.path, line, message)

        if not isinstance(item, dict):
            fail("each source must be a '{ title: ..., url: ..., ... }' item")
        unknown = set(item) - set(SOURCE_KEYS)
        if unknown:
            fail(f"unknown source field {sorted(unknown)[0]!r}")
        values = {name: repair(str(item.get(name, "")).strip()) for name in SOURCE_KEYS}
        for name in ("title", "url"):
            if not values[name]:
                fail(f"the source has no {name}")
        for name, limit in LIMITS.items():
            if len(values[name]) > limit:
                fail(f"the source's {name} has {len(values[name])} characters; at most {limit}")
        try:
            _URL(values["url"])
        except ValidationError:
            fail(f"the source's url {values['url'][:80]!r} is not an http(s) address")
        if values["accessed"]:
            try:
                values["accessed"] = datetime.date.fromisoformat(values["accessed"]).isoformat()
            except ValueError:
                fail(f"the source's accessed date {values['accessed']!r} is not YYYY-MM-DD")
        sources.append(SourceItemRecord(**values, line=line))
    return tuple(sources)


def source_rows(record):
    """The ``TermSource`` rows of ``record``, unsaved, in the file's order."""
    from glossary.models import TermSource

    return [
        TermSource(
            title=source.title,
            url=source.url,
            publisher=source.publisher,
            accessed=datetime.date.fromisoformat(source.accessed) if source.accessed else None,
            sort_order=order,
        )
        for order, source in enumerate(record.sources)
    ]


def source_values(source):
    """A source as the file and the page compare it."""
    accessed = source.accessed
    if isinstance(accessed, datetime.date):
        accessed = accessed.isoformat()
    return (source.title, source.url, source.publisher, accessed or "")


def export_sources(page, images):
    """The page's sources as ``sources`` items, leaving out empty keys."""
    items = []
    for source in page.sources.all():
        values = dict(zip(SOURCE_KEYS, source_values(source), strict=True))
        items.append({name: value for name, value in values.items() if value})
    return items or OMIT


def export_updated(page, images):
    """The date of the content's last change, in the site's time zone."""
    from django.utils import timezone

    if page.content_updated_at is None:
        return OMIT
    return timezone.localtime(page.content_updated_at).date().isoformat()
