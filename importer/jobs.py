"""The admin import as a job: the upload stored in media storage, the dry run and the import
run by the task queue (``importer.tasks``) with progress written to ``ImportJob`` as they go.

The request that uploads only stores the files, creates the job and enqueues it: however large
the upload, it runs no pipeline and never touches the import lock. The import task takes the
lock without waiting; if another import holds it, the job says so and tries again later.
"""

import datetime
import logging
import time
import uuid
import zipfile

from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.db import transaction
from django.utils import timezone
from django.utils.text import get_valid_filename

from .errors import short_reason
from .forms import zip_members
from .locking import ImportLocked
from .models import ImportJob
from .pipeline import ImportOptions, run_import
from .report import Report

logger = logging.getLogger("importer")

UPLOAD_ROOT = "imports"
# What the report calls an uploaded file: "uploads/<its name>" (a zip's member: its path).
REPORT_PREFIX = "uploads/"
# Progress is written at most this often (seconds): one UPDATE a second, whatever the size.
PROGRESS_EVERY = 1.0
# A confirmed import that finds another one running tries again this much later.
LOCKED_RETRY = 30
# Uploads of jobs this old are deleted (a dry run never confirmed keeps its files that long).
KEEP_UPLOADS = datetime.timedelta(days=1)
# A value longer than this (or on several lines) is reported as "changed", not old -> new.
SHORT_VALUE = 120


class UploadChanged(Exception):
    """The stored upload is missing or no longer passes the upload's checks."""


def store_upload(form, user):
    """Save the form's files under a folder of their own and return the (unsaved) dry run job."""
    folder = f"{UPLOAD_ROOT}/{uuid.uuid4().hex}/"
    uploads = form.cleaned_data["files"]
    files, total = [], 0
    if len(uploads) == 1 and uploads[0].name.lower().endswith(".zip"):
        stored = default_storage.save(folder + "upload.zip", uploads[0])
        files.append(["", stored])
        with default_storage.open(stored) as handle, zipfile.ZipFile(handle) as archive:
            total = len(zip_members(archive))
    else:
        for number, upload in enumerate(uploads):
            # Numbered: two files of one name stay two files, and the stored name is safe
            # whatever the browser sent.
            safe = get_valid_filename(upload.name) or "file.txt"
            stored = default_storage.save(f"{folder}{number:05d}-{safe}", upload)
            files.append([REPORT_PREFIX + upload.name, stored])
        total = len(files)
    return ImportJob(
        kind=ImportJob.Kind.DRY_RUN,
        user=user,
        draft=form.cleaned_data["draft"],
        force=form.cleaned_data["force"],
        upload_folder=folder,
        files=files,
        files_total=total,
    )


def enqueue(job):
    """Run ``job`` on the queue once the request's transaction has committed."""
    from .tasks import run_import_job

    transaction.on_commit(lambda: run_import_job.enqueue(job.pk))


def confirm(dry_run, user):
    """The import of a finished dry run's upload: its job, created and enqueued once (call it
    inside a transaction: the dry run's row is locked, so two clicks make one import). An
    import that failed (another one was running, the database went away) may be tried again:
    what it wrote is finished by the next one, as for the command."""
    dry_run = ImportJob.objects.select_for_update().get(pk=dry_run.pk)
    existing = latest_apply(dry_run)
    if existing is not None and existing.status != ImportJob.Status.FAILED:
        return existing
    job = ImportJob.objects.create(
        kind=ImportJob.Kind.APPLY,
        user=user,
        dry_run=dry_run,
        draft=dry_run.draft,
        force=dry_run.force,
        upload_folder=dry_run.upload_folder,
        files=dry_run.files,
        files_total=dry_run.files_total,
    )
    enqueue(job)
    return job


def latest_apply(dry_run):
    return dry_run.applies.order_by("-created_at").first()


def read_sources(job):
    """(report name, bytes) for each file of the job's stored upload."""
    sources = []
    try:
        for name, stored in job.files:
            if name:
                with default_storage.open(stored) as handle:
                    sources.append((name, handle.read()))
                continue
            with default_storage.open(stored) as handle, zipfile.ZipFile(handle) as archive:
                # zipfile stops each member at the size its directory declares, so the
                # checks made on those sizes hold while it unpacks.
                for info in zip_members(archive):
                    sources.append((REPORT_PREFIX + info.filename, archive.read(info)))
    except (OSError, zipfile.BadZipFile) as error:
        raise UploadChanged(f"the stored upload cannot be read: {short_reason(error)}") from error
    except ValidationError as error:
        raise UploadChanged(" ".join(error.messages)) from error
    return sources


