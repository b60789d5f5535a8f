"""The one dispatcher of content events: what follows a change, decided by the apps.

Every content change reaches here as an event (``send``): Wagtail's and Django's signals
(``core.signals``) and the importer (``IMPORTED``, and ``EVERYTHING`` when it recovers a run
that was killed; ``SITE_CHANGED`` when a Site's address changes: it is in every absolute
URL). The apps register handlers in their ``AppConfig.ready`` (``connect``); a
handler is given the ``Changes`` being collected and adds what the change touches: pages,
cache scopes (declared in ``core.dependencies``), addresses pages left, or anything of its own
(``changes.note``) that its ``on_finish`` handler turns into pages and scopes at the end.
The core knows no feature app: ``glossary.effects`` registers the terms' effects,
``pulse.effects`` the articles'.

Inside ``batch()`` (the importer uses it) events are collected and what follows runs once,
when the outermost batch ends: importing 1,000 records recomputes the glossary's derived
state once, not 1,000 times. Outside one, each event is finished at once.

Finishing a batch, in the change's transaction: the ``on_finish`` handlers (which may enqueue
coalesced tasks for derived state), then ``page_cache.invalidate`` of every page and scope
touched (at once for this process and again after commit), then the ``after`` callbacks (work
that must read the new tokens, such as the downloads' rebuild). The front cache's purge and
the re-rendering of the stale pages follow as tasks (``core.refresh``).

A page event no handler claims (the home page, an index: shown in every page's navigation or
lists) touches everything, as does a change of who may see a page (``RESTRICTION_CHANGED``).
"""

import threading
from collections import defaultdict
from contextlib import contextmanager
from dataclasses import dataclass, field

from . import page_cache

# Events and their arguments (keyword arguments of ``send``):
PAGE_CHANGED = "page changed"  # page: published, unpublished, created live, deleted or moved
PAGE_MOVED = "page moved"  # page, url_path_before: a move (PAGE_CHANGED is sent too)
PAGE_RENAMED = "page renamed"  # page, url_path_before: a new slug
SNIPPET_CHANGED = "snippet changed"  # instance, deleted: a snippet saved or about to be deleted
IMAGE_CHANGED = "image changed"  # image, deleted: uploaded, replaced, edited, or being deleted
RESTRICTION_CHANGED = "restriction changed"  # restriction: who may see a page changed
IMPORTED = "imported"  # pages: pages the importer created or updated (specific instances)
SITE_CHANGED = "site changed"  # site: its address or root changed (every absolute URL)
EVERYTHING = "everything"  # nothing: every page and all derived state, anew
EVENTS = (
    PAGE_CHANGED,
    PAGE_MOVED,
    PAGE_RENAMED,
    SNIPPET_CHANGED,
    IMAGE_CHANGED,
    RESTRICTION_CHANGED,
    IMPORTED,
    SITE_CHANGED,
    EVERYTHING,
)


@dataclass
class Changes:
    """What the events of one batch touched."""

    pages: set = field(default_factory=set)
    scopes: set = field(default_factory=set)
    url_paths: set = field(default_factory=set)
    everything: bool = False
    notes: dict = field(default_factory=lambda: defaultdict(set))
    after: list = field(default_factory=list)

    def touch(self, pages=(), scopes=(), url_paths=()):
        """Pages (ids) whose own responses changed, shared scopes, addresses pages left."""
        self.pages.update(pages)
        self.scopes.update(scopes)
        self.url_paths.update(url_paths)

    def touch_everything(self):
        self.everything = True

    def note(self, key, values):
        """Collect ``values`` under an app's own ``key`` for its ``on_finish`` handler."""
        self.notes[key].update(values)


_receivers = defaultdict(list)
_finishers = []
_everything_handlers = []
_state = threading.local()


def connect(event, handler):
    """Call ``handler(changes, **arguments)`` for every ``event``. For page events a handler
    returns True when the page is of a type it owns (see ``send``). Idempotent."""
    if event not in EVENTS:
        raise ValueError(f"No such event: {event!r}")
    if handler not in _receivers[event]:
        _receivers[event].append(handler)


def on_finish(handler):
    """Call ``handler(changes)`` when a batch ends, before the page cache is invalidated."""
    if handler not in _finishers:
        _finishers.append(handler)


def on_everything(handler):
    """Call ``handler()`` when a batch touches every page (the ``site`` scope): for what an
    app keeps of the site's shape, such as the sections' addresses (``home.navigation``)."""
    if handler not in _everything_handlers:
        _everything_handlers.append(handler)


@contextmanager
def batch():
    """Collect events and finish them once, when the outermost batch ends."""
    outer = getattr(_state, "changes", None) is None
    if outer:
        _state.changes = Changes()
    try:
        yield
    finally:
        if outer:
            changes, _state.changes = _state.changes, None
            _finish(changes)


def send(event, **arguments):
    """Hand ``event`` to its handlers; finish it now unless a batch is collecting."""
    if event not in EVENTS:
        raise ValueError(f"No such event: {event!r}")
    changes = getattr(_state, "changes", None)
    collecting = changes is not None
    if not collecting:
        changes = Changes()
    claimed = [handler(changes, **arguments) for handler in _receivers[event]]
    if event == PAGE_CHANGED and not any(claimed):
        changes.touch_everything()  # the home page or an index: every page shows it
    if event in (RESTRICTION_CHANGED, EVERYTHING):
        changes.touch_everything()
    if event == SITE_CHANGED:
        # Every response holds the address; no content changed, so nothing is recomputed.
        changes.touch(scopes={page_cache.SITE})
    if event in (PAGE_MOVED, PAGE_RENAMED):
        changes.touch(url_paths=[arguments["url_path_before"]])
    if not collecting:
        _finish(changes)


def _finish(changes):
    for finisher in _finishers:
        finisher(changes)  # may find the change touches everything (a large import)
    if changes.everything or page_cache.SITE in changes.scopes:
        for handler in _everything_handlers:
            handler()
        page_cache.invalidate(scopes={page_cache.SITE}, url_paths=changes.url_paths)
    elif changes.pages or changes.scopes:
        page_cache.invalidate(
            scopes=changes.scopes | {page_cache.API},
            pages=changes.pages,
            url_paths=changes.url_paths,
        )
    elif changes.url_paths:
        page_cache.invalidate(url_paths=changes.url_paths)
    for callback in changes.after:
        callback()
