"""Carry out a plan: write pages, snippets, images, redirects and source records.

Each file is written in its own transaction (or all in one with ``strict``), so a failure
loses nothing but that file and the page tree is never left half-written.
"""

import hashlib
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.images import ImageFile
from django.db import transaction

from wagtail.contrib.redirects.models import Redirect
from wagtail.images import get_image_model

from core.images import ALL_RENDITIONS
from glossary.models import (
    GlossaryIndexPage,
    GlossaryTermPage,
    GlossaryTermRelatedCard,
    RelatedArticleCard,
    RelatedArticlesSection,
)
from pulse.models import PulseArticlePage, PulseIndexPage

from .models import ImportedRecord
from .planning import CREATE, UPDATE, page_values
from .records import TermRecord


class ApplyError(Exception):
    pass


class Writer:
    """Writes records; caches what many records share (snippets, images, parents)."""

    def __init__(self, report, images_dir=None, draft=False):
        self.report = report
        self.draft = draft
        self.images_dir = Path(images_dir or Path(settings.FIXTURES_DIR) / "images")
        self.images = {}
        self.sections = {}
        self.glossary = GlossaryIndexPage.objects.first()
        self.pulse = PulseIndexPage.objects.first()

    # --- shared pieces ------------------------------------------------------------------------

    def image(self, reference, record_path):
        """The library image for a fixture's image path, imported once by content hash."""
        if not reference:
            return None
        if reference in self.images:
            return self.images[reference]
        file_path = self.images_dir / Path(reference.lstrip("/")).name
        image = None
        if not file_path.is_file():
            self.report.warn(
                record_path, f"image {reference!r} not found in {self.images_dir}; shown without it"
            )
        else:
            data = file_path.read_bytes()
            image_model = get_image_model()
            image = image_model.objects.filter(file_hash=hashlib.sha1(data).hexdigest()).first()  # noqa: S324 - Wagtail's own hash
            if image is None:
                with file_path.open("rb") as handle:
                    image = image_model(
                        title=file_path.stem.replace("_", " ").strip(),
                        file=ImageFile(handle, name=file_path.name),
                    )
                    image.save()
            # Renditions are made now, so no visitor waits for an image to be resized.
            image.get_renditions(*ALL_RENDITIONS)
        self.images[reference] = image
        return image

    def section(self, record):
        texts = record.section
        if texts.is_empty():
            return None
        if texts not in self.sections:
            self.sections[texts], _ = RelatedArticlesSection.objects.get_or_create(
                heading=texts.heading,
                subheading=texts.subheading,
                description=texts.description,
                category=texts.category,
            )
        return self.sections[texts]

    def card(self, card, record_path):
        """One card per target slug, shared by every term that shows it."""
        values = {
            "title": card.title,
            "subheading": card.subheading,
            "button_text": card.button_text,
            "image": self.image(card.image, record_path),
        }
        existing = RelatedArticleCard.objects.filter(target_slug=card.slug).first()
        if existing is None:
            existing = RelatedArticleCard(target_slug=card.slug, **values)
        elif all(getattr(existing, name) == value for name, value in values.items()):
            return existing
        for name, value in values.items():
            setattr(existing, name, value)
        if existing.target_page_id is None:
            existing.target_page = PulseArticlePage.objects.filter(slug=card.slug).first()
        existing.save()
        return existing

    # --- pages --------------------------------------------------------------------------------

    def apply(self, action):
        record = action.record
        page = action.page
        if action.verb == CREATE:
            model, parent = (
                (GlossaryTermPage, self.glossary)
                if isinstance(record, TermRecord)
                else (PulseArticlePage, self.pulse)
            )
            page = model(live=False)
        elif action.verb == UPDATE:
            page = page.get_latest_revision_as_object()
        else:
            return None
        for name, value in page_values(record).items():
            setattr(page, name, value)
        if isinstance(record, TermRecord):
            page.related_section = self.section(record)
            page.related_cards = [
                GlossaryTermRelatedCard(card=self.card(card, record.path), sort_order=order)
                for order, card in enumerate(record.cards)
            ]
        else:
            page.hero_image = self.image(record.image, record.path)
        try:
            if action.verb == CREATE:
                parent.add_child(instance=page)
            else:
                page.full_clean()
        except ValidationError as error:
            raise ApplyError(
                "; ".join(f"{k}: {' '.join(v)}" for k, v in error.message_dict.items())
            ) from None
        revision = page.save_revision(log_action=True, clean=False)
        if not self.draft:
            revision.publish()
        self.redirect(record, page)
        ImportedRecord.objects.update_or_create(
            kind=record.kind,
            key=record.key,
            defaults={
                "source_path": record.path,
                "source_sha256": record.fingerprint(),
                "page": page,
                "revision": revision,
            },
        )
        return page

    def redirect(self, record, page):
        """The fixture's own URL, where normalising changed it, moves permanently to the page."""
        if not record.source_slug or record.source_slug == page.slug:
            return
        parent_url = page.get_parent().url_path
        old_path = Redirect.normalise_path(
            f"{parent_url}{record.source_slug}/".replace(self.site_root_path(), "/", 1)
        )
        Redirect.objects.update_or_create(
            old_path=old_path, site=None, defaults={"redirect_page": page, "is_permanent": True}
        )

    def site_root_path(self):
        return self.glossary.get_parent().url_path


def apply_action(writer, action, strict=False):
    """Apply one action in a savepoint; an error rolls back only this record's writes."""
    with transaction.atomic():
        return writer.apply(action)
