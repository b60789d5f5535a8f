"""Compare records with the database: what to create, update, leave alone or skip.

Reads only; the plan is what ``--dry-run`` prints and what ``apply`` carries out.
"""

import datetime
from dataclasses import dataclass, field

from glossary.models import GlossaryTermPage
from pulse.models import PulseArticlePage

from .models import ImportedRecord
from .records import TermRecord

CREATE, UPDATE, UNCHANGED, SKIP = "created", "updated", "unchanged", "skipped"


@dataclass
class Action:
    record: object
    verb: str
    page: object = None  # the existing specific page, for updates
    imported: object = None  # its ImportedRecord
    changed: list = field(default_factory=list)
    reason: str = ""
    # Unchanged content under new bytes or a new name (line endings, a move): applying
    # records the new ones, so the next run skips the file unread.
    source_moved: bool = False


def page_values(record):
    """The page fields a record sets, as comparable plain values."""
    if isinstance(record, TermRecord):
        return {
            "title": record.name,
            "slug": record.slug,
            "term_id": record.key,
            "category": record.category,
            "description": record.description,
            "key_questions": [("question", q) for q in record.key_questions],
            "body": [(b.kind, b.value) for b in record.body],
            "content_raw": record.content_raw,
        }
    return {
        "title": record.title,
        "slug": record.slug,
        "subheading": record.subheading,
        "category": record.category,
        "summary": record.summary,
        "published_date": datetime.date.fromisoformat(record.published)
        if record.published
        else None,
        "body": [(b.kind, b.value) for b in record.body],
    }


def current_values(page, names):
    values = {}
    for name in names:
        value = getattr(page, name)
        if name in ("body", "key_questions"):
            value = [(block["type"], block["value"]) for block in value.get_prep_value()]
        values[name] = value
    return values


def changed_fields(page, record):
    wanted = page_values(record)
    current = current_values(page, wanted)
    changed = [name for name, value in wanted.items() if current[name] != value]
    if isinstance(record, TermRecord):
        cards = [placement.card.target_slug for placement in page.related_cards.all()]
        if cards != [card.slug for card in record.cards]:
            changed.append("related cards")
    return changed or ["source"]


def plan(records, force=False):
    """One Action per record, in the records' order."""
    by_kind = {"term": [], "article": []}
    for record in records:
        by_kind[record.kind].append(record)
    imported = {
        (item.kind, item.key): item
        for kind, items in by_kind.items()
        if items
        for item in ImportedRecord.objects.filter(kind=kind, key__in=[r.key for r in items])
    }
    pages = {}
    for kind, model, key_field in (
        ("term", GlossaryTermPage, "term_id"),
        ("article", PulseArticlePage, "slug"),
    ):
        keys = [record.key for record in by_kind[kind]]
        if keys:
            for page in model.objects.filter(**{f"{key_field}__in": keys}).prefetch_related(
                "related_cards__card" if kind == "term" else "hero_image"
            ):
                pages[(kind, getattr(page, key_field))] = page

    actions = []
    for record in records:
        identity = (record.kind, record.key)
        page, previous = pages.get(identity), imported.get(identity)
        if page is None:
            actions.append(Action(record, CREATE))
        elif previous is None and not force:
            actions.append(
                Action(
                    record,
                    SKIP,
                    page,
                    reason="a page with this key was made in the admin; --force takes it over",
                )
            )
        elif previous is not None and previous.source_sha256 == record.fingerprint():
            moved = previous.file_sha256 != record.digest or previous.source_path != record.path
            actions.append(Action(record, UNCHANGED, page, previous, source_moved=moved))
        elif previous is not None and page.latest_revision_id != previous.revision_id and not force:
            actions.append(
                Action(
                    record,
                    SKIP,
                    page,
                    previous,
                    reason="edited in the admin since its last import; --force overwrites",
                )
            )
        else:
            actions.append(
                Action(record, UPDATE, page, previous, changed=changed_fields(page, record))
            )
    return actions
