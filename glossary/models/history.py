"""Provenance and freshness of a term: when its content last changed, the sources it cites
and the public list of its published changes (``TermHistoryMixin`` on ``GlossaryTermPage``).

The date and the list follow the *content* (description, key questions, body): a publish
that only reorders cards or renames a category moves neither. ``glossary.history`` decides
that at publish time by comparing a fingerprint of the content with the one stored at the
previous publish.
"""

import contextlib
import datetime
import hashlib
import json
from types import SimpleNamespace

from django.core.validators import URLValidator
from django.db import models
from django.utils import timezone
from django.utils.functional import cached_property

from modelcluster.fields import ParentalKey
from wagtail.admin.panels import FieldPanel
from wagtail.models import Orderable

from core.fields import optional_key

from ..rules import SOURCE_URL_SCHEMES

TERM = "glossary.GlossaryTermPage"
# The fields whose change is a change of the term's content (the "Updated" date, "Changes").
CONTENT_FIELDS = ("description", "key_questions", "body")
CHANGES_SHOWN = 10
# What only ``glossary.history`` writes: no revision and no full save of a page object carries it.
HISTORY_FIELDS = (
    "content_updated_at",
    "content_digest",
    "recent_changes",
)  # newest entries on the term page and in the read API
DEFAULT_NOTE = "Edited"
FIRST_NOTE = "First published"
CHANGE_NOTE_MAX_LENGTH = 200


def _without_block_ids(data):
    """Stream data without the blocks' ids: an id is new whenever the import rebuilds a body,
    which is no change of what readers read."""
    if isinstance(data, list):
        return [_without_block_ids(item) for item in data]
    if isinstance(data, dict):
        keep = {k: v for k, v in data.items() if not (k == "id" and "type" in data)}
        return {k: _without_block_ids(v) for k, v in keep.items()}
    return data


def content_fingerprint(model, values):
    """SHA-256 of the content fields' stored form (``values``: field name -> value); the data
    migration calls it with its historical model, so it needs nothing but the fields."""
    stored = {}
    for name in CONTENT_FIELDS:
        prepared = model._meta.get_field(name).get_prep_value(values[name])
        if isinstance(prepared, str) and name != "description":
            with contextlib.suppress(ValueError):
                prepared = json.loads(prepared)
        stored[name] = _without_block_ids(prepared)
    payload = json.dumps(stored, sort_keys=True, ensure_ascii=False, default=str)
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()


