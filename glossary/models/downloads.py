"""The glossary's download files as built by the worker (``glossary.downloads``)."""

from django.db import models


class DownloadBuild(models.Model):
    """One complete build of the downloads: every format written to media storage under
    ``folder``. A row is written only once all its files are saved, so the newest row (by
    ``started_at``) is always a whole build; a row in the database survives a cache flush.
    Derived state, written by ``glossary.downloads.rebuild`` only: no admin panels."""

    folder = models.CharField(
        max_length=100,
        unique=True,
        help_text="The build's folder in media storage (downloads/<time>-<random>).",
    )
    tokens = models.JSONField(
        help_text="The generation tokens (core.page_cache) current when the terms were read: "
        "the build is current while they still are."
    )
    started_at = models.DateTimeField(
        db_index=True,
        help_text="When the terms were read: the files show the glossary as it was then.",
    )
    finished_at = models.DateTimeField(help_text="When the last file was saved.")
    term_count = models.PositiveIntegerField(help_text="Terms in each file.")
    files = models.JSONField(
        help_text='Per format: {"name": storage name, "size": bytes, "sha256": hex digest}; '
        "empty when there was no live glossary."
    )
    guard = models.JSONField(
        null=True,
        blank=True,
        help_text="What tells whether a term in the files has left public view since: the "
        "index, the highest term id, the number of terms and the ids of the hidden ones "
        "(glossary.downloads.withdrawn_since).",
    )

    class Meta:
        verbose_name = "glossary download build"
        get_latest_by = "started_at"

    def __str__(self):
        return f"{self.folder} ({self.term_count} terms)"
