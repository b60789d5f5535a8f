"""Term names as visitors type them: half-remembered, misspelt, cut short or plural.

On PostgreSQL the database finds the candidate terms (``pg_trgm``: a GIN trigram index on each
term's ``name_words``, the words of its name, synonyms and initials, set before every save):
every query word must match a word of them exactly, as its start, in the singular, or by
word similarity (a misspelling). The few hundred candidates are then ranked here, by the same
``NameIndex`` built for them alone; no web process holds the glossary's names.
On SQLite (development) every live, public term's name and synonyms are held in memory, in
each process, built once per vocabulary version (``glossary.vocabulary``).

A query's words are matched against the words of the names: exactly, as the start of a word
(``opera`` → "Operations"), in the plural, or within a few edits (``stratgy`` → "strategy";
RapidFuzz's Damerau-Levenshtein distance, in C). A name of several words is also found by its
initials (``SLA`` → "Service level agreement"). A name matches when every query word matches one
of its words; names are ranked by how closely.

The work per query is bounded whatever the number of terms: a handful of word lookups, one
pass of RapidFuzz over the distinct words, and scoring of at most ``MAX_SCORED`` names.

Written by hand on top of RapidFuzz and pg_trgm: Wagtail's own fuzzy search (modelsearch)
matches whole texts, not names word by word, and no maintained library matches a glossary's
names word by word with starts, plurals and initials the same way on both databases.
"""

import bisect
import re
import unicodedata
from dataclasses import dataclass, field

from rapidfuzz import process
from rapidfuzz.distance import DamerauLevenshtein

from django.db import connection

from .vocabulary import per_vocabulary, split_synonyms, vocabulary, vocabulary_rows

WORD = re.compile(r"\w+")
MIN_PREFIX = 3  # shorter starts of a lone word match too many words to mean anything
MAX_COMPLETIONS = 200  # words a prefix may stand for
MAX_SCORED = 2_000  # names scored for one query
# Costs of a word match: the ranking adds them up (exact < start of a word < misspelt).
EXACT, PREFIX, EDIT = 0, 1, 2


def normalised_words(text):
    """Lower-case words with accents taken off (``Café`` and ``cafe`` match)."""
    text = str(text).lower()
    if not text.isascii():  # most names are: no accents to take off
        decomposed = unicodedata.normalize("NFKD", text)
        text = "".join(char for char in decomposed if not unicodedata.combining(char))
    return WORD.findall(text)


def allowed_edits(word):
    """How many typing mistakes a word may carry and still match: none in short words."""
    if len(word) <= 3:
        return 0
    return 1 if len(word) <= 6 else 2


def _meaningful(words, ignored):
    """``words`` in order, once each, without ``ignored`` ones unless nothing else is left."""
    words = list(dict.fromkeys(words))
    return [word for word in words if word not in ignored] or words


def _singulars(word):
    """English plural endings taken off: ``backlogs`` → ``backlog``, ``policies`` → ``policy``."""
    if len(word) > 3 and word.endswith("ies"):
        yield word[:-3] + "y"
    if len(word) > 3 and word.endswith("es"):
        yield word[:-2]
    if len(word) > 2 and word.endswith("s") and not word.endswith("ss"):
        yield word[:-1]


# Words an abbreviation may leave out: "request for proposal" is RFP, but "bill of materials"
# is BOM; both forms are kept.
MINOR_WORDS = {"a", "an", "and", "for", "in", "of", "on", "or", "the", "to", "with"}


def initials(text, words):
    """The abbreviations a name of several words may go by (``service level agreement`` →
    ``sla``), none when the name gives its own in brackets ("… (SLA)")."""
    if len(words) < 2 or "(" in text:
        return set()
    forms = {
        "".join(word[0] for word in words if not word.isdigit()),
        "".join(word[0] for word in words if word not in MINOR_WORDS and not word.isdigit()),
    }
    return {form for form in forms if 2 <= len(form) <= 6 and form not in words}


@dataclass(frozen=True)
class Name:
    term_id: int
    title: str
    url_path: str
    text: str  # the name or synonym itself
    words: tuple
    derived: bool = False  # an abbreviation made from the name's initials, not an editor's


