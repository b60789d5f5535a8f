"""The glossary in the formats other tools read: CSV, SKOS (Turtle) and schema.org JSON-LD.

Served at ``/glossary/download/glossary.<format>`` from the same live, public terms visitors
see. The files are built by the worker (``glossary.tasks.rebuild_downloads``), never on a
request, and written to media storage:

- **Build.** The terms are read in chunks (``.iterator(chunk_size=CHUNK_SIZE)``, related terms
  fetched per chunk) and each chunk is written to three temporary files at once, so a build
  holds one chunk of terms whatever the size of the glossary; the files are then saved to the
  default storage under a folder of their own (``downloads/<time>-<random>/glossary.csv``)
  and a ``DownloadBuild`` row pointing at them is written last: the newest row is always a
  complete build. Two builds are kept (the newest and the one before, for downloads still
  streaming); older ones are deleted, files and row.
- **Generation.** A build keeps the generation tokens (``core.page_cache``, scopes ``site`` and
  ``downloads``) read before its first row: it is *current* while they are. A change committed
  during a build moves them on, so that build is already behind and the change's own rebuild
  follows.
- **Serve.** The view streams the newest build's file (``FileResponse``) with an ETag (the
  file's SHA-256), Last-Modified (when its terms were read) and answers conditional GETs with
  304. A build that is behind is still served, marked ``X-Downloads-Build: <time>; behind``
  and ``Cache-Control: no-cache`` (no shared cache keeps it), and the request asks the queue for
  a rebuild (coalesced: a burst of requests, one build). With no build at all: 503 with
  ``Retry-After``. The front cache is purged when a build is saved.

How far behind. The files lag a change by the queue's wait plus one build
(docs/downloads-and-api.md); they say so (``behind``) and no shared cache keeps them meanwhile. A term made
private, unpublished, deleted or moved away is the exception: a build that still shows it is
never served (``withdrawn_since``: a few small queries, once per build and generation), the
request gets 503 with ``Retry-After`` until the rebuild is saved. Never stale for every edit
would mean building on a request (seconds per format at 10,000 terms); a withdrawal is the
change that must not lag, and it costs visitors a short 503 instead.

The package: ``terms`` reads the terms, ``csv``, ``skos`` and ``jsonld`` write the formats;
building, the guard against withdrawn terms and serving are here.

TBX is not offered: no maintained Python library writes TBX v3 (translate-toolkit writes
the older TBX 2 ``martif``), and a hand-written writer would be ours to keep right.
"""

import contextlib
import hashlib
import io
import logging
import os
import secrets
import tempfile
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache
from django.core.files import File
from django.core.files.storage import default_storage
from django.db import connection, transaction
from django.db.models import Count, Max
from django.utils import timezone

from core import page_cache
from core.internals import public_pages

# CSV_COLUMNS and SYNONYM_SEPARATOR: the CSV's header and separator, read here by the tests.
from .csv import CSV_COLUMNS, SYNONYM_SEPARATOR, CsvWriter  # noqa: F401
from .jsonld import JsonLdWriter
from .skos import SkosWriter
from .terms import public_terms, term_chunks

logger = logging.getLogger(__name__)

CHUNK_SIZE = 2000  # terms read, held and written at a time
FOLDER = "downloads"  # in the default storage
KEEP_BUILDS = 2  # the newest, and the one before for downloads still streaming
RETRY_AFTER = 30  # seconds, when there is no build yet (or it shows a withdrawn term)
HIDDEN_LIMIT = 10_000  # drafts and private terms a build remembers (``_guard``)
WITHDRAWN_PREFIX = "downloads:withdrawn:"


@dataclass(frozen=True)
class Format:
    content_type: str
    writer: type


FORMATS = {
    "csv": Format("text/csv; charset=utf-8", CsvWriter),
    "ttl": Format("text/turtle; charset=utf-8", SkosWriter),
    "jsonld": Format("application/ld+json; charset=utf-8", JsonLdWriter),
}


# --- builds ---------------------------------------------------------------------------------------


def _tokens():
    return page_cache.current_tokens([page_cache.SITE, page_cache.DOWNLOADS])


def _live_index():
    from ..models import GlossaryIndexPage

    return public_pages(GlossaryIndexPage.objects.live()).first()


