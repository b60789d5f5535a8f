"""The import in one call: read -> plan -> apply, used by the command, the admin and tests."""

import contextlib
import logging
from contextlib import nullcontext
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from wagtail.models import Page

from core import events

from .applying import Writer
from .bulk import BATCH_SIZE, refresh_planner_statistics
from .errors import ApplyError, short_reason
from .kinds import KINDS, kind_of, write_order
from .locking import COMMAND_TIMEOUT, import_lock
from .models import ImportedRecord, ImportRun
from .planning import current_values, plan
from .reading import load_sources, read_all
from .report import Report
from .schema import field_line
from .verbs import CREATE, FAILED, SKIP, UNCHANGED, UPDATE

logger = logging.getLogger("importer")

ROLLED_BACK = "rolled back: --strict and another file failed"


def _label(record):
    return kind_of(record).label(record)


class StrictAbort(Exception):
    pass


@dataclass
class ImportOptions:
    """How an import runs (everything but what it reads and the report it fills).

    ``user`` (an admin upload's) is recorded on every revision and log entry it writes. An
    import waits ``lock_timeout`` seconds for one that is running (0: not at all), then raises
    ImportLocked. ``progress(done, total)`` is called as records are written, ``reading(done,
    total)`` as files are read.
    """

    draft: bool = False
    force: bool = False
    strict: bool = False
    images_dir: object = None
    progress: object = None
    reading: object = None
    user: object = None
    lock_timeout: float = COMMAND_TIMEOUT


def run_import(sources, options=None, *, dry_run=False, report=None, **keywords):
    """Import ``sources`` (paths, or (name, bytes) pairs), log and return a Report.

    ``options`` is an ImportOptions, or its fields are given as keywords; both is a TypeError
    (the keywords would be ignored). A dry run only reads and takes no lock. ``report``, a
    Report to fill, lets a caller (the admin's import job) read the counts so far.
    """
    if options is None:
        options = ImportOptions(**keywords)
    elif keywords:
        raise TypeError(
            "run_import() takes an ImportOptions or its fields as keywords, not both "
            f"(got options and {', '.join(sorted(keywords))})"
        )
    if report is None:
        report = Report(dry_run=dry_run)
    report.dry_run = dry_run
    _import_into(report, sources, options)
    report.log(options.user)
    return report


def _import_into(report, sources, options):
    """Fill ``report`` with what importing ``sources`` does (``report.dry_run``: would do)."""
    dry_run, strict = report.dry_run, options.strict
    sources = load_sources(sources)
    names = {source.name for source in sources}
    imported = {
        path: (digest, kind, key)
        for path, digest, kind, key in ImportedRecord.objects.values_list(
            "source_path", "file_sha256", "kind", "key"
        )
        if path in names
    }
    read = read_all(_counted(sources, options.reading), imported)
    for name, kind, key in read.unchanged:
        report.add(UNCHANGED, name, f"{kind} {key!r}")
    for error in read.errors:
        report.add(FAILED, error.path, f"line {error.line}", error.message, line=error.line)
    for record in read.records:
        for message, kind in kind_of(record).warnings(record):
            report.warn(record.path, message, kind)
    if strict and read.errors:
        return

    records = sorted(read.records, key=write_order)
    if dry_run:
        actions = plan(records, force=options.force, images_dir=options.images_dir)
        for action in actions:
            _report_planned(report, action)
        for kind in KINDS.values():
            kind.note_missing_planned(report, records)
        return
    with import_lock(timeout=options.lock_timeout):
        actions = plan(records, force=options.force, images_dir=options.images_dir)
        if strict and any(action.verb == FAILED for action in actions):
            # All or nothing, as if written and rolled back: nothing is written.
            for action in actions:
                if action.verb in (CREATE, UPDATE):
                    action.verb, action.reason = FAILED, ROLLED_BACK
                _report_planned(report, action)
            return
        _write(report, records, actions, names, options)


