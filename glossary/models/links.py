"""Linked mentions, resolved by the worker and stored with the page (``glossary.linking``).

A web process never holds the glossary's vocabulary: the worker finds which terms a page's
body mentions (with the automaton of every term's names) and stores them here; rendering links
those mentions to the terms that are live and public at that moment.
"""

from django.db import models

from wagtail.models import Page

from .pages import GlossaryTermPage


class TermMention(models.Model):
    """A term whose name or synonym a page's body mentions, in order of first mention.

    Written only by ``glossary.linking.relink_pages``. ``term`` has no database constraint:
    the row outlives a deleted term so the worker can find the pages that mentioned it.
    """

    page = models.ForeignKey(
        Page, on_delete=models.CASCADE, related_name="+", help_text="The page whose body it is."
    )
    position = models.PositiveIntegerField(help_text="Order of first mention in the body.")
    term = models.ForeignKey(
        GlossaryTermPage,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        related_name="mentioned_on",
        verbose_name="linked mention in the body",  # the label of a term's "Usage" rows
        help_text="The term mentioned.",
    )
    phrase = models.CharField(
        max_length=500, help_text="The name or synonym as found (HTML-escaped, lower case)."
    )

    class Meta:
        verbose_name = "derived term mention"
        constraints = [
            models.UniqueConstraint(fields=["page", "position"], name="unique_mention_position")
        ]

    def __str__(self):
        return f"{self.page_id} mentions {self.term_id} as {self.phrase!r}"


class LinkedVocabulary(models.Model):
    """A term's names and synonyms as the stored mentions last saw them.

    The worker compares them with the term's current ones: only a term whose phrases moved
    makes other pages' mentions change. A plain id, not a key: it outlives a deleted term.
    """

    term_id = models.BigIntegerField(primary_key=True, help_text="The term's page id.")
    phrases = models.TextField(blank=True, help_text="Its phrases, one a line.")
    shown = models.CharField(
        max_length=32, blank=True, help_text="Digest of its address, name and description."
    )

    class Meta:
        verbose_name = "linked vocabulary entry"

    def __str__(self):
        return f"{self.term_id}: {self.phrases!r}"


class LinkedPage(models.Model):
    """A page whose mentions are stored, and a digest of the body they were found in: after a
    change of everything (an import) only the pages whose body moved are rendered again."""

    page_id = models.BigIntegerField(primary_key=True, help_text="The page's id.")
    body_hash = models.CharField(max_length=32, help_text="Digest of the stored body.")

    class Meta:
        verbose_name = "linked page"

    def __str__(self):
        return f"{self.page_id}: {self.body_hash}"


class RelinkRequest(models.Model):
    """Work waiting for the relink task: a page whose body changed, a term whose names may have,
    or everything. Written in the change's transaction, so no change is lost to a crash."""

    PAGE, TERM, ALL = "page", "term", "all"

    kind = models.CharField(
        max_length=4,
        choices=[(PAGE, "page"), (TERM, "term"), (ALL, "all")],
        help_text="What changed.",
    )
    object_id = models.BigIntegerField(default=0, help_text="The page's or term's id (0: all).")

    class Meta:
        verbose_name = "relink request"
        constraints = [
            models.UniqueConstraint(fields=["kind", "object_id"], name="unique_relink_request")
        ]

    def __str__(self):
        return "everything" if self.kind == self.ALL else f"{self.kind} {self.object_id}"
