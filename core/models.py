"""The base's own tables: what a change made stale, and the keys of pages being created."""

from django.db import models

from wagtail.models import Page


class StaleResponses(models.Model):
    """What one change made stale, written in the change's own transaction and drained by the
    worker: the front cache's purge and the re-rendering of the pages (``core.refresh``).

    A table rather than the tasks' arguments: many changes are coalesced into one run, which
    reads every row written until it started; a change rolled back leaves no row.
    """

    class Purpose(models.TextChoices):
        PURGE = "purge", "Purge from the front cache"
        WARM = "warm", "Render again"

    purpose = models.CharField(max_length=8, choices=Purpose.choices)
    scopes = models.JSONField(default=list, help_text="Shared cache scopes (core.dependencies).")
    page_ids = models.JSONField(default=list, help_text="Pages whose own responses changed.")
    url_paths = models.JSONField(default=list, help_text="Addresses pages left (moved, renamed).")
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        verbose_name_plural = "stale responses"
        indexes = [models.Index(fields=["purpose", "id"], name="core_stale_purpose_id")]

    def __str__(self):
        return f"{self.purpose} #{self.pk}"


class PageCreationKey(models.Model):
    """The key a page's create form carried, kept with the page it made (issue 21).

    Wagtail 8's autosave creates a new page with a background POST to the create URL; a click
    (Save schedule, Save draft, Publish, Submit) before its answer posts the same form there
    again. The key, unique here, lets that second post continue the page the first one made
    (``core.admin_views.CreatedOncePageCreateView``). A table of its own rather than a
    field on each page model: one mechanism for every page type, and "Copy page" and the
    revisions never carry the key along. ``page`` is empty only inside the transaction that
    claims the key before it creates the page.
    """

    key = models.UUIDField(primary_key=True)
    page = models.OneToOneField(
        Page, null=True, on_delete=models.CASCADE, related_name="creation_key"
    )

    def __str__(self):
        return str(self.key)