def _write(report, records, actions, names, options):
    """Carry out ``actions`` under the import lock, as one ImportRun."""
    # Under the lock, a run still "running" was killed; one that "failed" may have written
    # batches before its error. This run finishes what either left (letters, related
    # terms, caches).
    killed = ImportRun.objects.filter(
        status__in=[ImportRun.Status.RUNNING, ImportRun.Status.FAILED]
    )
    recovering = killed.exists()
    user = options.user
    run = ImportRun.objects.create(user=user if getattr(user, "pk", None) else None)
    try:
        writer = Writer(
            report, records, images_dir=options.images_dir, draft=options.draft, user=user
        )
        with contextlib.ExitStack() as checked:
            # Links between records were checked against the state the run leaves
            # (``RecordKind.run_problems``); the models' own checks of them, against the
            # database halfway through the run, are off while it writes.
            for kind in KINDS.values():
                checked.enter_context(kind.links_checked_by_run())
            _apply_plan(writer, actions, report, options.strict, options.progress, recovering)
        for kind in KINDS.values():
            kind.note_missing(report, names)
    except Exception as error:
        # Unexpected (a lost connection, a full disk): the run says so, the log has the
        # traceback, and the report a line, never a traceback for the one who imported.
        logger.exception("import stopped", extra={"dry_run": False})
        report.stopped = short_reason(error)
        status = ImportRun.Status.FAILED
        if options.strict:  # its one transaction was rolled back
            for line in report.lines:
                if line.verb in (CREATE, UPDATE):
                    line.verb, line.detail = FAILED, f"rolled back: {report.stopped}"
    except BaseException:
        _end_run(run, ImportRun.Status.FAILED, report)  # interrupted (Ctrl-C): not "running"
        raise
    else:
        status = ImportRun.Status.FINISHED
        killed.exclude(pk=run.pk).update(
            status=ImportRun.Status.INTERRUPTED, finished_at=timezone.now()
        )
    _end_run(run, status, report)


def _counted(sources, reading):
    """``sources``, calling ``reading(done, total)`` as each is taken (read_all reads in order)."""
    if reading is None:
        return sources
    total = len(sources)

    def counted():
        for done, source in enumerate(sources, start=1):
            yield source
            reading(done, total)

    return counted()


def _end_run(run, status, report):
    run.status, run.finished_at, run.counts = status, timezone.now(), report.counts
    run.save(update_fields=["status", "finished_at", "counts"])


def _report_planned(report, action):
    detail = ", ".join(action.changed) if action.verb == UPDATE else action.reason
    if action.verb == UPDATE and report.dry_run:
        report.changes[action.record.path] = _field_changes(action)
    page_id = action.page.pk if action.page is not None else None
    report.add(
        action.verb,
        action.record.path,
        _label(action.record),
        detail,
        line=action.line,
        page_id=page_id,
    )


def _apply_plan(writer, actions, report, strict, progress, recovering):
    # Each batch and record reports the pages it wrote to the dispatcher (``_written``); what
    # follows (related terms, links, caches of exactly those pages and the lists) runs once,
    # when the batch ends.
    with events.batch():
        try:
            with transaction.atomic() if strict else nullcontext():
                _apply_all(writer, actions, report, strict, progress)
                writer.finish()
        except StrictAbort:
            for line in report.lines:
                if line.verb in (CREATE, UPDATE):
                    line.verb, line.detail = FAILED, ROLLED_BACK
        if recovering:
            # What a killed or failed run wrote is not known page by page: everything anew.
            events.send(events.EVERYTHING)
    refresh_planner_statistics(report.counts[CREATE])


def _written(writer, pages=(), kind=None, keys=()):
    """Tell the dispatcher which pages were just published: ``pages``, or those of records
    ``kind``/``keys`` (a batch of new pages, known by their source records). Drafts change
    nothing visitors see."""
    if writer.draft:
        return
    pages = list(pages)
    if keys:
        page_ids = ImportedRecord.objects.filter(kind=kind, key__in=keys).values_list(
            "page_id", flat=True
        )
        pages += Page.objects.filter(pk__in=page_ids).specific(defer=True)
    if pages:
        events.send(events.IMPORTED, pages=pages)


