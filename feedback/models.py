"""What readers send: a suggested term or a reported problem with a term's definition.

No address of the reader is stored: the rate limit counts clients in the cache only
(``core.security.rate_limited``), and the optional email is the reader's own choice."""

from django.conf import settings
from django.db import models

TEXT_MAX_LENGTH = 2000
NAME_MAX_LENGTH = 200


class Kind(models.TextChoices):
    SUGGESTION = "suggestion", "Suggested term"
    REPORT = "report", "Problem report"


class Status(models.TextChoices):
    NEW = "new", "New"
    ACCEPTED = "accepted", "Accepted"
    DECLINED = "declined", "Declined"


class Feedback(models.Model):
    kind = models.CharField(
        max_length=20,
        choices=Kind.choices,
        help_text="A term a reader misses, or a problem a reader found in a term.",
    )
    term = models.ForeignKey(
        "glossary.GlossaryTermPage",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="The term a report is about (empty for a suggestion, or once deleted).",
    )
    name = models.CharField(
        max_length=NAME_MAX_LENGTH,
        blank=True,
        help_text="The suggested term's name (a suggestion only).",
    )
    text = models.TextField(
        max_length=TEXT_MAX_LENGTH,
        help_text="What the reader wrote: shown escaped, never as links.",
    )
    email = models.EmailField(
        blank=True, help_text="Where the reader may be answered, if they gave an address."
    )
    status = models.CharField(
        max_length=20,
        choices=Status.choices,
        default=Status.NEW,
        help_text="New until an Editor or a Moderator accepts or declines it.",
    )
    created = models.DateTimeField(auto_now_add=True, help_text="When the reader sent it.")
    handled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="Who accepted or declined it.",
    )
    handled_at = models.DateTimeField(
        null=True, blank=True, help_text="When it was accepted or declined."
    )
    draft_term = models.ForeignKey(
        "glossary.GlossaryTermPage",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="The draft term an accepted suggestion became.",
    )

    class Meta:
        verbose_name = "reader feedback"
        verbose_name_plural = "reader feedback"
        ordering = ["-created", "-pk"]
        indexes = [models.Index(fields=["status", "-created"], name="feedback_status_created")]

    def __str__(self):
        subject = self.name if self.kind == Kind.SUGGESTION else str(self.term or "a term")
        return f"{self.get_kind_display()}: {subject}"