class Progress:
    """Writes a running job's progress, at most every ``PROGRESS_EVERY`` seconds (and at each
    change of stage), with an estimate of the time the stage still takes."""

    def __init__(self, job, report):
        self.job, self.report = job, report
        self.stage, self.last_write, self.started, self.start_done = None, 0.0, 0.0, 0

    def reading(self, done, total):
        self._update(ImportJob.Stage.READING, done)
        if done == total:
            self._update(ImportJob.Stage.CHECKING, 0)

    def writing(self, done, total):
        # One report line per file: those read unchanged or failed, then each one written.
        self._update(ImportJob.Stage.WRITING, len(self.report.lines))

    def _update(self, stage, done):
        now = time.monotonic()
        new_stage = stage != self.stage
        if new_stage:
            self.stage, self.started, self.start_done = stage, now, done
        elif now - self.last_write < PROGRESS_EVERY:
            return
        self.last_write = now
        ImportJob.objects.filter(pk=self.job.pk).update(
            stage=stage,
            files_done=done,
            counts=self.report.counts,
            seconds_left=self._left(stage, done, now),
        )

    def _left(self, stage, done, now):
        if stage == ImportJob.Stage.CHECKING or done <= self.start_done:
            return None
        rate = (now - self.started) / (done - self.start_done)
        return round(rate * max(self.job.files_total - done, 0))


def run(job_id):
    """Run the job ``job_id`` (a dry run or an import) unless it has finished already."""
    job = ImportJob.objects.filter(pk=job_id).select_related("user").first()
    if job is None or job.is_done:
        return None  # a second delivery of the task, or a job deleted meanwhile
    dry_run = job.kind == ImportJob.Kind.DRY_RUN
    if dry_run:
        delete_old_uploads()
    ImportJob.objects.filter(pk=job.pk).update(
        status=ImportJob.Status.RUNNING, started_at=timezone.now(), message=""
    )
    report = Report(dry_run=dry_run)
    progress = Progress(job, report)
    try:
        options = ImportOptions(
            draft=job.draft,
            force=job.force,
            user=job.user,
            lock_timeout=0,  # a worker never waits: the job waits on the queue instead
            progress=progress.writing,
            reading=progress.reading,
        )
        run_import(read_sources(job), options, dry_run=dry_run, report=report)
    except ImportLocked as error:
        return _locked(job, error)
    except UploadChanged as error:
        return _end(job, ImportJob.Status.FAILED, report, f"The upload: {error}")
    except Exception as error:
        logger.exception("import job %s stopped", job.pk)
        return _end(job, ImportJob.Status.FAILED, report, short_reason(error))
    if report.stopped:
        return _end(job, ImportJob.Status.FAILED, report, report.stopped)
    _end(job, ImportJob.Status.FINISHED, report)
    if not dry_run:  # kept after a failure, to try again
        delete_upload(job)
    return job.pk


def _locked(job, error):
    from .tasks import run_import_job

    if not run_import_job.get_backend().supports_defer:
        return _end(job, ImportJob.Status.FAILED, None, f"{error}.")
    ImportJob.objects.filter(pk=job.pk).update(
        status=ImportJob.Status.QUEUED,
        message=f"Another import is running: this one starts when it has finished "
        f"(it tries again every {LOCKED_RETRY} s).",
    )
    later = timezone.now() + datetime.timedelta(seconds=LOCKED_RETRY)
    run_import_job.using(run_after=later).enqueue(job.pk)
    return None


def _end(job, status, report, message=""):
    values = {"status": status, "finished_at": timezone.now(), "message": message}
    values["seconds_left"] = None
    if report is not None:
        values |= {
            "stage": ImportJob.Stage.DONE,
            "files_done": len(report.lines),
            "counts": report.counts,
            "report": report_data(report),
        }
    ImportJob.objects.filter(pk=job.pk).update(**values)
    return job.pk


def short_value(value):
    """A field's value as the report shows it, or None where it is too long to show."""
    if isinstance(value, list | tuple) and all(isinstance(item, str) for item in value):
        value = ", ".join(value)
    if value is not None and not isinstance(value, str | int | float | datetime.date):
        return None
    text = "" if value is None else str(value)
    return None if len(text) > SHORT_VALUE or "\n" in text else text


def report_data(report):
    """The report as JSON for the job page: its lines, warnings and counts, and a dry run's
    changes field by field (old and new for short values; None for both where long)."""
    data = report.as_dict()
    changes = {}
    for path, fields in report.changes.items():
        rows = []
        for name, old, new in fields:
            old_text, new_text = short_value(old), short_value(new)
            if old_text is None or new_text is None or (old is None and new is None):
                old_text = new_text = None
            rows.append([name, old_text, new_text])
        changes[path] = rows
    data["changes"] = changes
    return data


def delete_upload(job):
    """Delete a job's stored files (an import's, once it ran; a dry run's, after a day)."""
    folder = job.upload_folder
    if not folder:
        return
    for _, stored in job.files:
        default_storage.delete(stored)
    try:
        default_storage.delete(folder)  # FileSystemStorage: the empty folder
    except OSError:
        logger.warning("import upload folder %s not removed", folder)
    ImportJob.objects.filter(upload_folder=folder).update(upload_folder="")


def delete_old_uploads(limit=20):
    """Delete the uploads of jobs older than KEEP_UPLOADS, a few at a time."""
    old = ImportJob.objects.filter(created_at__lt=timezone.now() - KEEP_UPLOADS).exclude(
        upload_folder=""
    )
    for job in old.exclude(status__in=[ImportJob.Status.QUEUED, ImportJob.Status.RUNNING])[:limit]:
        if not job.applies.exclude(
            status__in=[ImportJob.Status.FINISHED, ImportJob.Status.FAILED]
        ).exists():
            delete_upload(job)