def _apply_all(writer, actions, report, strict, progress):
    done = 0
    creates = [action for action in actions if action.verb == CREATE]
    for kind in KINDS:
        batch_source = [action for action in creates if action.record.kind == kind]
        for start in range(0, len(batch_source), BATCH_SIZE):
            batch = batch_source[start : start + BATCH_SIZE]
            _create_batch(writer, batch, report, strict)
            done += len(batch)
            if progress:
                progress(done, len(actions))
    for action in actions:
        if action.verb == CREATE:
            continue
        _apply_one(writer, action, report, strict)
        done += 1
        if progress:
            progress(done, len(actions))


def _field_changes(action):
    """(field, current value, value from the file) for each field an update changes; None for
    both values where the change is to related rows (cards, images) rather than a field."""
    wanted = kind_of(action.record).page_values(action.record)
    names = [name for name in action.changed if name in wanted]
    current = current_values(action.page, names)
    return [
        (name, current[name], wanted[name]) if name in wanted else (name, None, None)
        for name in action.changed
        if name != "source"
    ]


def _create_batch(writer, batch, report, strict):
    try:
        with writer.savepoint():
            failed = writer.create_batch(batch)
    except Exception as error:  # noqa: BLE001 - isolate an unexpected error record by record
        report.warn(
            batch[0].record.path,
            f"batch of {len(batch)} written one by one after: {short_reason(error)}",
            "batch written one by one",
        )
        for action in batch:
            _apply_one(writer, action, report, strict)
        return
    failed_actions = {id(action): reason for action, reason in failed}
    _written(
        writer,
        kind=batch[0].record.kind,
        keys=[action.record.key for action in batch if id(action) not in failed_actions],
    )
    for action in batch:
        reason = failed_actions.get(id(action))
        if reason is None:
            report.add(CREATE, action.record.path, _label(action.record))
        else:
            line = field_line(action.record, *kind_of(action.record).source_keys("slug"))
            report.add(FAILED, action.record.path, _label(action.record), reason, line=line)
    if failed and strict:
        raise StrictAbort


def _apply_one(writer, action, report, strict):
    record = action.record
    if action.verb == FAILED:
        _report_planned(report, action)
        return
    if action.verb in (UNCHANGED, SKIP):
        if action.source_moved:
            _record_source(action)
        report.add(action.verb, record.path, _label(record), action.reason)
        return
    try:
        with writer.savepoint():
            page = writer.apply(action)
            _written(writer, pages=[page] if page is not None else [])
    except Exception as error:  # noqa: BLE001 - one record's failure, whatever it is, is its own
        if not isinstance(error, ApplyError):
            logger.warning("import: %s failed", record.path, exc_info=True)
        line = error.line if isinstance(error, ApplyError) else 1
        report.add(FAILED, record.path, _label(record), short_reason(error), line=line)
        if strict:
            raise StrictAbort from error
        return
    detail = ", ".join(action.changed) if action.verb == UPDATE else ""
    report.add(action.verb, record.path, _label(record), detail)


def _record_source(action):
    """Remember where an unchanged record's file now is (and, adopting a page, that the
    page's revision is the import's) without touching the page."""
    record = action.record
    values = {"file_sha256": record.digest, "source_path": record.path, "source_bytes": record.raw}
    if action.adopt:
        values |= {
            "source_sha256": record.fingerprint(),
            "revision_id": action.page.latest_revision_id,
        }
    if action.imported is None:
        ImportedRecord.objects.create(kind=record.kind, key=record.key, page=action.page, **values)
    else:
        ImportedRecord.objects.filter(pk=action.imported.pk).update(**values)
