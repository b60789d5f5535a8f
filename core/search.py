"""Site search: terms and Pulse articles, found in bounded time and ranked the same everywhere.

Three steps, each bounded whatever the size of the glossary:

0. **Names, forgivingly** (``glossary.names``): the terms whose name or synonym holds every
   query word exactly, as the start of a word, in the plural or misspelt. Held in memory per
   process, the same on every database.

1. **Candidates**: at most ``MAX_CANDIDATES`` page ids that hold every query word. On
   PostgreSQL this is our own query on the search index
   (``core.internals.postgres_candidates``): pages whose *name* holds the words first, best
   name first, then pages that hold them anywhere, in index order, each part with its own
   ``LIMIT``. Wagtail's backend ranks *every* match
   before it can return the first: with 10,000 terms sharing common words that took from
   0.1 s to (with stale planner statistics) 20 s a query. Other databases ask Wagtail's
   backend.
2. **Ranking**: the candidates' own fields, fetched in one query a page type (live and
   public in the same statement), put in the order the glossary promises: a term whose whole
   name or synonym is the query first, then every word in the name, then names matched only
   forgivingly (a start of a word, a plural, a typing mistake: fewest mistakes first), then
   every word in the key questions or synonyms, in the description or summary, anywhere;
   within a tier the shorter name first. Wagtail's SQLite backend ignores field boosts, so
   this ranking is done here for both.

When the query's own words found little and a term's name is close to it, ``Found`` carries
that term as a "Did you mean …?" suggestion.
"""

import re
import time
from contextlib import contextmanager
from dataclasses import dataclass

from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.db import OperationalError, connection, transaction
from django.db.models import BigIntegerField, BooleanField, F, Func, Q, Value

from wagtail.models import Page
from wagtail.search.utils import parse_query_string

from core.internals import postgres_candidates, public_pages

# Enough for any real glossary search (ten pages of results), bounded in cost.
MAX_CANDIDATES = 200

TIERS = (
    ("title",),
    ("key_questions", "synonyms"),
    ("description", "summary"),
)
# What ranking and the results list read: values, not model instances (a page instance costs
# about 0.1 ms to build, 20 ms for 200 candidates); bodies and raw sources stay in the database.
RESULT_FIELDS = ("pk", "title", "url_path", "search_description", "category")
NAME_MATCHES = 20  # forgiving name matches added to the candidates
FEW = 3  # fewer results than this from the query's own words: suggest a close name
# Long queries cost the search backend and never help a visitor.
MAX_QUERY_LENGTH = 200


def requested_query(request):
    """The ``q`` a visitor or API client asked for: runs of white space made one space,
    trimmed and capped. The one cleaning for the results page and the search box's
    suggestions, so both answer the same words (NUL is refused earlier: core.parameters)."""
    return " ".join(request.GET.get("q", "").split())[:MAX_QUERY_LENGTH].strip()


def url_of(url_path, request):
    """A page's URL from its ``url_path`` alone, with Wagtail's own URL logic (site roots,
    several sites) on an unsaved page: no query for the page itself."""
    return Page(url_path=url_path).get_url(request)


@dataclass
class Result:
    """One search result: what the results list shows and what ranking reads."""

    kind: str  # "glossary term", "Pulse article"
    kind_slug: str  # "term", "article": the results page's filter
    title: str
    url_path: str
    description: str
    category: str
    fields: dict
    url: str = ""

    def find_url(self, request):
        """Set ``url``: done for the results shown, not every candidate."""
        self.url = url_of(self.url_path, request)


# Words of a question that say nothing of its subject ("what is the ..."): left out of the
# query on every database (SQLite's index keeps them, PostgreSQL's English one drops them).
# fmt: off
FUNCTION_WORDS = {
    "a", "an", "and", "are", "as", "at", "be", "by", "do", "does", "for", "how", "in", "is",
    "it", "of", "on", "or", "the", "to", "what", "when", "where", "which", "who", "why",
}
# fmt: on


def _words(text):
    return set(re.findall(r"\w+", str(text).lower()))


def query_words(query):
    """The words a search looks for: function words dropped, unless they are all there is."""
    words = _words(query)
    return (words - FUNCTION_WORDS) or words