def newest_build():
    from ..models import DownloadBuild

    return DownloadBuild.objects.order_by("-started_at", "-pk").first()


def _files_exist(build):
    return all(default_storage.exists(entry["name"]) for entry in build.files.values())


def write_files(index, folder, chunk_size=None):
    """Write every format of the glossary under ``index`` to storage under ``folder``, reading
    the terms once for all of them; (number of terms, {format: file entry})."""
    url = index.get_full_url()  # the Site's address: a term's IRI never depends on a request
    with contextlib.ExitStack() as stack:
        raw = {name: stack.enter_context(tempfile.TemporaryFile()) for name in FORMATS}
        texts = {
            name: io.TextIOWrapper(raw[name], encoding="utf-8", newline="") for name in FORMATS
        }
        writers = {name: FORMATS[name].writer(texts[name], url, index.title) for name in FORMATS}
        count = 0
        for chunk in term_chunks(index, url, chunk_size or CHUNK_SIZE):
            count += len(chunk)
            for writer in writers.values():
                writer.write(chunk)
        files = {}
        for name, writer in writers.items():
            writer.finish()
            texts[name].detach()  # flushed; the binary file stays open
            handle = raw[name]
            size = handle.tell()
            handle.seek(0)
            digest = hashlib.file_digest(handle, "sha256").hexdigest()
            handle.seek(0)
            stored = default_storage.save(f"{folder}/glossary.{name}", File(handle))
            files[name] = {"name": stored, "size": size, "sha256": digest}
        return count, files


def rebuild(chunk_size=None):
    """Build every format unless the newest build is current (the worker's task: idempotent).
    Returns the build now newest. Without a live, public glossary the build has no files (the
    view answers 404) and the older builds' files are deleted at once."""
    from ..models import DownloadBuild

    tokens = _tokens()  # before any term is read: a change from now on makes this build behind
    newest = newest_build()
    if newest is not None and newest.tokens == tokens and _files_exist(newest):
        return newest
    started = timezone.now()
    folder = f"{FOLDER}/{started:%Y%m%dT%H%M%S}-{secrets.token_hex(6)}"
    try:
        with _snapshot():
            index = _live_index()
            guard = _guard(index) if index is not None else None
            count, files = write_files(index, folder, chunk_size) if index else (0, {})
        build = DownloadBuild.objects.create(
            folder=folder,
            tokens=tokens,
            started_at=started,
            finished_at=timezone.now(),
            term_count=count,
            files=files,
            guard=guard,
        )
    except BaseException:
        _delete_folder(folder)
        raise
    logger.info("Built the downloads: %s terms in %s", count, folder)
    prune(keep=KEEP_BUILDS if files else 1)
    _purge_front_cache()
    return build


@contextlib.contextmanager
def _snapshot():
    """On PostgreSQL, every read of a build in one REPEATABLE READ transaction: the rows, each
    chunk's related terms and the guard see the same moment. SQLite (development) reads as it
    goes: a transaction there would hold writers off for the whole build."""
    if connection.vendor != "postgresql" or connection.in_atomic_block:
        yield
        return
    with transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")
        yield


# --- a term that left public view ---------------------------------------------------------------


def _guard(index):
    """What ``withdrawn_since`` compares with: the terms under ``index`` now (any state), the
    highest id among them, and the ids of those not public (drafts, private), up to
    ``HIDDEN_LIMIT`` (None past it: every later change then counts as a withdrawal)."""
    from ..models import GlossaryTermPage

    under = GlossaryTermPage.objects.child_of(index)
    totals = under.aggregate(top=Max("pk"), count=Count("pk"))
    hidden = list(
        under.exclude(pk__in=public_terms(index).values("pk")).values_list("pk", flat=True)[
            : HIDDEN_LIMIT + 1
        ]
    )
    return {
        "index": index.pk,
        "top": totals["top"] or 0,
        "count": totals["count"],
        "hidden": hidden if len(hidden) <= HIDDEN_LIMIT else None,
    }


