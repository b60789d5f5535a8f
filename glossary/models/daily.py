"""The term of the day as editors schedule it: ``TermOfTheDay``, a snippet.

A date with no schedule gets a term picked by ``glossary.daily`` (deterministic, the same in
every process all day); a scheduled term wins while it is live, public and current.
"""

from django.core.exceptions import ValidationError
from django.db import models

from wagtail.admin.panels import FieldPanel


class TermOfTheDay(models.Model):
    date = models.DateField(
        unique=True,
        help_text="The calendar day (in the site's time zone) this term is the term of the day.",
    )
    term = models.ForeignKey(
        "glossary.GlossaryTermPage",
        on_delete=models.CASCADE,
        related_name="days",
        help_text="A published, public, current term. If it is unpublished, made private or "
        "deprecated later, the day falls back to the automatic pick.",
    )
    note = models.CharField(
        max_length=255,
        blank=True,
        help_text="Optional: why this term on this day (shown under it on the home page and in "
        "the feeds), e.g. an event or an article that mentions it.",
    )

    panels = [FieldPanel("date"), FieldPanel("term"), FieldPanel("note")]

    class Meta:
        ordering = ["-date"]
        verbose_name = "term of the day"
        verbose_name_plural = "terms of the day"

    def __str__(self):
        return f"{self.date.isoformat()}: {self.term.title}" if self.term_id else str(self.date)

    @classmethod
    def from_db(cls, db, field_names, values):
        """Remembers the date it was read with: moving a schedule to another date makes the
        old date's remembered pick stale too (``glossary.daily.forget``)."""
        instance = super().from_db(db, field_names, values)
        instance.loaded_date = getattr(instance, "date", None)
        return instance

    def clean(self):
        super().clean()
        from ..daily import schedulable_terms

        if self.term_id and not schedulable_terms().filter(pk=self.term_id).exists():
            raise ValidationError(
                {"term": "Choose a published, public, current term (not a draft or deprecated)."}
            )
