"""Where each imported page came from, so re-runs, the editor check and the export can find it."""

from django.conf import settings
from django.db import models

from core.fields import optional_key


class ImportedRecord(models.Model):
    """One fixture record's source identity and the revision its last import made."""

    # No choices: the kinds registry (``importer.kinds.KINDS``) says which kinds there are,
    # and records are only written through their registered kind.
    kind = models.CharField(max_length=16, help_text="The record's kind (its name).")
    key = models.CharField(max_length=255, help_text="The record's key, unique within its kind.")
    source_path = models.CharField(
        max_length=1024, help_text="The fixture file, relative to its root."
    )
    source_sha256 = models.CharField(max_length=64, help_text="Hash of the structured record.")
    file_sha256 = models.CharField(
        max_length=64,
        blank=True,
        help_text="Hash of the file's bytes: an unchanged file is not read again.",
    )
    source_bytes = models.BinaryField(
        blank=True,
        default=b"",
        help_text="The file as imported: the export writes it back unchanged while the page is.",
    )
    page = models.OneToOneField(
        "wagtailcore.Page", on_delete=models.CASCADE, related_name="imported_record"
    )
    revision = models.ForeignKey(
        "wagtailcore.Revision",
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="The revision the last import made; a newer one means an editor changed it.",
    )
    imported_at = models.DateTimeField(auto_now=True)

    class Meta:
        permissions = [("import_fixtures", "Can import fixture files from the admin")]
        indexes = [models.Index(fields=["source_path"])]
        constraints = [
            models.UniqueConstraint(fields=["kind", "key"], name="unique_imported_record_key"),
        ]

    def __str__(self):
        return f"{self.kind} {self.key} ← {self.source_path}"


def importing_user(help_text):
    """Who started an import or upload: kept as empty, not deleted, when the account goes."""
    return models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=help_text,
    )


class ImportRun(models.Model):
    """One import that writes (not a dry run): who ran it, when, and how it ended.

    A run killed half-way (a deploy, an out-of-memory kill) stays "running": its batches are
    committed or rolled back whole, but what follows them (letters, related terms, links,
    caches) may not have run, so the next import runs that even if nothing changed, and marks
    the killed run "interrupted". A run stopped by an error it could not put on one record
    (a lost connection, a full disk) is "failed": the log has why.
    """

    class Status(models.TextChoices):
        RUNNING = "running", "Running (or killed before it finished)"
        FINISHED = "finished", "Finished"
        INTERRUPTED = "interrupted", "Interrupted; a later run finished its work"
        FAILED = "failed", "Stopped by an error (see the log)"

    started_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.RUNNING)
    user = importing_user("Who imported from the admin; empty for the command line.")
    counts = models.JSONField(default=dict, blank=True, help_text="The report's counts.")

    class Meta:
        ordering = ["-started_at"]

    def __str__(self):
        return f"import {self.started_at:%Y-%m-%d %H:%M} ({self.get_status_display()})"


class ImportJob(models.Model):
    """One admin upload's dry run, or its confirmed import, run by the task queue.

    The request that uploads only stores the files (media storage, a folder per upload) and
    enqueues; the task reads them from there and writes its progress here as it goes, for the
    job page. A confirmed import is a second job on the same stored upload.
    """

    class Kind(models.TextChoices):
        DRY_RUN = "dry-run", "Dry run (reads, writes nothing)"
        APPLY = "apply", "Import"

    class Status(models.TextChoices):
        QUEUED = "queued", "Waiting for a worker"
        RUNNING = "running", "Running"
        FINISHED = "finished", "Finished"
        FAILED = "failed", "Stopped by an error"

    class Stage(models.TextChoices):
        WAITING = "", "Not started"
        READING = "reading", "Reading the files"
        CHECKING = "checking", "Comparing with the site"
        WRITING = "writing", "Writing pages"
        DONE = "done", "Done"

    kind = models.CharField(max_length=16, choices=Kind.choices, default=Kind.DRY_RUN)
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.QUEUED)
    stage = models.CharField(max_length=16, choices=Stage.choices, default="", blank=True)
    user = importing_user("Who uploaded; only they (and superusers) see the job.")
    dry_run = optional_key(
        "self",
        "For an import: the dry run it was confirmed from (same upload).",
        related_name="applies",
    )
    draft = models.BooleanField(default=False, help_text="Save changes as drafts for review.")
    force = models.BooleanField(default=False, help_text="Overwrite pages edited in the admin.")
    upload_folder = models.CharField(
        max_length=255, help_text="The upload's folder in media storage (default_storage)."
    )
    files = models.JSONField(
        default=list,
        blank=True,
        help_text="[name in the report, name in storage] for each uploaded file; for a .zip, "
        "one pair whose report name is empty (its members are read from it).",
    )
    files_total = models.PositiveIntegerField(default=0, help_text="Files in the upload.")
    files_done = models.PositiveIntegerField(
        default=0, help_text="Files done in the current stage (read, or written)."
    )
    counts = models.JSONField(
        default=dict, blank=True, help_text="created, updated, unchanged, skipped, failed so far."
    )
    report = models.JSONField(
        null=True, blank=True, help_text="The finished run's report, with changes field by field."
    )
    message = models.TextField(
        blank=True, help_text="Why the job stopped, or why it waits (another import running)."
    )
    seconds_left = models.PositiveIntegerField(
        null=True,
        blank=True,
        help_text="The task's estimate of the time its current stage still takes.",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["user", "-created_at"])]

    def __str__(self):
        return f"{self.get_kind_display()} #{self.pk} ({self.get_status_display()})"

    @property
    def is_done(self):
        return self.status in (self.Status.FINISHED, self.Status.FAILED)
