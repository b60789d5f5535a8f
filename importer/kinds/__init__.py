"""The kinds of record the import knows: adding a kind is one class and one ``register``.

Each kind (``base.RecordKind``) says how its records are told apart in a file (``marker``),
read, compared, written and exported; reading, planning, applying, the pipeline and the
export ask the record's kind (``kind_of``) and name no model themselves.
"""

import contextlib

from ..errors import FixtureError
from .article import ArticleKind
from .base import RecordKind
from .term import TermKind

# In the order they are written: articles first, so cards of terms in the same run find
# their article at once.
KINDS = {}


def register(kind):
    """Add ``kind`` (a RecordKind instance), written after the kinds already registered."""
    if kind.name in KINDS:
        raise ValueError(f"a record kind named {kind.name!r} is already registered")
    KINDS[kind.name] = kind
    return kind


def unregister(name):
    KINDS.pop(name)


@contextlib.contextmanager
def registered(kind):
    """``kind`` registered for the ``with`` block (tests)."""
    register(kind)
    try:
        yield kind
    finally:
        unregister(kind.name)


register(ArticleKind())
register(TermKind())


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


__all__ = [
    "KINDS",
    "ArticleKind",
    "RecordKind",
    "TermKind",
    "build_record",
    "kind_of",
    "register",
    "registered",
    "unregister",
    "write_order",
]