@dataclass
class NameMatch:
    """A term whose name (or synonym) answers the query, and how closely."""

    term_id: int
    title: str
    url_path: str
    name: str
    cost: int
    exact: bool  # the query is the whole name or synonym
    corrected: bool  # some query word matched only by its spelling being close
    words: set = field(default_factory=set)  # the names' words the query matched
    starts: bool = False  # the query's first word matched the name's first word
    url: str = ""  # set by the view that shows it

    def sort_key(self):
        """The whole name first, then names the query spelt right, those starting with it
        first (``capac``: "Capacity planning" before "Lean Capacity 83"), then the closest."""
        return (
            not self.exact,
            self.corrected,
            not self.starts,
            self.cost,
            len(self.name),
            self.title.lower(),
        )


class NameIndex:
    """The names and synonyms of the live terms, with a word index over them."""

    def __init__(self, rows):
        self.names = []
        postings = {}
        for term_id, title, synonyms, url_path in rows:
            for text in [title, *split_synonyms(synonyms)]:
                words = tuple(normalised_words(text))
                if not words:
                    continue
                names = [Name(term_id, title, url_path, text, words)]
                names += [
                    Name(term_id, title, url_path, form.upper(), (form,), derived=True)
                    for form in sorted(initials(text, words))
                ]
                for name in names:
                    for word in set(name.words):
                        postings.setdefault(word, []).append(len(self.names))
                    self.names.append(name)
        self.postings = postings
        self.words = sorted(postings)

    def _word_costs(self, word, min_prefix=MIN_PREFIX):
        """{name word: cost} for the words ``word`` may stand for."""
        costs = {}
        if word in self.postings:
            costs[word] = EXACT
        for singular in _singulars(word):
            if singular in self.postings:
                costs.setdefault(singular, PREFIX)
        if len(word) >= min_prefix:
            start = bisect.bisect_left(self.words, word)
            for candidate in self.words[start : start + MAX_COMPLETIONS]:
                if not candidate.startswith(word):
                    break
                costs.setdefault(candidate, PREFIX)
        edits = allowed_edits(word)
        if edits:
            for candidate, distance, _ in process.extract(
                word,
                self.words,
                scorer=DamerauLevenshtein.distance,
                score_cutoff=edits,
                limit=None,
            ):
                costs.setdefault(candidate, EDIT + distance)
            if not costs and len(word) > 4 and len(word) >= min_prefix:
                costs = self._misspelt_starts(word, edits)
        return costs

    def _misspelt_starts(self, word, edits):
        """{name word: cost} for the words whose start ``word`` is, give or take ``edits``
        typing mistakes (``stratg`` → "strategy", "strategic"): tried only when the word
        matched nothing else, as the visitor is still typing it."""
        costs = {}
        for length in (len(word) - 1, len(word), len(word) + 1):
            starts = {}
            for candidate in self.words:
                if len(candidate) > len(word):  # whole words were tried already
                    starts.setdefault(candidate[:length], []).append(candidate)
            for start, distance, _ in process.extract(
                word,
                list(starts),
                scorer=DamerauLevenshtein.distance,
                score_cutoff=edits,
                limit=None,
            ):
                for candidate in starts[start][:MAX_COMPLETIONS]:
                    cost = EDIT + PREFIX + distance
                    if cost < costs.get(candidate, cost + 1):
                        costs[candidate] = cost
        return costs

    def match(self, query, limit=20, ignored=frozenset(), min_prefix=MIN_PREFIX):
        """The terms whose name or synonym holds every word of ``query`` (forgivingly), best
        first, one match per term. Words in ``ignored`` ("what", "is", "the") are left out of
        the query and of the names unless they are all there is. A lone word stands for the
        words it starts from ``min_prefix`` letters (the search box's suggestions: two)."""
        words = _meaningful(normalised_words(query), ignored)
        if not words:
            return []
        # The last word may be cut short more: the others narrow down what it stands for.
        per_word = [self._word_costs(word) for word in words[:-1]]
        per_word.append(self._word_costs(words[-1], 1 if len(words) > 1 else min_prefix))
        if not all(per_word):
            return []
        candidates = None
        for costs in sorted(per_word, key=len):
            found = {number for word in costs for number in self.postings[word]}
            candidates = found if candidates is None else candidates & found
            if not candidates:
                return []
        best = {}
        for number in sorted(candidates)[:MAX_SCORED]:
            name = self.names[number]
            total, matched, corrected = 0, set(), False
            for costs in per_word:
                cost, word = min((costs[w], w) for w in name.words if w in costs)
                total += cost
                matched.add(word)
                corrected |= cost >= EDIT
            first = per_word[0]
            starts = not name.derived and name.words[0] in first
            result = NameMatch(
                term_id=name.term_id,
                title=name.title,
                url_path=name.url_path,
                name=name.text,
                cost=total,
                exact=not name.derived and _meaningful(name.words, ignored) == words,
                corrected=corrected,
                words=matched,
                starts=starts,
            )
            kept = best.get(name.term_id)
            if kept is None or result.sort_key() < kept.sort_key():
                best[name.term_id] = result
        return sorted(best.values(), key=NameMatch.sort_key)[:limit]


