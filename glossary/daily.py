"""The term of the day (issue 25): one live, public, current term per calendar day.

Which term: the one editors scheduled for the date (``TermOfTheDay``) while it is live, public
and current; otherwise a deterministic pick, a stable hash of the ISO date (hashlib: Python's
``hash()`` differs between processes) modulo the number of reviewed terms, ordered by id
(all current terms when none is reviewed yet). Counting and numbering the rows in the database
costs two queries whatever the glossary's size, and never loads every id.

The same all day, in every process: the pick is remembered in the shared cache keyed by the
date alone, so a term published at noon does not shift the day's choice. It is forgotten only
when it became wrong (its term unpublished, made private, deprecated or deleted; a schedule
for its date saved or deleted), by the handlers ``register`` connects to the dispatcher.

What shows it (the home page, the feeds) depends on the ``daily`` scope, whose token carries
the local date (``dated``): those pages render afresh after midnight with no write at all,
and ``tasks.roll_over_day`` purges and warms them just after midnight.
"""

import datetime
import hashlib
from dataclasses import dataclass

from django.core.cache import cache
from django.db import transaction
from django.db.models import F, Window
from django.db.models.functions import RowNumber
from django.utils import timezone

from core import dependencies, events
from core.internals import public_pages

DAILY = "daily"
FEED_DAYS = 30  # the feeds' entries: today and the 29 days before
PICK_PREFIX = "glossary:term-of-the-day:"
REMEMBER_PICKS = (FEED_DAYS + 10) * 24 * 60 * 60  # a past day's pick stays as the feeds said
TERM_FIELDS = ("id", "title", "url_path", "description", "category")


@dataclass
class Day:
    date: datetime.date
    term: object  # a GlossaryTermPage with TERM_FIELDS loaded
    note: str = ""


def register():
    """Called by ``GlossaryConfig.ready``: the scope, the handlers and the roll-over task."""
    from core.tasks import register_periodic

    from . import tasks

    dependencies.declare(
        DAILY,
        routes=["term_of_the_day_feed", "term_of_the_day_feed_atom"],
        dated=True,
        help="The term of the day: its feeds and the pages that show it (the home page).",
    )
    events.connect(events.SNIPPET_CHANGED, _schedule_changed)
    events.on_finish(_terms_changed)
    register_periodic(tasks.roll_over_day)


def schedulable_terms():
    """Terms that may be the term of the day: live, public and current."""
    from .models import GlossaryTermPage, TermStatus

    return public_pages(GlossaryTermPage.objects.live()).filter(status=TermStatus.CURRENT)


def day_number(date):
    """A large whole number for ``date``, the same in every process and release."""
    return int.from_bytes(hashlib.sha256(date.isoformat().encode()).digest()[:8], "big")


def today():
    return timezone.localdate()


def term_of_the_day(date=None):
    """The ``Day`` of ``date`` (today by default), or None when no term can be chosen."""
    date = date or today()
    return days([date]).get(date)


def recent_days(count=FEED_DAYS, until=None):
    """The ``Day`` of the last ``count`` dates up to ``until`` (today), the latest first."""
    last = until or today()
    dates = [last - datetime.timedelta(days=offset) for offset in range(count)]
    found = days(dates)
    return [found[date] for date in dates if date in found]


def days(dates, retry=True):
    """{date: Day} for ``dates``: remembered picks, others picked and remembered; one query
    for the terms when every pick is remembered."""
    picks = _remembered(dates)
    missing = [date for date in dates if date not in picks]
    if missing:
        for date, pick in _pick(missing).items():
            # The first process to remember a day's pick wins; the others read its pick.
            cache.add(_key(date), pick, timeout=REMEMBER_PICKS)
        picks.update(_remembered(missing))
    terms = schedulable_terms().only(*TERM_FIELDS).in_bulk({pick[0] for pick in picks.values()})
    stale = [date for date, pick in picks.items() if pick[0] not in terms]
    if stale and retry:
        # Remembered by a process that read before a change committed: picked once more.
        forget(stale)
        return days(dates, retry=False)
    return {
        date: Day(date, terms[pick[0]], pick[1]) for date, pick in picks.items() if pick[0] in terms
    }


def _key(date):
    return PICK_PREFIX + date.isoformat()


def _remembered(dates):
    found = cache.get_many([_key(date) for date in dates])
    return {date: found[_key(date)] for date in dates if _key(date) in found}


def _pick(dates):
    """{date: (term id, note)}: the schedule where it stands, else the stable hash's term."""
    from .models import TermOfTheDay

    picks = {
        date: (term_id, note)
        for date, term_id, note in TermOfTheDay.objects.filter(
            date__in=dates, term__in=schedulable_terms()
        ).values_list("date", "term_id", "note")
    }
    rest = [date for date in dates if date not in picks]
    if not rest:
        return picks
    pool = schedulable_terms().filter(reviewed_at__isnull=False)
    size = pool.count()
    if not size:  # a new glossary: nothing reviewed yet
        pool = schedulable_terms()
        size = pool.count()
    if not size:
        return picks
    positions = {date: day_number(date) % size + 1 for date in rest}
    numbered = dict(
        pool.annotate(position=Window(RowNumber(), order_by=F("pk").asc()))
        .filter(position__in=set(positions.values()))
        .values_list("position", "pk")
    )
    picks.update({date: (numbered[p], "") for date, p in positions.items() if p in numbered})
    return picks


def forget(dates):
    """Forget the picks of ``dates`` now and again when the change commits (another process
    may pick from the database before it sees the change)."""
    keys = [_key(date) for date in dates if date]
    if keys:
        cache.delete_many(keys)
        transaction.on_commit(lambda: cache.delete_many(keys))


def showing_page_ids():
    """The live pages whose type shows the term of the day (``cache_depends_on`` names
    ``daily``): the home page. A front cache knows pages by id, not by scope."""
    from wagtail.models import get_page_models

    showing = [
        model for model in get_page_models() if DAILY in getattr(model, "cache_depends_on", ())
    ]
    return [pk for model in showing for pk in model.objects.live().values_list("pk", flat=True)]


def _schedule_changed(changes, instance, deleted):
    from .models import TermOfTheDay

    if not isinstance(instance, TermOfTheDay):
        return False
    forget({instance.date, getattr(instance, "loaded_date", None)})
    # The pages too, not only the scope: Varnish or a CDN purges and the warmer renders them.
    changes.touch(scopes={DAILY}, pages=showing_page_ids())
    return True


def _terms_changed(changes):
    """Terms changed (``glossary.effects`` noted them): the pages showing the term of the day
    render afresh, and a remembered pick whose term may no longer be chosen is forgotten."""
    from .effects import TERMS

    terms = changes.notes.get(TERMS)
    if not (terms or changes.everything):
        return
    changes.touch(scopes={DAILY})
    dates = [today() - datetime.timedelta(days=offset) for offset in range(-1, FEED_DAYS + 10)]
    picks = {
        date: pick[0]
        for date, pick in _remembered(dates).items()
        if changes.everything or pick[0] in terms
    }
    if picks:
        allowed = set(
            schedulable_terms().filter(pk__in=set(picks.values())).values_list("pk", flat=True)
        )
        forget([date for date, term_id in picks.items() if term_id not in allowed])
