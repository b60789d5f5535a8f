"""Compare records with the database: what to create, update, leave alone or skip.

Reads only; the plan is what ``--dry-run`` prints and what ``apply`` carries out.
"""

from dataclasses import dataclass, field

from wagtail.fields import StreamField

from .kinds import KINDS, kind_of
from .models import ImportedRecord
from .streams import plain_blocks

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
    # A page edited or made in the admin that now equals its file (say, the export of that
    # edit): applying records the page's revision as the import's, so later imports may
    # update it.
    adopt: bool = False


def current_values(page, names):
    """A page's fields as ``RecordKind.page_values`` gives them: streams as (type, value) pairs."""
    values = {}
    for name in names:
        value = getattr(page, name)
        if isinstance(page._meta.get_field(name), StreamField):
            value = plain_blocks(value)
        values[name] = value
    return values


def changed_fields(page, record):
    kind = kind_of(record)
    wanted = kind.page_values(record)
    current = current_values(page, wanted)
    changed = [name for name, value in wanted.items() if current[name] != value]
    changed += kind.changed_relations(page, record)
    return changed or ["source"]


def _equals_its_file(page, record):
    """The published page is what the file says, with no draft on top."""
    return not page.has_unpublished_changes and changed_fields(page, record) == ["source"]


def plan(records, force=False):
    """One Action per record, in the records' order."""
    keys = {name: [] for name in KINDS}
    for record in records:
        keys[record.kind].append(record.key)
    imported, pages = {}, {}
    for kind in KINDS.values():
        if not keys[kind.name]:
            continue
        for item in ImportedRecord.objects.filter(kind=kind.name, key__in=keys[kind.name]):
            imported[(kind.name, item.key)] = item
        found = kind.model.objects.filter(**{f"{kind.key_field}__in": keys[kind.name]})
        for page in found.prefetch_related(*kind.prefetch):
            pages[(kind.name, getattr(page, kind.key_field))] = page

    actions = []
    for record in records:
        identity = (record.kind, record.key)
        page, previous = pages.get(identity), imported.get(identity)
        if page is None:
            actions.append(Action(record, CREATE))
        elif previous is None and not force and _equals_its_file(page, record):
            # Made in the admin and exported: the file is the page, which the import adopts.
            actions.append(Action(record, UNCHANGED, page, source_moved=True, adopt=True))
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
        elif (
            previous is not None
            and page.latest_revision_id != previous.revision_id
            and not force
            and _equals_its_file(page, record)
        ):
            actions.append(Action(record, UNCHANGED, page, previous, source_moved=True, adopt=True))
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