def name_words(title, synonyms):
    """The words a term is found by: its name's and synonyms' (normalised) and their initials,
    one name a line (stored in ``GlossaryTermPage.name_words`` for the database's search)."""
    lines = []
    for text in [title, *split_synonyms(synonyms)]:
        words = normalised_words(text)
        if words:
            lines.append(" ".join([*words, *sorted(initials(text, words))]))
    return "\n".join(lines)


# Word similarity (pg_trgm) a misspelt query word needs with a word of the names: low enough
# for one transposed letter in a five-letter word ("chian" → "chain", 0.33).
WORD_SIMILARITY = 0.3


def _word_condition(word, min_prefix):
    """A database condition: some word of ``name_words`` may stand for ``word``."""
    from django.db.models import Q

    exact = "|".join([word, *_singulars(word)])
    condition = Q(name_words__regex=rf"\m({exact})\M")
    if len(word) >= min_prefix:
        condition |= Q(name_words__regex=rf"\m{word}")
    if allowed_edits(word):
        condition |= Q(name_words__trigram_word_similar=word)
    return condition


def database_settings():
    """PostgreSQL settings the name search needs, for ``set_config(name, value, true)`` in its
    transaction (the search's time limit sets them with its own, in one statement:
    ``search.candidates.time_limit``)."""
    return {"pg_trgm.word_similarity_threshold": str(WORD_SIMILARITY)}


def database_candidates(query, ignored=frozenset(), min_prefix=MIN_PREFIX):
    """(id, title, synonyms, url_path) of at most ``MAX_SCORED`` live, public terms whose names
    may answer ``query``: every query word matches one of their words (PostgreSQL, indexed).
    Run in a transaction with ``database_settings()`` applied."""
    from django.contrib.postgres.lookups import TrigramWordSimilar
    from django.contrib.postgres.search import TrigramWordSimilarity

    from .models import GlossaryTermPage

    words = _meaningful(normalised_words(query), ignored)
    if not words:
        return []
    # ``%>`` on this field only (django.contrib.postgres is not an installed app).
    GlossaryTermPage._meta.get_field("name_words").register_lookup(TrigramWordSimilar)
    terms = vocabulary_rows()
    for number, word in enumerate(words):
        last = number == len(words) - 1
        terms = terms.filter(_word_condition(word, 1 if last and len(words) > 1 else min_prefix))
    # The closest first, should more than MAX_SCORED terms answer.
    closeness = TrigramWordSimilarity(" ".join(words), "name_words")
    rows = terms.order_by(closeness.desc(), "pk").values_list("id", "title", "synonyms", "url_path")
    return list(rows[:MAX_SCORED])


def _build():
    return NameIndex(
        (term_id, title, synonyms, url_path)
        for term_id, title, synonyms, url_path, _description in per_vocabulary(vocabulary)
    )


def name_index():
    """The index for the current vocabulary (built at most once per version per process)."""
    return per_vocabulary(_build)


def warm():
    """Build the in-memory name index where names are searched in memory (SQLite), so no
    visitor waits for it; nothing on PostgreSQL. Each web worker calls it at start
    (``core.searchables.warm_up``)."""
    if not uses_database():
        name_index()


def uses_database():
    """Whether names are searched in the database (PostgreSQL) rather than in memory."""
    return connection.vendor == "postgresql"


def match_names(query, limit=20, ignored=frozenset(), min_prefix=MIN_PREFIX, configured=False):
    """The terms whose names answer ``query``, best first. ``configured``: the caller's
    transaction has ``database_settings()`` applied already."""
    if uses_database():
        if configured:
            rows = database_candidates(query, ignored, min_prefix)
        else:
            from django.db import transaction

            with transaction.atomic(), connection.cursor() as cursor:
                settings = database_settings()
                cursor.execute(
                    "SELECT " + ", ".join(["set_config(%s, %s, true)"] * len(settings)),
                    [part for item in settings.items() for part in item],
                )
                rows = database_candidates(query, ignored, min_prefix)
        return NameIndex(rows).match(query, limit, ignored, min_prefix)
    return name_index().match(query, limit, ignored, min_prefix)
