"""Site search: the registered page types (``core.searchables``), found in bounded time and
ranked the same everywhere.

Three steps, each bounded whatever the size of the glossary:

0. **Names, forgivingly** (the registered name matchers: the glossary's terms): the pages
   whose name or synonym holds every query word exactly, as the start of a word, in the
   plural or misspelt.
1. **Candidates** (``search.candidates``): at most ``MAX_CANDIDATES`` page ids that hold every
   query word, names first.
2. **Ranking**: the candidates' own fields, fetched in one query a page type (live and
   public in the same statement), put in the order the glossary promises: a term whose whole
   name or synonym is the query first, then every word in the name, then names matched only
   forgivingly (a start of a word, a plural, a typing mistake: fewest mistakes first), then
   every word in the fields each type registered as its tiers (``core.searchables``: a term's
   key questions or synonyms, then its description or an article's summary), anywhere;
   within a tier the shorter name first; a flagged page (a deprecated term:
   ``core.searchables.Flag``) after the unflagged ones of its group. Wagtail's SQLite backend
   ignores field boosts, so this ranking is done here for both.

When the query's own words found little and a term's name is close to it, ``Found`` carries
that term as a "Did you mean …?" suggestion.
"""

from dataclasses import dataclass

from django.conf import settings

from wagtail.models import Page

from core import searchables
from core.internals import public_pages

from .candidates import candidate_ids, id_in, time_limit
from .query import FUNCTION_WORDS, query_words, words_of

NAME_TIER = ("title",)  # tier 0, every page type's; the registered tiers follow
# What ranking and the results list read: values, not model instances (building a page
# instance per candidate is costly at hundreds of candidates); bodies and raw sources stay in
# the database.
RESULT_FIELDS = ("pk", "title", "url_path", "search_description", "category")
NAME_MATCHES = 20  # forgiving name matches added to the candidates
FEW = 3  # fewer results than this from the query's own words: suggest a close name


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
    searchable: object = None  # its type's registration (core.searchables.Searchable)
    status: str = ""  # its flag's label, shown beside its kind ("Deprecated"), or ""
    recommended: bool = False  # pinned for the query by an editor (search.promotions)

    def find_url(self, request):
        """Set ``url``: done for the results shown, not every candidate."""
        self.url = url_of(self.url_path, request)


def tier(searchable, fields, words):
    """0 when every query word is in the title, 1 in the type's first registered tier (a
    term's key questions or synonyms), 2 in its second (a term's description, an article's
    summary)...; None when no tier holds them all (the words are elsewhere: the body).

    ``fields``: the fetched row (``RESULT_FIELDS`` and the type's ``columns``).
    """
    for number, names in enumerate((NAME_TIER, *searchable.fields)):
        found = set().union(*(words_of(searchable.text(fields, name)) for name in names))
        if words <= found:
            return number
    return None


@dataclass
class Found:
    """What a search found: the results, best first (at most MAX_CANDIDATES + NAME_MATCHES),
    the words to highlight in them (the query's and the names' words they stood for) and
    perhaps a close name to suggest."""

    results: list
    words: set
    suggestion: object = None  # a name match (core.searchables.Names)


def match_names(query, limit, **options):
    """The registered name matchers' matches for ``query``, best first within each."""
    found = [
        match
        for names in searchables.name_matchers()
        for match in names.match(query, limit, **options)
    ]
    return found[:limit]


def find(query, pinned=()):
    """Live, public pages of the registered types matching ``query``; ``pinned`` (page ids an
    editor pinned for the query) first, in their order, marked ``recommended``.

    Raises ``SearchTooSlow`` when the database needed longer than the site allows."""
    words = query_words(query)
    if not words:
        return Found([], set())
    with time_limit(settings.SEARCH_TIME_LIMIT_MS):
        names = match_names(query, NAME_MATCHES, ignored=FUNCTION_WORDS, configured=True)
        results, found_by_words = _ranked(words, names, list(pinned))
    close = names[0] if names and not names[0].exact else None
    if close is not None and results and results[0].fields["pk"] == close.term_id:
        close = None  # "Did you mean X?" above X itself tells the visitor nothing
    return Found(
        results,
        words | {word for match in names for word in match.words},
        suggestion=close if found_by_words < FEW else None,
    )


def _results(ids):
    """The ``Result`` of each live, public page of ``ids``, one query a registered type."""
    results = []
    for searchable in searchables.searchables():
        rows = public_pages(searchable.model.objects.live().filter(id_in(ids))).values(
            *RESULT_FIELDS, *searchable.columns
        )
        results += [
            Result(
                kind=searchable.model._meta.verbose_name,
                kind_slug=searchable.kind,
                title=row["title"],
                url_path=row["url_path"],
                description=row["search_description"] or row[searchable.description],
                category=row["category"],
                fields=row,
                searchable=searchable,
                status=searchable.status_label(row),
            )
            for row in rows
        ]
    return results


def _ranked(words, names, pinned):
    """The results in ranking order, and how many the query's own words found."""
    registered = searchables.searchables()
    models = [searchable.model for searchable in registered]
    # Words found only outside every tier: after the deepest tier of any type.
    anywhere = 1 + max((len(searchable.fields) for searchable in registered), default=0)
    ids = candidate_ids(words, models)
    by_words = set(ids)
    ids = ids + [match.term_id for match in names if match.term_id not in by_words]
    known = set(ids)
    ids = ids + [page_id for page_id in pinned if page_id not in known]
    if not ids:
        return [], 0
    position = {page_id: number for number, page_id in enumerate(ids)}
    by_name = {match.term_id: number for number, match in enumerate(names)}
    exact = {match.term_id for match in names if match.exact}
    starts = {match.term_id for match in names if match.starts}
    results = _results(ids)
    pin = {page_id: number for number, page_id in enumerate(pinned)}
    for result in results:
        result.recommended = result.fields["pk"] in pin

    def rank(result):
        pk = result.fields["pk"]
        if pk in pin:
            return (-1, pin[pk], 0, 0)
        level = tier(result.searchable, result.fields, words) if pk in by_words else None
        if level is None:
            level = anywhere
        flagged = bool(result.status)  # after the unflagged pages of the same group
        if pk in exact:
            return (0, flagged, by_name[pk], 0, 0)
        if level == 0:  # names starting with the query first, as in the suggestions
            return (1, flagged, pk not in starts, len(result.title), position[pk])
        if pk in by_name:
            return (2, flagged, by_name[pk], 0, 0)
        return (3, level, flagged, len(result.title), position[pk])

    found_by_words = sum(1 for result in results if result.fields["pk"] in by_words)
    return sorted(results, key=rank), found_by_words
