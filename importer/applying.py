"""Carry out a plan: write pages, snippets, images, redirects and source records.

New pages are written in batches (``bulk.create_pages``); updates take Wagtail's own
revision-and-publish path. Each batch or record runs in a savepoint (or everything in one
transaction with ``strict``), so a failure loses only its own records and the page tree is
never left half-written.
"""

import contextlib
import hashlib

from django.core.exceptions import ValidationError
from django.core.files.images import ImageFile
from django.db import transaction

from wagtail.contrib.redirects.models import Redirect
from wagtail.images import get_image_model

from core.images import ALL_RENDITIONS

from . import bulk
from .errors import ApplyError
from .kinds import KINDS, kind_of
from .models import ImportedRecord
from .planning import image_file, images_folder
from .schema import field_line
from .structure import normalise_slug
from .verbs import CREATE, UPDATE


class Writer:
    """Writes records; loads once what many records share (images, and what each kind keeps
    for a run in its state: cards, sections, pinned pages)."""

    def __init__(self, report, records, images_dir=None, draft=False, user=None):
        self.report = report
        self.user = user  # who imported: on every revision and log entry (None: the command)
        self.draft = draft
        self.images_dir = images_folder(images_dir)
        self.images = {}
        self.hashed_images = False  # images stored without a hash were hashed (image_with_hash)
        self.parents = {}
        records = list(records)
        self.states = {name: kind.start(self, records) for name, kind in KINDS.items()}

    def state(self, kind):
        """What ``kind`` keeps for this run (its ``start``)."""
        return self.states[kind.name]

    @contextlib.contextmanager
    def savepoint(self):
        """A savepoint for one record or batch: a failure rolls back only what it wrote.

        What the writer keeps in memory goes back with it, so no later record points at a
        card, section, image or page whose row was rolled back.
        """
        kept = {"images": dict(self.images), "hashed_images": self.hashed_images}
        states = {name: state.kept() for name, state in self._states_kept()}
        try:
            with transaction.atomic():
                yield
        except BaseException:
            for name, value in kept.items():
                setattr(self, name, value)
            for name, state in self._states_kept():
                state.restore(states[name])
            self.parents = {}
            raise

    def _states_kept(self):
        return [(name, state) for name, state in self.states.items() if hasattr(state, "kept")]

    # --- shared pieces ------------------------------------------------------------------------

    def image(self, reference, record_path):
        """The library image for a fixture's image path, imported once by content hash."""
        if not reference:
            return None
        if reference in self.images:
            return self.images[reference]
        file_path = image_file(self.images_dir, reference)
        image = None
        if not file_path.is_file():
            self.report.warn(
                record_path,
                f"image {reference!r} not found in {self.images_dir}; shown without it",
                "image not found",
            )
        else:
            # Wagtail identifies image files by SHA-1 (its file_hash field); not for security.
            data = file_path.read_bytes()
            digest = hashlib.sha1(data).hexdigest()  # noqa: S324
            image = self.image_with_hash(digest)
            if image is None:
                with file_path.open("rb") as handle:
                    title = file_path.stem.replace("_", " ").strip()
                    image = get_image_model()(
                        title=title, file=ImageFile(handle, name=file_path.name)
                    )
                    # Size and hash, as Wagtail's own upload sets them: the next run finds it.
                    image.file_hash, image.file_size = digest, len(data)
                    image.save()
            # Renditions are made now, so no visitor waits for an image to be resized.
            image.get_renditions(*ALL_RENDITIONS)
        self.images[reference] = image
        return image

    def image_with_hash(self, digest):
        """The library image whose file has SHA-1 ``digest``. Images stored without a hash
        (uploaded by code that skipped Wagtail's form, or by imports before this one set it)
        are hashed once, by Wagtail's ``get_file_hash``, the first time a run looks."""
        images = get_image_model().objects
        if not self.hashed_images:
            self.hashed_images = True
            for image in images.filter(file_hash=""):
                with contextlib.suppress(OSError):  # its file is gone: nothing to match
                    image.get_file_hash()
        return images.filter(file_hash=digest).order_by("pk").first()

    def prepare(self, records):
        """Let each kind write what the pages of ``records`` point at (cards)."""
        records = list(records)
        for kind in KINDS.values():
            kind.prepare(self, [record for record in records if record.kind == kind.name])

    def image_id(self, reference, record_path):
        image = self.image(reference, record_path) if isinstance(reference, str) else None
        return image.pk if image is not None else None

    def written(self, kind, pages):
        kind.written(self, pages)

    def published(self, kind, pages):
        """Pages of ``kind`` were just published: every kind may follow (cards link)."""
        for each in KINDS.values():
            each.published(self, kind, pages)

    def finish(self):
        """What waited for pages written later (terms pinning terms), kind by kind."""
        for kind in KINDS.values():
            kind.finish(self)

    def refill(self, record, imported):
        """Write ``record`` again into its page, through a revision of its own."""
        page = imported.page.specific.get_latest_revision_as_object()
        kind_of(record).fill(self, page, record)
        revision = page.save_revision(user=self.user, log_action=True, clean=False)
        if not self.draft:
            revision.publish(user=self.user)
        ImportedRecord.objects.filter(pk=imported.pk).update(revision=revision)

    # --- pages --------------------------------------------------------------------------------

    def parent(self, kind):
        """The index page that pages of ``kind`` are created under."""
        if kind.name not in self.parents:
            self.parents[kind.name] = kind.parent_model.objects.first()
        return self.parents[kind.name]

    def new_page(self, record, **values):
        kind = kind_of(record)
        page = kind.model(**values)
        kind.fill(self, page, record)
        return page

    def create_batch(self, actions):
        """Create the pages of ``actions`` (all of one kind) at once; returns the failed ones.

        A record whose slug is taken fails alone, before anything is written.
        """
        kind = kind_of(actions[0].record)
        parent = self.parent(kind)
        taken = dict(parent.get_children().values_list("slug", "title"))
        ready, failed = [], []
        for action in actions:
            slug = action.record.slug
            if slug in taken:
                failed.append(
                    (action, f"slug: the address /{slug}/ is already in use by {taken[slug]!r}")
                )
                continue
            taken[slug] = kind.page_values(action.record)["title"]
            ready.append(action)
        self.prepare(action.record for action in ready)
        pages = [self.new_page(action.record) for action in ready]
        revisions = bulk.create_pages(parent, pages, publish=not self.draft, user=self.user)
        self.written(kind, pages)
        bulk.insert(
            ImportedRecord,
            [
                ImportedRecord(
                    kind=action.record.kind,
                    key=action.record.key,
                    source_path=action.record.path,
                    source_sha256=action.record.fingerprint(),
                    file_sha256=action.record.digest,
                    source_bytes=action.record.raw,
                    page_id=page.pk,
                    revision=revision,
                )
                for action, page, revision in zip(ready, pages, revisions, strict=True)
            ],
            ids=False,
        )
        for action, page in zip(ready, pages, strict=True):
            self.redirect(action.record, page)
        if not self.draft:
            self.published(kind, pages)
        return failed

    def apply(self, action):
        """One record through Wagtail's own path: ``add_child`` or a new revision."""
        record = action.record
        kind = kind_of(record)
        self.prepare([record])
        if action.verb == CREATE:
            page = self.new_page(record, live=False)
        elif action.verb == UPDATE:
            page = action.page.get_latest_revision_as_object()
            kind.fill(self, page, record)
        else:
            return None
        try:
            if action.verb == CREATE:
                self.parent(kind).add_child(instance=page)
            else:
                page.full_clean()
        except ValidationError as error:
            fields = error.message_dict
            first = next(iter(fields), "")
            raise ApplyError(
                "; ".join(f"{k}: {' '.join(v)}" for k, v in fields.items()),
                field_line(record, *kind.source_keys(first)),
            ) from None
        revision = page.save_revision(user=self.user, log_action=True, clean=False)
        self.written(kind, [page])
        if not self.draft:
            revision.publish(user=self.user)
            self.published(kind, [page])
        self.redirect(record, page)
        ImportedRecord.objects.update_or_create(
            kind=record.kind,
            key=record.key,
            defaults={
                "source_path": record.path,
                "source_sha256": record.fingerprint(),
                "file_sha256": record.digest,
                "source_bytes": record.raw,
                "page": page,
                "revision": revision,
            },
        )
        return page

    def redirect(self, record, page):
        """The fixture's own URL, where normalising changed it, moves permanently to the page."""
        if not record.source_slug or record.source_slug == page.slug:
            return
        if normalise_slug(record.source_slug) != page.slug:
            return  # renamed off a reserved address (/glossary/letter/): that stays the index's
        parent = self.parent(kind_of(record))
        old_path = Redirect.normalise_path(f"{parent.url}{record.source_slug}/")
        Redirect.objects.update_or_create(
            old_path=old_path, site=None, defaults={"redirect_page": page, "is_permanent": True}
        )