class TermHistoryMixin(models.Model):
    """A term's "Updated" date, its change note for the next publish and its fingerprint."""

    # A copy is a new term: it has not been updated or changed yet (its first publish says so).
    not_copied = ["content_updated_at", "content_digest", "recent_changes", "change_note"]

    content_updated_at = models.DateTimeField(
        "content updated at",
        null=True,
        blank=True,
        editable=False,
        help_text="When the description, key questions or body last changed in a publish "
        "(shown as 'Updated'); set by publishing, or by the import's 'updated' key.",
    )
    content_digest = models.CharField(
        max_length=64,
        blank=True,
        default="",
        editable=False,
        help_text="Fingerprint of the content as last published: a publish changes the "
        "'Updated' date only when it differs.",
    )
    recent_changes = models.JSONField(
        default=list,
        blank=True,
        editable=False,
        help_text="The newest entries of 'Changes' ({date, note}, newest first), kept with "
        "the page when an entry is written, so showing them costs no query.",
    )
    change_note = models.CharField(
        "change note",
        max_length=CHANGE_NOTE_MAX_LENGTH,
        blank=True,
        default="",
        help_text="Optional: what changed, in a few words, for the public 'Changes' list "
        "(e.g. 'Clarified the definition'). Used when you publish a change of the "
        f"description, key questions or body ('{DEFAULT_NOTE}' if left empty); cleared "
        "after publishing.",
    )

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        """A full save (a publish) writes the history the database holds, so a page object
        kept across publishes (a script's, a test's) cannot take the date or the list back.
        One small query; the history itself is written by ``glossary.history``."""
        if self.pk is not None and kwargs.get("update_fields") is None:
            stored = type(self).objects.filter(pk=self.pk).values(*HISTORY_FIELDS).first()
            for name, value in (stored or {}).items():
                setattr(self, name, value)
        super().save(*args, **kwargs)

    def content_fingerprint(self):
        return content_fingerprint(
            type(self), {name: getattr(self, name) for name in CONTENT_FIELDS}
        )

    def with_content_json(self, content):
        """A revision's version of the page keeps the date and fingerprint of the live page:
        they belong to the page's published history, not to any one revision."""
        obj = super().with_content_json(content)
        for name in HISTORY_FIELDS:
            setattr(obj, name, getattr(self, name))
        return obj

    @cached_property
    def source_list(self):
        """The sources, in editor order (through the page's own relation: a preview's are
        in memory)."""
        return list(self.sources.all())

    @cached_property
    def change_list(self):
        """The newest published changes, newest first, from the page's own row (the
        ``TermChange`` rows are the whole history; these are copied when one is written)."""
        return [
            SimpleNamespace(date=datetime.datetime.fromisoformat(entry["date"]), note=entry["note"])
            for entry in self.recent_changes or ()
        ]

    @classmethod
    def prefetch_for_listing(cls, terms):
        """Sources of many terms in one query (the read API's listings)."""
        super().prefetch_for_listing(terms)
        sources = {term.pk: [] for term in terms}
        rows = TermSource.objects.filter(page_id__in=list(sources))
        for source in rows.order_by("page_id", "sort_order"):
            sources[source.page_id].append(source)
        for term in terms:
            term.__dict__["source_list"] = sources[term.pk]

    def note_change(self, when, note):
        """Put a new entry first in ``recent_changes`` (the caller writes the row)."""
        entry = {"date": when.isoformat(), "note": note}
        self.recent_changes = [entry, *(self.recent_changes or [])][:CHANGES_SHOWN]

    def history_schema(self, request):
        """What the term's schema.org WebPage says of its freshness and sources."""
        data = {}
        if self.content_updated_at:
            data["dateModified"] = self.content_updated_at.isoformat()
        citations = [source.creative_work() for source in self.source_list]
        if citations:
            data["citation"] = citations
        return data


class TermSource(Orderable):
    """A source a term cites, shown under its body as "References"."""

    page = ParentalKey(TERM, on_delete=models.CASCADE, related_name="sources")
    title = models.CharField(max_length=300, help_text="The source's title, as it gives it.")
    url = models.URLField(
        "URL",
        max_length=500,
        validators=[URLValidator(schemes=SOURCE_URL_SCHEMES)],
        help_text="The address readers follow to the source (http or https).",
    )
    publisher = models.CharField(
        max_length=200, blank=True, help_text="Who published it, e.g. 'ISO' or 'NIST'."
    )
    accessed = models.DateField(
        null=True, blank=True, help_text="When you last checked the source said this."
    )

    panels = [
        FieldPanel("title"),
        FieldPanel("url"),
        FieldPanel("publisher"),
        FieldPanel("accessed"),
    ]

    class Meta(Orderable.Meta):
        verbose_name = "source"

    def __str__(self):
        return self.title

    def creative_work(self):
        work = {"@type": "CreativeWork", "name": self.title, "url": self.url}
        if self.publisher:
            work["publisher"] = {"@type": "Organization", "name": self.publisher}
        return work


class TermChange(models.Model):
    """One published change of a term's content, listed publicly under "Changes". Written
    by publishing (``glossary.history``), never edited: entries outlive later edits."""

    term = models.ForeignKey(
        TERM,
        on_delete=models.CASCADE,
        related_name="changes",
        help_text="The term whose content changed.",
    )
    date = models.DateTimeField(default=timezone.now, help_text="When the change was published.")
    note = models.CharField(
        max_length=CHANGE_NOTE_MAX_LENGTH,
        default=DEFAULT_NOTE,
        help_text="What changed, as the editor (or the import) described it.",
    )
    revision = optional_key("wagtailcore.Revision", "The revision that was published.")

    class Meta:
        verbose_name = "term change"
        indexes = [
            models.Index(fields=["term", "-date"], name="glossary_termchange_newest"),
            # The feeds' and What's new's newest changes of the whole glossary.
            models.Index(fields=["-date", "-id"], name="glossary_termchange_recent"),
        ]

    def __str__(self):
        return f"{self.date:%Y-%m-%d}: {self.note}"
