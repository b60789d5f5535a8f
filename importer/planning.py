"""Compare records with the database: what to create, update, leave alone, skip or fail.

Reads only; the plan is what ``--dry-run`` prints and what ``apply`` carries out. A record
that cannot be written fails here, before anything is written, wherever that can be known
without writing (``check``): a value longer than its column, an image that does not decode,
a slug another page has, a reference to a record that is nowhere (``RecordKind.run_problems``).
So a dry run reports the failures the import would meet, with the same file, line and reason.
"""

import warnings
from dataclasses import dataclass, field
from pathlib import Path

from PIL import Image as PILImage

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files import File

from wagtail.fields import StreamField
from wagtail.images.fields import WagtailImageField

from .kinds import KINDS, kind_of
from .models import ImportedRecord
from .schema import field_line, too_long
from .streams import plain_blocks
from .verbs import CREATE, FAILED, SKIP, UNCHANGED, UPDATE


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
    line: int | None = None  # for a failure: the line of the file it is about


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


def plan(records, force=False, images_dir=None):
    """One Action per record, in the records' order; those that cannot be written fail."""
    keys = {name: [] for name in KINDS}
    for record in records:
        keys[record.kind].append(record.key)
    imported, pages = {}, {}
    for kind in KINDS.values():
        if not keys[kind.name]:
            continue
        for item in ImportedRecord.objects.filter(kind=kind.name, key__in=keys[kind.name]):
            imported[(kind.name, item.key)] = item
        found = kind.pages().filter(**{f"{kind.key_field}__in": keys[kind.name]})
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
    check(actions, images_dir)
    return actions


# --- what can be known to fail without writing ----------------------------------------------


def images_folder(images_dir=None):
    return Path(images_dir or Path(settings.FIXTURES_DIR) / "images")


def image_file(images_dir, reference):
    """The file a fixture's image reference names: by its name, in the images folder."""
    return images_folder(images_dir) / Path(reference.lstrip("/")).name


def image_problem(path):
    """Why the image file at ``path`` cannot be imported, or "" when it can.

    Wagtail's own upload checks (format, extension, size, pixels), then a full decode by
    Pillow: Wagtail reads only the header, so a truncated file would pass and fail later,
    when its renditions are made.
    """
    try:
        with path.open("rb") as handle:
            WagtailImageField().to_python(File(handle, name=path.name))
            handle.seek(0)
            with warnings.catch_warnings():
                warnings.simplefilter("error", PILImage.DecompressionBombWarning)
                with PILImage.open(handle) as image:
                    image.load()
    except ValidationError as error:
        return " ".join(error.messages)
    except (OSError, SyntaxError, ValueError, PILImage.DecompressionBombWarning) as error:
        # What Pillow raises for a truncated or corrupt file.
        return f"the image does not decode ({error})"
    return ""


def named_images(kind, record):
    """(reference, line) of every image a record shows (``line`` a callable)."""
    return [
        (reference, line)
        for reference, line in kind.images_named(record)
        if isinstance(reference, str) and reference
    ]


def check(actions, images_dir=None):
    """Fail, before anything is written, the actions whose record cannot be written."""
    writing = [action for action in actions if action.verb in (CREATE, UPDATE)]
    image_problems = {}
    parents = {name: kind.parent_model.objects.first() for name, kind in KINDS.items()}
    claimed = _slugs_in_use(writing, parents)
    every_record = [action.record for action in actions]
    run_problems = {
        (name, key): problem
        for name, kind in KINDS.items()
        for key, problem in kind.run_problems(
            [action.record for action in writing if action.record.kind == name], every_record
        ).items()
    }
    for action in writing:
        record = action.record
        kind = kind_of(record)
        problem = (
            kind.length_problem(record)
            or run_problems.get((record.kind, record.key))
            or redirect_problem(record, parents[record.kind])
        )
        for reference, line in named_images(kind, record) if problem is None else ():
            path = image_file(images_dir, reference)
            if path not in image_problems:
                image_problems[path] = image_problem(path) if path.is_file() else ""
            if image_problems[path]:
                problem = line(), f"image {reference!r}: {image_problems[path]}"
                break
        if problem is None:
            problem = _claim_slug(action, claimed)
        if problem is not None:
            action.verb, (action.line, action.reason) = FAILED, problem
            action.changed = []


def redirect_problem(record, parent):
    """(line, reason) when the redirect from the fixture's own slug (``Writer.redirect``) is
    longer than its column, else None."""
    from wagtail.contrib.redirects.models import Redirect

    if parent is None or not record.source_slug or record.source_slug == record.slug:
        return None
    old_path = Redirect.normalise_path(f"{parent.url}{record.source_slug}/")
    reason = too_long(Redirect, "old_path", old_path)
    return (
        (field_line(record, "slug"), f"redirect from the file's slug: {reason}") if reason else None
    )


def _slugs_in_use(actions, parents):
    """{(kind, slug): (page id, title)} of the existing pages whose slug a record asks for."""
    wanted = {}
    for action in actions:
        wanted.setdefault(action.record.kind, set()).add(action.record.slug)
    taken = {}
    for name, slugs in wanted.items():
        parent = parents[name]
        if parent is None:
            continue
        for pk, slug, title in (
            parent.get_children().filter(slug__in=slugs).values_list("pk", "slug", "title")
        ):
            taken[(name, slug)] = (pk, title)
    return taken


def _claim_slug(action, claimed):
    """The record's slug, unless a page other than its own, or an earlier record of the run,
    has it: then (line, reason), the message Wagtail's own check gives in words."""
    record = action.record
    own = action.page.pk if action.page is not None else None
    holder = claimed.get((record.kind, record.slug))
    if holder is not None and holder[0] != own:
        return (
            field_line(record, *kind_of(record).source_keys("slug")),
            f"slug: the address /{record.slug}/ is already in use by {holder[1]!r}",
        )
    title = kind_of(record).page_values(record)["title"]
    claimed[(record.kind, record.slug)] = (own if own is not None else object(), title)
    return None
