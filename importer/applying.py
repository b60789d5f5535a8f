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
from glossary import effects
from glossary.models import GlossaryTermPage, RelatedArticleCard, RelatedArticlesSection
from pulse.models import PulseArticlePage

from . import bulk
from .kinds import kind_of
from .models import ImportedRecord
from .planning import CREATE, SOURCE_FIELDS, UPDATE, field_line, image_file, images_folder
from .structure import normalise_slug


class ApplyError(Exception):
    """A record Wagtail refuses, with the line of the field it refuses."""

    def __init__(self, message, line=1):
        super().__init__(message)
        self.line = line


def short_reason(error):
    """One line for the report: the error's kind and first line, never a traceback."""
    if isinstance(error, ApplyError):
        return str(error)
    text = str(error).strip().splitlines()
    first = text[0] if text else ""
    return f"{type(error).__name__}: {first}"[:300] if first else type(error).__name__


class Writer:
    """Writes records; loads once what many records share (cards, sections, images, articles)."""

    def __init__(self, report, records, images_dir=None, draft=False, user=None):
        self.report = report
        self.user = user  # who imported: on every revision and log entry (None: the command)
        self.draft = draft
        self.images_dir = images_folder(images_dir)
        self.images = {}
        self.hashed_images = False  # images stored without a hash were hashed (image_with_hash)
        self.sections = {
            (s.heading, s.subheading, s.description, s.category): s
            for s in RelatedArticlesSection.objects.all()
        }
        card_slugs = {card.slug for record in records for card in kind_of(record).cards(record)}
        self.cards = {
            card.target_slug: card
            for card in RelatedArticleCard.objects.filter(target_slug__in=card_slugs)
        }
        self.articles = {
            page.slug: page for page in PulseArticlePage.objects.filter(slug__in=card_slugs)
        }
        self.new_cards = []
        self.parents = {}
        # Pinned related terms by term id: those of the run are added as they are written;
        # a term pinning one written after it gets its pins in ``finish``.
        pinned = {key for record in records for key in getattr(record, "pinned", ())}
        self.term_pages = (
            dict(GlossaryTermPage.objects.filter(term_id__in=pinned).values_list("term_id", "pk"))
            if pinned
            else {}
        )
        self.waiting_pins = {}

    @contextlib.contextmanager
    def savepoint(self):
        """A savepoint for one record or batch: a failure rolls back only what it wrote.

        What the writer keeps in memory goes back with it, so no later record points at a
        card, section, image or page whose row was rolled back.
        """
        kept = {
            "images": dict(self.images),
            "hashed_images": self.hashed_images,
            "articles": dict(self.articles),
            "term_pages": dict(self.term_pages),
            "waiting_pins": dict(self.waiting_pins),
        }
        try:
            with transaction.atomic():
                yield
        except BaseException:
            for name, value in kept.items():
                setattr(self, name, value)
            # Objects changed in memory before the rollback: read again as the database has them.
            self.sections = {
                (s.heading, s.subheading, s.description, s.category): s
                for s in RelatedArticlesSection.objects.all()
            }
            self.cards = {
                card.target_slug: card
                for card in RelatedArticleCard.objects.filter(target_slug__in=list(self.cards))
            }
            self.new_cards, self.parents = [], {}
            raise

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

    def section(self, record):
        texts = record.section
        if texts.is_empty():
            return None
        key = (texts.heading, texts.subheading, texts.description, texts.category)
        if key not in self.sections:
            self.sections[key] = RelatedArticlesSection.objects.create(
                heading=texts.heading,
                subheading=texts.subheading,
                description=texts.description,
                category=texts.category,
            )
        return self.sections[key]

    def card(self, card, record_path):
        """One card per target slug, shared by every term that shows it.

        New cards are only built here; ``prepare_cards`` writes them in bulk before the pages
        that show them.
        """
        values = {
            "title": card.title,
            "subheading": card.subheading,
            "button_text": card.button_text,
            "image": self.image(card.image, record_path),
        }
        existing = self.cards.get(card.slug)
        if existing is None:
            existing = RelatedArticleCard(
                target_slug=card.slug, target_page=self.articles.get(card.slug), **values
            )
            self.cards[card.slug] = existing
            self.new_cards.append(existing)
        elif any(getattr(existing, name) != value for name, value in values.items()):
            for name, value in values.items():
                setattr(existing, name, value)
            if existing.pk:
                existing.save()
        return existing

    def prepare_cards(self, records):
        """Make sure every card these records show exists, writing new ones in bulk."""
        for record in records:
            for card in kind_of(record).cards(record):
                self.card(card, record.path)
        bulk.create_snippets(self.new_cards)
        self.new_cards = []

    def image_id(self, reference, record_path):
        image = self.image(reference, record_path) if isinstance(reference, str) else None
        return image.pk if image is not None else None

    def pinned_terms(self, record):
        """Pages of the terms ``record`` pins that exist now; the rest wait for ``finish``."""
        found = [self.term_pages[key] for key in record.pinned if key in self.term_pages]
        if len(found) < len(record.pinned):
            self.waiting_pins[record.key] = record
        return found

    def written(self, pages):
        """Pages just written: terms among them can now be pinned by others."""
        for page in pages:
            if isinstance(page, GlossaryTermPage):
                self.term_pages[page.term_id] = page.pk

    def finish(self):
        """Give terms the pinned terms written after them, through a revision of their own."""
        waiting, self.waiting_pins = self.waiting_pins, {}
        for record in waiting.values():
            missing = [key for key in record.pinned if key not in self.term_pages]
            for key in missing:
                self.report.warn(
                    record.path,
                    f"related term id {key!r} is not a term; left out",
                    "term not found",
                )
            imported = ImportedRecord.objects.filter(kind=record.kind, key=record.key).first()
            if imported is None or len(missing) == len(record.pinned):
                continue
            try:
                with self.savepoint():
                    self.pin(record, imported)
            except Exception as error:  # noqa: BLE001 - the page stands; only its pins failed
                self.report.warn(
                    record.path,
                    f"related terms not pinned: {short_reason(error)}",
                    "related terms not pinned",
                )

    def pin(self, record, imported):
        page = imported.page.specific.get_latest_revision_as_object()
        kind_of(record).fill(self, page, record)
        self.waiting_pins.pop(record.key, None)
        revision = page.save_revision(user=self.user, log_action=True, clean=False)
        if not self.draft:
            revision.publish(user=self.user)
        ImportedRecord.objects.filter(pk=imported.pk).update(revision=revision)

    def link_cards(self, articles):
        """Cards waiting for these articles point at them from now on."""
        self.articles.update((article.slug, article) for article in articles)
        for card in effects.link_waiting_cards(articles):
            self.cards[card.target_slug] = card

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
        self.prepare_cards(action.record for action in ready)
        pages = [self.new_page(action.record) for action in ready]
        revisions = bulk.create_pages(parent, pages, publish=not self.draft, user=self.user)
        self.written(pages)
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
            kind.published(self, pages)
        return failed

    def apply(self, action):
        """One record through Wagtail's own path: ``add_child`` or a new revision."""
        record = action.record
        kind = kind_of(record)
        self.prepare_cards([record])
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
                field_line(record, *SOURCE_FIELDS.get(first, (first,))),
            ) from None
        revision = page.save_revision(user=self.user, log_action=True, clean=False)
        self.written([page])
        if not self.draft:
            revision.publish(user=self.user)
            kind.published(self, [page])
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
