"""When a term was last reviewed, and by whom: ``ReviewedTermMixin``.

The review belongs to the page as a whole, not to one revision (as Wagtail treats ``locked``
or ``first_published_at``): ``with_content_json`` keeps the stored values whatever revision is
loaded, so an editor's draft, submit or publish never changes them, and an older revision
published later does not bring back an older review. Only ``glossary.review`` (a Moderator's
approval in the workflow, the "Mark as reviewed" action) and the import write them.
"""

from django.conf import settings
from django.db import models

from wagtail.admin.panels import FieldPanel, MultiFieldPanel

REVIEW_FIELDS = ("reviewed_at", "reviewed_by_id", "reviewed_by_name")


class ReviewedTermMixin(models.Model):
    reviewed_at = models.DateField(
        "reviewed on",
        null=True,
        blank=True,
        help_text="When a Moderator last approved or marked the term as reviewed; "
        "set by the review, not by hand.",
    )
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="The user who last reviewed the term (empty once that account is deleted, "
        "or when the review came from an import).",
    )
    reviewed_by_name = models.CharField(
        "reviewed by",
        max_length=255,
        blank=True,
        help_text="The reviewer's name as shown to visitors; kept when the account is deleted.",
    )

    # A copy is a new term: no one has reviewed it yet.
    exclude_fields_in_copy = ["reviewed_at", "reviewed_by", "reviewed_by_name"]

    review_panels = [
        MultiFieldPanel(
            [
                FieldPanel("reviewed_at", read_only=True),
                FieldPanel("reviewed_by_name", read_only=True),
            ],
            heading="Review",
            help_text="Set when a Moderator approves the term or marks it as reviewed.",
            classname="collapsed",
        )
    ]

    class Meta:
        abstract = True

    @property
    def is_reviewed(self):
        return self.reviewed_at is not None

    def with_content_json(self, content):
        """A revision's page with the stored review: it is the page's, not the revision's."""
        page = super().with_content_json(content)
        for name in REVIEW_FIELDS:
            setattr(page, name, getattr(self, name))
        return page

    def review_schema_org(self):
        """schema.org's ``lastReviewed`` and ``reviewedBy`` (a Person), when reviewed."""
        if not self.is_reviewed:
            return {}
        data = {"lastReviewed": self.reviewed_at.isoformat()}
        if self.reviewed_by_name:
            data["reviewedBy"] = {"@type": "Person", "name": self.reviewed_by_name}
        return data
