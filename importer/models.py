"""Where each imported page came from, so re-runs, the editor check and the export can find it."""

from django.db import models


class ImportedRecord(models.Model):
    """One fixture record's source identity and the revision its last import made."""

    class Kind(models.TextChoices):
        TERM = "term", "Glossary term"
        ARTICLE = "article", "Pulse article"

    kind = models.CharField(max_length=16, choices=Kind.choices)
    key = models.CharField(max_length=255, help_text="The term's id or the article's slug.")
    source_path = models.CharField(
        max_length=1024, help_text="The fixture file, relative to its root."
    )
    source_sha256 = models.CharField(max_length=64, help_text="Hash of the structured record.")
    file_sha256 = models.CharField(
        max_length=64,
        blank=True,
        help_text="Hash of the file's bytes: an unchanged file is not read again.",
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
