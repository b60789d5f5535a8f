"""The database's part of a search: candidate pages, fetched within a time limit.

**Candidates**: at most ``MAX_CANDIDATES`` page ids that hold every query word. On PostgreSQL
this is our own query on the search index (``core.internals.postgres_candidates``): pages
whose *name* holds the words first, best name first, then pages that hold them anywhere, in
index order, each part with its own ``LIMIT``. Wagtail's backend ranks *every* match before
it can return the first, so with many terms sharing common words its time grows with the
glossary, and much more with stale planner statistics (``bench/RESULTS.md``). Other databases
ask Wagtail's backend.

**Time limit**: the database stops a search that takes longer than the site allows
(``SEARCH_TIME_LIMIT_MS``), which the views answer with a 503.
"""

import time
from contextlib import contextmanager

from django.contrib.postgres.fields import ArrayField
from django.db import OperationalError, connection, transaction
from django.db.models import BigIntegerField, BooleanField, F, Func, Q, Value

from wagtail.models import Page
from wagtail.search.utils import parse_query_string

from core import searchables
from core.internals import postgres_candidates

# Enough for any real glossary search (ten pages of results), bounded in cost.
MAX_CANDIDATES = 200


def candidate_ids(words, models):
    """Ids of live pages of ``models`` holding every one of ``words``, names first."""
    query = " ".join(sorted(words))
    if connection.vendor == "postgresql":
        return postgres_candidates(query, models, MAX_CANDIDATES)
    return backend_candidates(query)


def backend_candidates(query, limit=MAX_CANDIDATES):
    # Parsed into Wagtail's query objects, so quotes and operators are words, never syntax.
    _filters, parsed = parse_query_string(query)
    return [page.pk for page in Page.objects.live().search(parsed)[:limit]]


def id_in(ids):
    """``pk IN ids``: one array parameter on PostgreSQL (psycopg is slow to split a statement
    of hundreds of placeholders), the plain lookup elsewhere."""
    if connection.vendor == "postgresql":
        array = Value(ids, output_field=ArrayField(BigIntegerField()))
        return Func(
            F("pk"),
            array,
            template="%(expressions)s)",
            arg_joiner=" = ANY(",
            output_field=BooleanField(),
        )
    return Q(pk__in=ids)


class SearchTooSlow(Exception):
    """The database gave up on a search that took longer than ``SEARCH_TIME_LIMIT_MS``."""


@contextmanager
def time_limit(milliseconds):
    """Stop the database's work on a search after ``milliseconds``: a statement timeout on
    PostgreSQL (in a transaction of its own), a progress handler on SQLite."""
    if connection.vendor == "postgresql":
        # With the name matchers' own settings, in the same statement (core.searchables).
        settings_ = {"statement_timeout": str(int(milliseconds)), **searchables.database_settings()}
        try:
            with transaction.atomic():
                with connection.cursor() as cursor:
                    cursor.execute(
                        "SELECT " + ", ".join(["set_config(%s, %s, true)"] * len(settings_)),
                        [part for item in settings_.items() for part in item],
                    )
                yield
        except OperationalError as error:
            if getattr(error.__cause__, "sqlstate", None) == "57014":  # query_canceled
                raise SearchTooSlow from error
            raise
    elif connection.vendor == "sqlite":
        connection.ensure_connection()
        deadline = time.monotonic() + milliseconds / 1000
        raw = connection.connection
        raw.set_progress_handler(lambda: int(time.monotonic() > deadline), 10_000)
        try:
            yield
        except OperationalError as error:
            if "interrupted" in str(error):
                raise SearchTooSlow from error
            raise
        finally:
            raw.set_progress_handler(None, 0)
    else:
        yield