def _field_text(fields, name):
    value = fields.get(name) or ""
    if name == "key_questions":
        return " ".join(str(block.value) for block in value)
    return value


def tier(fields, words):
    """0 when every query word is in the name, 1 in the key questions, 2 in the description, 3 else.

    ``fields`` maps field names to values (``title``, ``key_questions``, ...).
    """
    for number, names in enumerate(TIERS):
        found = set().union(*(_words(_field_text(fields, name)) for name in names))
        if words <= found:
            return number
    return len(TIERS)


def searchable_models():
    from glossary.models import GlossaryTermPage
    from pulse.models import PulseArticlePage

    # Each model: the fields ranking reads, and the one shown as the result's description.
    return {
        GlossaryTermPage: (("description", "key_questions", "synonyms"), "description"),
        PulseArticlePage: (("summary",), "summary"),
    }


def backend_candidates(query, limit=MAX_CANDIDATES):
    # Parsed into Wagtail's query objects, so quotes and operators are words, never syntax.
    _filters, parsed = parse_query_string(query)
    return [page.pk for page in Page.objects.live().search(parsed)[:limit]]


def _id_in(ids):
    """``pk IN ids``: one array parameter on PostgreSQL (psycopg takes ~8 ms to split a
    statement of 200 placeholders), the plain lookup elsewhere."""
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
        from glossary.names import database_settings

        # With the name search's own settings, in the same statement (glossary.names).
        settings_ = {"statement_timeout": str(int(milliseconds)), **database_settings()}
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


@dataclass
class Found:
    """What a search found: the results, best first (at most MAX_CANDIDATES + NAME_MATCHES),
    the words to highlight in them (the query's and the names' words they stood for) and
    perhaps a close term to suggest."""

    results: list
    words: set
    suggestion: object = None  # a glossary.names.NameMatch


def find(query):
    """Live, public terms and articles matching ``query``.

    Raises ``SearchTooSlow`` when the database needed longer than the site allows."""
    from glossary.names import match_names

    words = query_words(query)
    if not words:
        return Found([], set())
    with time_limit(settings.SEARCH_TIME_LIMIT_MS):
        names = match_names(query, NAME_MATCHES, ignored=FUNCTION_WORDS, configured=True)
        results, found_by_words = _ranked(words, names)
    close = names[0] if names and not names[0].exact else None
    if close is not None and results and results[0].fields["pk"] == close.term_id:
        close = None  # "Did you mean X?" above X itself tells the visitor nothing
    return Found(
        results,
        words | {word for match in names for word in match.words},
        suggestion=close if found_by_words < FEW else None,
    )


def _ranked(words, names):
    """The results in ranking order, and how many the query's own words found."""
    models = searchable_models()
    if connection.vendor == "postgresql":
        ids = postgres_candidates(" ".join(sorted(words)), models, MAX_CANDIDATES)
    else:
        ids = backend_candidates(" ".join(sorted(words)))
    by_words = set(ids)
    ids = ids + [match.term_id for match in names if match.term_id not in by_words]
    if not ids:
        return [], 0
    position = {page_id: number for number, page_id in enumerate(ids)}
    by_name = {match.term_id: number for number, match in enumerate(names)}
    exact = {match.term_id for match in names if match.exact}
    starts = {match.term_id for match in names if match.starts}
    results = []
    for model, (fields, shown) in models.items():
        rows = public_pages(model.objects.live().filter(_id_in(ids))).values(
            *RESULT_FIELDS, *fields
        )
        for row in rows:
            results.append(
                Result(
                    kind=model._meta.verbose_name,
                    kind_slug=model.search_kind,
                    title=row["title"],
                    url_path=row["url_path"],
                    description=row["search_description"] or row[shown],
                    category=row["category"],
                    fields=row,
                )
            )

    def rank(result):
        pk = result.fields["pk"]
        level = tier(result.fields, words) if pk in by_words else len(TIERS)
        if pk in exact:
            return (0, by_name[pk], 0, 0)
        if level == 0:  # names starting with the query first, as in the suggestions
            return (1, pk not in starts, len(result.title), position[pk])
        if pk in by_name:
            return (2, by_name[pk], 0, 0)
        return (3, level, len(result.title), position[pk])

    found_by_words = sum(1 for result in results if result.fields["pk"] in by_words)
    return sorted(results, key=rank), found_by_words