def withdrawn_since(build):
    """Whether a term in ``build``'s files may have left public view (unpublished, made
    private, deleted, moved away, or the glossary itself) since its terms were read.

    A term in the files had an id up to ``top`` and was not hidden then. It has left if it is
    hidden now (and was not then), or if fewer terms up to ``top`` remain under the index. A
    term moved in from elsewhere could hide a deletion from the count: moves of terms out of
    the glossary are rare, and the rebuild follows either way. Three small queries, asked once
    per build and generation (the answer is cached)."""
    from wagtail.models import Page

    from ..models import GlossaryTermPage

    guard = build.guard
    if not build.files:
        return False  # no glossary in it: nothing to withdraw
    if guard is None or guard["hidden"] is None:
        return True
    key = f"{WITHDRAWN_PREFIX}{build.pk}:" + ":".join(sorted(_tokens().values()))
    answer = cache.get(key)
    if answer is None:
        index = public_pages(Page.objects.filter(pk=guard["index"], live=True)).first()
        if index is None:
            answer = True
        else:
            under = GlossaryTermPage.objects.child_of(index).filter(pk__lte=guard["top"])
            answer = under.count() < guard["count"] or (
                under.exclude(pk__in=guard["hidden"])
                .exclude(pk__in=public_terms(index).values("pk"))
                .exists()
            )
        cache.set(key, answer, timeout=page_cache.entry_timeout())
    return answer


def prune(keep=KEEP_BUILDS):
    """Delete every build but the ``keep`` newest, files first."""
    from ..models import DownloadBuild

    old = DownloadBuild.objects.order_by("-started_at", "-pk")[keep:]
    for build in list(old):
        _delete_folder(build.folder, build.files)
        build.delete()


def _delete_folder(folder, files=None):
    names = [entry["name"] for entry in files.values()] if files else []
    if not names:
        with contextlib.suppress(FileNotFoundError, NotImplementedError):
            names = [f"{folder}/{name}" for name in default_storage.listdir(folder)[1]]
    for name in names:
        default_storage.delete(name)
    # A file system leaves the empty folder behind; object stores have no folders.
    with contextlib.suppress(NotImplementedError, OSError):
        os.rmdir(default_storage.path(folder))


def _purge_front_cache():
    """The front cache may hold a file that was behind (served with no-cache, but a client
    may have stored it): the download URLs are purged once the new files are in place."""
    from core.frontend import purge

    transaction.on_commit(lambda: purge(scopes={page_cache.DOWNLOADS}, page_ids=set()))


# --- serving --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Served:
    build: object  # DownloadBuild
    behind: bool  # a change since its terms were read: a rebuild is on the queue
    withdrawn: bool = False  # and a term in it has left public view: not to be served

    def entry(self, format):
        return self.build.files.get(format)

    def open(self, format):
        return default_storage.open(self.entry(format)["name"], "rb")


def ask_for_rebuild():
    """A request found the files behind (or none): ask the queue, coalesced, at once (the
    request has no change of its own to commit). ``DOWNLOADS_REBUILD = "off"`` asks too:
    it only stops changes from asking."""
    from core import queue

    from .. import tasks

    queue.enqueue_coalesced_now(tasks.rebuild_downloads)


def served():
    """The newest complete build, whether it is behind and whether a term in it has left
    public view since; None when there is none. Never builds here: a build that is behind (or
    missing) is asked of the queue and the newest one is served meanwhile (with the immediate
    backend, as in tests, the queue has built it by the time ``enqueue`` returns, so the newest
    build is read again)."""
    build = newest_build()
    tokens = _tokens()
    if build is not None and build.tokens == tokens:
        return Served(build, behind=False)
    ask_for_rebuild()
    build = newest_build()
    if build is None:
        return None
    if build.tokens == tokens:
        return Served(build, behind=False)
    return Served(build, behind=True, withdrawn=withdrawn_since(build))


def rebuild_after_commit():
    """Called by ``glossary.effects`` when terms changed. ``DOWNLOADS_REBUILD``: "task" (the
    default) has the worker build every format after the change commits (coalesced: many
    changes, one build), "inline" builds at commit in this process (tests), "off" leaves it
    to the first request that finds the files behind (it asks the queue)."""
    from core import queue

    from .. import tasks

    mode = getattr(settings, "DOWNLOADS_REBUILD", "task")
    if mode == "task":
        queue.enqueue_coalesced(tasks.rebuild_downloads)
    elif mode == "inline":
        transaction.on_commit(rebuild)
