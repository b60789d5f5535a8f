"""What one fixture file means, independent of the database.

Records are plain, hashable data: the planner compares their fingerprint with the one stored
at the last import to tell "unchanged" from "updated" without touching the pages.
"""

import dataclasses
import functools
import hashlib
import json
from dataclasses import dataclass, field

# Bump when structuring rules change, so the next import rewrites pages built the old way.
STRUCTURE_VERSION = 2  # 2: headings before a sentence opening with an ordinary noun


# Record fields added after the first import: they count in a fingerprint only when set.
ADDED_LATER = (
    "synonyms",
    "pinned",
    "never_link",
    "no_linked_terms",
    "reviewed_on",
    "reviewed_by",
    "updated",
    "sources",
    "status",
    "replaced_by",
    "broader",
)


@dataclass(frozen=True)
class Block:
    """One StreamField block: ``kind`` is the block name, ``value`` its JSON-able value."""

    kind: str
    value: object


@dataclass(frozen=True)
class CardRecord:
    title: str
    subheading: str
    image: str
    button_text: str
    slug: str  # normalised target slug: the card's identity
    source_slug: str  # as written in the fixture
    line: int


@dataclass(frozen=True)
class SourceItemRecord:
    """A source a term cites (``sources``); ``accessed`` is ISO date text or ""."""

    title: str
    url: str
    publisher: str
    accessed: str
    line: int


@dataclass(frozen=True)
class SectionRecord:
    heading: str
    subheading: str
    description: str
    category: str

    def is_empty(self):
        return not any(dataclasses.astuple(self))


@dataclass(frozen=True)
class SourceRecord:
    """What every record has besides its content: the file it came from (never compared)."""

    warnings: tuple = field(default=(), compare=False, kw_only=True)  # of (message, kind)
    digest: str = field(default="", compare=False, kw_only=True)  # of the file's bytes
    raw: bytes = field(default=b"", compare=False, repr=False, kw_only=True)  # for the export

    kind = ""  # the RecordKind's name

    def fingerprint(self):
        return _fingerprint(self)


@dataclass(frozen=True)
class TermRecord(SourceRecord):
    key: str  # the record's id
    path: str
    name: str
    slug: str
    source_slug: str  # the fixture's own slug, when it gave one
    category: str
    description: str
    key_questions: tuple
    body: tuple  # of Block
    content_raw: str
    section: SectionRecord
    cards: tuple  # of CardRecord
    synonyms: str = ""
    pinned: tuple = ()  # ids of the related terms an editor pinned, in order
    never_link: bool = False  # "never link this term"
    no_linked_terms: bool = False  # "no linked terms on this page"
    reviewed_on: str = ""  # ISO date of the last review, or ""
    reviewed_by: str = ""  # the reviewer's name
    updated: str = ""  # ISO date the content was last updated, when the file gives it
    sources: tuple = ()  # of SourceItemRecord
    status: str = ""  # "deprecated", or "" for a current term (the key is left out)
    replaced_by: str = ""  # id of the term that replaces a deprecated one
    broader: tuple = ()  # ids of the term's broader terms, in order

    kind = "term"


@dataclass(frozen=True)
class ArticleRecord(SourceRecord):
    key: str  # the normalised slug
    path: str
    title: str
    slug: str
    source_slug: str
    subheading: str
    category: str
    image: str
    published: str  # ISO date or ""
    summary: str
    body: tuple  # of Block
    dropped: tuple = ()  # scraped page furniture removed from the end of the text
    no_linked_terms: bool = False  # "no linked terms on this page"

    kind = "article"


def record_class(kind_name, names):
    """A record class for a kind declared by its schema alone: ``names`` are its attributes
    (each a string, tuple or date text from the file)."""
    return dataclasses.make_dataclass(
        f"{kind_name.title()}Record",
        [(name, object) for name in names],
        bases=(SourceRecord,),
        namespace={"kind": kind_name},
        frozen=True,
    )


def _plain(value):
    """``dataclasses.asdict`` without its deep copies: dataclasses as dicts, tuples as lists."""
    if dataclasses.is_dataclass(value):
        return {name: _plain(getattr(value, name)) for name in _field_names(type(value))}
    if isinstance(value, list | tuple):
        return [_plain(item) for item in value]
    if isinstance(value, dict):
        return {key: _plain(item) for key, item in value.items()}
    return value


@functools.cache
def _field_names(cls):
    return tuple(f.name for f in dataclasses.fields(cls))


def _fingerprint(record):
    data = _plain(record)
    data.pop("warnings", None)
    data.pop("digest", None)
    data.pop("raw", None)
    for name in ADDED_LATER:
        if not data.get(name, True):
            data.pop(name)  # so records without them keep the hash their pages were stored with
    data.pop("path", None)
    for item in (*data.get("cards", ()), *data.get("sources", ())):
        item.pop("line", None)
    payload = json.dumps([STRUCTURE_VERSION, record.kind, data], sort_keys=True, default=str)
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()
