"""A term's history, kept at publish: the "Updated" date and the public "Changes" list.

A publish (the admin's, a scheduled one, or the import's revision path) sends Wagtail's
``page_published``; ``term_published`` compares the published content's fingerprint with the
one stored at the previous publish (``TermHistoryMixin.content_digest``, which revisions never
overwrite). Only when they differ does the date move and an entry get written, with the
editor's change note; the note is then cleared from the page and its published revision, so
the next edit starts empty. The import's batch path inserts pages without signals: it calls
``imported`` instead (idempotent, so the revision path may call it too).

A write of two small rows per publish, in the publish's transaction; nothing is computed
when a reader asks.
"""

import datetime
from pathlib import PurePath

from django.utils import timezone

from .models.history import DEFAULT_NOTE, FIRST_NOTE, TermChange


def connect():
    from wagtail.signals import page_published

    from .models import GlossaryTermPage

    page_published.connect(term_published, sender=GlossaryTermPage, dispatch_uid="term_history")


def term_published(sender, instance, revision=None, **kwargs):
    if instance.live:  # a publish scheduled for later sends the signal too
        record([instance], {instance.pk: instance.content_digest}, revision=revision)


def record(pages, stored, revision=None, when=None, digests=None):
    """Write the history of ``pages`` just published, whose stored fingerprints are ``stored``
    ({pk: digest}); ``revision``: the one published, else each page's ``live_revision``;
    ``digests``: their fingerprints where the caller has them already.
    A few queries whatever the number of pages. Returns the pages whose content changed."""
    from wagtail.models import Revision

    from .models import GlossaryTermPage

    when = when or timezone.now()
    changed, touched, entries, revisions = [], [], [], []
    for page in pages:
        published = revision or page.live_revision
        digest = (digests or {}).get(page.pk) or page.content_fingerprint()
        before = stored.get(page.pk, "")
        if digest != before:
            note = page.change_note.strip() or (DEFAULT_NOTE if before else FIRST_NOTE)
            entries.append(TermChange(term_id=page.pk, date=when, note=note, revision=published))
            page.content_digest, page.content_updated_at = digest, when
            page.note_change(when, note)
            changed.append(page)
        if page.change_note:
            # The note was for this publish: neither the page nor its published revision
            # (the next edit's starting point) keeps it.
            page.change_note = ""
            if published is not None and published.content.get("change_note"):
                published.content["change_note"] = ""
                revisions.append(published)
        elif digest == before:
            continue
        touched.append(page)
    if entries:
        TermChange.objects.bulk_create(entries)
    if touched:
        GlossaryTermPage.objects.bulk_update(
            touched,
            ["content_digest", "content_updated_at", "change_note", "recent_changes"],
            batch_size=500,
        )
    if revisions:
        Revision.objects.bulk_update(revisions, ["content"], batch_size=500)
    return changed


def import_note(path):
    return f"Imported from {PurePath(path).name}"


def prepare_import(page, record):
    """Before the import fills ``page`` from ``record``: what ``imported`` needs afterwards."""
    page.change_note = import_note(record.path)
    page._import_history = {
        "updated": record.updated,
        "digest": page.content_digest,
        "date": page.content_updated_at,
    }


def file_date(text):
    """The file's ``updated`` date as the start of that day, in the site's time zone."""
    day = datetime.date.fromisoformat(text)
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


def imported(pages):
    """The import published ``pages``: their history, for those its batch path wrote without
    signals, and the date the files give (``updated``). When a file gives a date, the page
    takes it; only a change of content dated before the date the page showed takes now."""
    from .models import GlossaryTermPage

    if not pages:
        return
    stored = dict(
        GlossaryTermPage.objects.filter(pk__in=[page.pk for page in pages]).values_list(
            "pk", "content_digest"
        )
    )
    digests = {page.pk: page.content_fingerprint() for page in pages}
    # Pages the revision path published were recorded by ``term_published`` already.
    fresh = [page for page in pages if digests[page.pk] != stored.get(page.pk, "")]
    record(fresh, stored, digests=digests)
    dated = []
    for page in pages:
        kept = getattr(page, "_import_history", None)
        if not kept or not kept["updated"]:
            continue
        date = file_date(kept["updated"])
        changed = digests[page.pk] != kept["digest"]
        if changed and kept["date"] is not None and date < kept["date"]:
            continue  # changed now, and the file's date is older than what readers saw
        page.content_updated_at = date
        dated.append(page)
    GlossaryTermPage.objects.bulk_update(dated, ["content_updated_at"], batch_size=500)
