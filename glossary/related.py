"""Related terms and previous/next terms, computed when terms change and stored.

A visitor's request reads a term's neighbourhood with one indexed query
(``GlossaryTermPage.neighbourhood``); this module writes it, in two ways that give the same
lists:

- ``recompute()``: every live, public term at once (``manage.py recompute_related``, the
  nightly task, and any change too large to follow term by term, such as an import);
- ``drain()``: the terms recorded by ``record_changes`` (in the change's transaction) and only
  the terms whose lists those changes can move, read from a stored index
  (``glossary.models.neighbourhood``): its cost follows the size of the change, not of the
  glossary.

Both return the ids of the terms whose lists changed (their pages are stale).

How "related" is scored (hand-written: no maintained library ranks a few thousand short texts
without a search server or a numeric stack): the distinctive words of a term's name and key
questions are looked up in the other terms' name, synonyms, key questions and description;
each shared word counts its inverse document frequency, more in a name than in a description.
Words that more than ``COMMON_WORD_TERMS`` terms share say nothing about relatedness and are
skipped, which also bounds the work per term. A word's weight is ``log(1 + IDF_TERMS / n)``
for the ``n`` terms that hold it: a fixed ``IDF_TERMS`` rather than the glossary's size, so a
term's list depends only on the terms that share its words and a term joining the glossary
does not move every list a little (the incremental recompute is then exact, with no drift).

Which lists a change can move (``_recompute_terms``), for changed terms C:
- C's own (words, pinned terms, whether live at all);
- every term that has, among its query words, a word whose holders changed (a term of C
  gained, lost or reweighted it), unless that word is too common before and after; when a
  name changed, every word of the term (a tie between equal scores is broken A to Z);
- the terms showing a term of C now and the terms pinning one;
- A to Z, the terms just before and after each old and each new place of a term of C.
One case is left to the nightly run: a deleted term's pin rows and the rows showing it go
with it (cascade), so a term that pinned it and shares none of its words is not found; its
list is one shorter (never a broken link) until then. ``tests/glossary/test_neighbourhood.py``
checks after random changes that the lists and the index equal the whole recompute's.
"""

import heapq
import math
import re
from collections import defaultdict

from django.db import connection, transaction
from django.db.models import F

from . import alphabet

# fmt: off
STOP_WORDS = {
    "about", "above", "after", "again", "against", "all", "also", "and", "any", "are",
    "because", "been", "before", "being", "between", "both", "but", "can", "could", "does",
    "doing", "down", "during", "each", "few", "for", "from", "further", "had", "has",
    "have", "having", "how", "into", "its", "more", "most", "other", "over", "own",
    "same", "should", "some", "such", "than", "that", "the", "their", "them", "then",
    "there", "these", "they", "this", "those", "through", "under", "until", "very", "was",
    "were", "what", "when", "where", "which", "while", "who", "whom", "why", "will",
    "with", "would", "your", "role", "help", "make", "made", "using", "used",
}
# fmt: on


RELATED_SHOWN = 5
COMMON_WORD_TERMS = 100
# The glossary size a word's weight is reckoned against (see the module's docstring).
IDF_TERMS = 10_000
# How much a shared word weighs by where the other term has it.
FIELD_WEIGHTS = {"title": 3.0, "synonyms": 2.5, "key_questions": 2.0, "description": 1.0}
WORD = re.compile(r"[^\W\d_]{4,}")
MAX_WORD = 64  # longer runs of letters are not words (and fit the index's column)
# A change of more terms than INCREMENTAL_MAX that is also more than FULL_SHARE of the
# glossary is recomputed whole: one pass over everything is cheaper by then.
INCREMENTAL_MAX = 100
FULL_SHARE = 0.05
# Changes of more terms than this are recorded as one "every term" row.
RECORD_MAX = 5_000
CHUNK = 2_000
WORD_COLUMNS = ["term_id", "word", "weight", "query_position"]
LOCK_KEY = 4_201_020  # PostgreSQL advisory lock: one recompute at a time


def words_of(text):
    return [
        word
        for word in WORD.findall(text.lower())
        if word not in STOP_WORDS and len(word) <= MAX_WORD
    ]


def related_words(title, questions, limit=12):
    """Distinctive words of a term's name and questions, for finding terms like it."""
    words = []
    for text in [title, *questions]:
        for word in words_of(text):
            if word not in words:
                words.append(word)
    return words[:limit]


def _questions(stream_value):
    return [str(block.get("value", "")) for block in stream_value.raw_data]


def sort_key(title, term_id):
    """A to Z as the index orders terms (``glossary.alphabet.sort_key``), then the id: bytes,
    so a database compares them as Python does."""
    return b"\0".join((alphabet.sort_key(title), term_id.to_bytes(8, "big")))


def term_words(title, synonyms, questions, description):
    """{word: (weight, query position or None)}: every word the term holds, with the weight
    of the best field it is in, and where it stands among the term's query words."""
    weights = {}
    fields = {
        "title": title,
        "synonyms": synonyms,
        "key_questions": " ".join(questions),
        "description": description,
    }
    for field, text in fields.items():
        weight = FIELD_WEIGHTS[field]
        for word in words_of(text):
            if weights.get(word, 0) < weight:
                weights[word] = weight
    query = {word: place for place, word in enumerate(related_words(title, questions))}
    return {word: (weight, query.get(word)) for word, weight in weights.items()}


def word_weight(holders):
    return math.log(1 + IDF_TERMS / holders)


def rank(term_id, query, pinned, postings, frequency, keys):
    """The related list of ``term_id``: its editors' ``pinned`` live terms first, then the
    terms sharing the most telling of its ``query`` words (in order).

    ``postings`` {word: {term id: weight}} for each query word held by at most
    ``COMMON_WORD_TERMS`` terms; ``frequency`` {word: terms holding it}; ``keys`` {term id:
    sort key} of every term in those postings.
    """
    chosen = pinned[:RELATED_SHOWN]
    scores = defaultdict(float)
    for word in query:
        holders = frequency.get(word, 0)
        if not holders or holders > COMMON_WORD_TERMS:
            continue
        weight_of_word = word_weight(holders)
        for other, weight in postings[word].items():
            scores[other] += weight_of_word * weight
    for other in chosen:
        scores.pop(other, None)
    scores.pop(term_id, None)
    best = heapq.nsmallest(
        RELATED_SHOWN - len(chosen), scores, key=lambda other: (-scores[other], keys[other])
    )
    return chosen + best


def query_of(words):
    """A term's query words in order, from ``term_words``."""
    placed = [(place, word) for word, (_, place) in words.items() if place is not None]
    return [word for _, word in sorted(placed)]


def related_lists(index, pinned):
    """{term id: [related term ids]} for an ``index`` {term id: (sort key, term_words)} of
    every live term; ``pinned`` maps a term id to the term ids its editors chose first."""
    postings = defaultdict(dict)
    for term_id, (_, words) in index.items():
        for word, (weight, _) in words.items():
            postings[word][term_id] = weight
    frequency = {word: len(holders) for word, holders in postings.items()}
    keys = {term_id: key for term_id, (key, _) in index.items()}
    return {
        term_id: rank(
            term_id,
            query_of(words),
            [other for other in pinned.get(term_id, []) if other in index],
            postings,
            frequency,
            keys,
        )
        for term_id, (_, words) in index.items()
    }


def neighbour_pairs(keys):
    """{term id: (previous id, next id)} A to Z, for ``keys`` {term id: sort key}."""
    ordered = sorted(keys, key=keys.get)
    return {
        term_id: (
            ordered[number - 1] if number > 0 else None,
            ordered[number + 1] if number + 1 < len(ordered) else None,
        )
        for number, term_id in enumerate(ordered)
    }


def wanted_rows(index, pinned):
    """{term id: [(kind, position, other id)]}: what the table should hold."""
    from .models import TermNeighbour

    wanted = defaultdict(list)
    for term_id, others in related_lists(index, pinned).items():
        wanted[term_id].extend(
            (TermNeighbour.RELATED, position, other) for position, other in enumerate(others)
        )
    keys = {term_id: key for term_id, (key, _) in index.items()}
    for term_id, (previous, following) in neighbour_pairs(keys).items():
        wanted[term_id].extend(_pair_rows(previous, following))
    return wanted


def _pair_rows(previous, following):
    from .models import TermNeighbour

    rows = []
    if previous is not None:
        rows.append((TermNeighbour.PREVIOUS, 0, previous))
    if following is not None:
        rows.append((TermNeighbour.NEXT, 0, following))
    return rows


# --- reading the database ------------------------------------------------------------------


def _live_terms(term_ids=None):
    from core.internals import public_pages

    from .models import GlossaryTermPage

    terms = public_pages(GlossaryTermPage.objects.live()).order_by()
    if term_ids is not None:
        terms = terms.filter(pk__in=term_ids)
    return list(terms.values_list("id", "title", "synonyms", "description", "key_questions"))


def index_of(terms):
    """{term id: (sort key, term_words)} for rows of ``_live_terms``."""
    return {
        term_id: (
            sort_key(title, term_id),
            term_words(title, synonyms, _questions(key_questions), description),
        )
        for term_id, title, synonyms, description, key_questions in terms
    }


def _pinned(term_ids=None):
    from .models import GlossaryTermPinnedTerm

    pinned = defaultdict(list)
    rows = GlossaryTermPinnedTerm.objects.order_by("page_id", "sort_order", "pk")
    if term_ids is not None:
        rows = rows.filter(page_id__in=term_ids)
    for page_id, term_id in rows.values_list("page_id", "term_id"):
        pinned[page_id].append(term_id)
    return pinned


def _chunks(values, size):
    """``values`` (a list) ``size`` at a time (``itertools.batched`` from Python 3.12)."""
    return (values[start : start + size] for start in range(0, len(values), size))


def _rows_of(queryset, field, values, *columns):
    """``queryset.filter(field__in=values).values_list(*columns)``, a chunk of values at a time
    (SQLite limits a statement's parameters)."""
    values = sorted(values)
    for chunk in _chunks(values, CHUNK):
        yield from queryset.filter(**{f"{field}__in": chunk}).values_list(*columns)


def _stored_rows(term_ids=None):
    from .models import TermNeighbour

    stored = defaultdict(list)
    rows = (
        TermNeighbour.objects.order_by().values_list("term_id", "kind", "position", "other_id")
        if term_ids is None
        else _rows_of(
            TermNeighbour.objects.order_by(),
            "term_id",
            term_ids,
            "term_id",
            "kind",
            "position",
            "other_id",
        )
    )
    for term_id, kind, position, other in rows:
        stored[term_id].append((kind, position, other))
    return stored


def _insert_rows(model, columns, rows):
    """Insert plain ``rows`` (tuples of ``columns``) of ``model``: with COPY on PostgreSQL, one
    ``executemany`` elsewhere. Hand-written because Django's ``bulk_create`` builds a model
    instance per row, minutes for the millions of word rows of a large glossary."""
    rows = list(rows)
    if not rows:
        return
    table = connection.ops.quote_name(model._meta.db_table)
    names = ", ".join(connection.ops.quote_name(model._meta.get_field(c).column) for c in columns)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            with cursor.cursor.copy(f"COPY {table} ({names}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
        else:
            marks = ", ".join(["%s"] * len(columns))
            cursor.executemany(
                f"INSERT INTO {table} ({names}) VALUES ({marks})",  # noqa: S608 - names only
                rows,
            )


def _write(wanted, stored):
    """Rewrite the rows of each term (of ``wanted`` or ``stored``) whose rows differ; return
    their ids."""
    from .models import TermNeighbour

    changed = {
        term_id
        for term_id in set(wanted) | set(stored)
        if sorted(wanted.get(term_id, [])) != sorted(stored.get(term_id, []))
    }
    for chunk in _chunks(sorted(changed), CHUNK):
        TermNeighbour.objects.filter(term_id__in=chunk).delete()
    _insert_rows(
        TermNeighbour,
        ["term", "kind", "position", "other"],
        (
            (term_id, kind, position, other)
            for term_id in changed
            for kind, position, other in wanted.get(term_id, [])
        ),
    )
    return changed


# --- the whole glossary --------------------------------------------------------------------


def _recompute_all():
    index = index_of(_live_terms())
    _sync_index(index)
    return _write(wanted_rows(index, _pinned()), _stored_rows())


def _sync_index(index):
    """Make the stored index (``IndexedTerm``, ``TermWord``, ``WordFrequency``) say what
    ``index`` says, rewriting only what differs."""
    from .models import IndexedTerm, TermWord, WordFrequency

    stored = {
        term_id: bytes(key)
        for term_id, key in IndexedTerm.objects.values_list("term_id", "sort_key")
    }
    moved = [term_id for term_id, key in stored.items() if index.get(term_id, (None,))[0] != key]
    for chunk in _chunks(moved, CHUNK):
        IndexedTerm.objects.filter(term_id__in=chunk).delete()
    _insert_rows(
        IndexedTerm,
        ["term_id", "sort_key"],
        ((term_id, key) for term_id, (key, _) in index.items() if stored.get(term_id) != key),
    )
    for chunk in _chunks(sorted(set(index) | set(stored)), CHUNK):
        held = defaultdict(dict)
        for term_id, word, weight, place in TermWord.objects.filter(term_id__in=chunk).values_list(
            "term_id", "word", "weight", "query_position"
        ):
            held[term_id][word] = (weight, place)
        different = [
            term_id
            for term_id in chunk
            if held.get(term_id, {}) != (index[term_id][1] if term_id in index else {})
        ]
        TermWord.objects.filter(term_id__in=different).delete()
        _insert_rows(
            TermWord,
            WORD_COLUMNS,
            (
                (term_id, word, weight, place)
                for term_id in different
                if term_id in index
                for word, (weight, place) in index[term_id][1].items()
            ),
        )
    counts = defaultdict(int)
    for _, words in index.values():
        for word in words:
            counts[word] += 1
    counted = dict(WordFrequency.objects.values_list("word", "terms"))
    stale = [word for word, terms in counted.items() if counts.get(word) != terms]
    for chunk in _chunks(stale, CHUNK):
        WordFrequency.objects.filter(word__in=chunk).delete()
    _insert_rows(
        WordFrequency,
        ["word", "terms"],
        ((word, terms) for word, terms in counts.items() if counted.get(word) != terms),
    )


# --- the terms a change can move -----------------------------------------------------------


def _recompute_terms(changed):
    """Bring the index and the lists a change of the terms ``changed`` can move up to date;
    the work and the queries follow the size of the change, not of the glossary."""
    from .models import (
        GlossaryTermPinnedTerm,
        IndexedTerm,
        TermNeighbour,
        TermWord,
        WordFrequency,
    )

    changed = sorted(changed)
    old_keys = {
        term_id: bytes(key)
        for term_id, key in IndexedTerm.objects.filter(term_id__in=changed).values_list(
            "term_id", "sort_key"
        )
    }
    old_words = defaultdict(dict)
    for term_id, word, weight, place in TermWord.objects.filter(term_id__in=changed).values_list(
        "term_id", "word", "weight", "query_position"
    ):
        old_words[term_id][word] = (weight, place)
    now = index_of(_live_terms(changed))

    # The index, for the changed terms.
    IndexedTerm.objects.filter(term_id__in=changed).delete()
    TermWord.objects.filter(term_id__in=changed).delete()
    _insert_rows(
        IndexedTerm, ["term_id", "sort_key"], ((term_id, key) for term_id, (key, _) in now.items())
    )
    _insert_rows(
        TermWord,
        WORD_COLUMNS,
        (
            (term_id, word, weight, place)
            for term_id, (_, words) in now.items()
            for word, (weight, place) in words.items()
        ),
    )
    deltas, moved = defaultdict(int), set()
    for term_id in changed:
        before = old_words.get(term_id, {})
        after = now[term_id][1] if term_id in now else {}
        renamed = old_keys.get(term_id) != (now[term_id][0] if term_id in now else None)
        for word in before.keys() | after.keys():
            had, has = before.get(word), after.get(word)
            deltas[word] += (has is not None) - (had is not None)
            if renamed or (had and had[0]) != (has and has[0]):
                moved.add(word)
    _count(deltas)

    # Whose related terms can have moved.
    frequency = dict(WordFrequency.objects.filter(word__in=moved).values_list("word", "terms"))
    telling = [
        word
        for word in moved
        if min(frequency.get(word, 0), frequency.get(word, 0) - deltas[word]) <= COMMON_WORD_TERMS
    ]
    affected = set(now)
    affected.update(
        TermWord.objects.filter(word__in=telling, query_position__isnull=False).values_list(
            "term_id", flat=True
        )
    )
    affected.update(
        TermNeighbour.objects.filter(other_id__in=changed).values_list("term_id", flat=True)
    )
    affected.update(
        GlossaryTermPinnedTerm.objects.filter(term_id__in=changed).values_list("page_id", flat=True)
    )

    # Whose previous or next term can have moved: around each old and new place.
    placed, near = {term_id: key for term_id, (key, _) in now.items()}, set(now)
    for term_id in changed:
        for key in {old_keys.get(term_id), now.get(term_id, (None,))[0]} - {None}:
            around = IndexedTerm.objects.values_list("term_id", "sort_key")
            before = list(around.filter(sort_key__lt=key).order_by("-sort_key")[:2])
            after = list(around.filter(sort_key__gt=key).order_by("sort_key")[:2])
            placed.update((other, bytes(other_key)) for other, other_key in before + after)
            near.update(rows[0][0] for rows in (before, after) if rows)
    pairs = {term_id: pair for term_id, pair in neighbour_pairs(placed).items() if term_id in near}

    # The related lists.
    queries = defaultdict(list)
    for term_id, word in _rows_of(
        TermWord.objects.filter(query_position__isnull=False).order_by("term_id", "query_position"),
        "term_id",
        affected,
        "term_id",
        "word",
    ):
        queries[term_id].append(word)
    words = {word for query in queries.values() for word in query}
    frequency = dict(_rows_of(WordFrequency.objects, "word", words, "word", "terms"))
    postings = defaultdict(dict)
    for word, term_id, weight in _rows_of(
        TermWord.objects,
        "word",
        [word for word in words if frequency.get(word, 0) <= COMMON_WORD_TERMS],
        "word",
        "term_id",
        "weight",
    ):
        postings[word][term_id] = weight
    pinned = _pinned(affected)
    keys = {
        term_id: bytes(key)
        for term_id, key in _rows_of(
            IndexedTerm.objects,
            "term_id",
            affected
            | {other for holders in postings.values() for other in holders}
            | {other for others in pinned.values() for other in others},
            "term_id",
            "sort_key",
        )
    }

    # The rows: new related lists for the affected terms, new previous and next terms for the
    # terms near a change, no rows for the terms that left.
    stored = _stored_rows(affected | near | set(changed))
    wanted = {}
    for term_id in affected | near | set(changed):
        if term_id not in keys and term_id not in placed:
            wanted[term_id] = []  # not live, public: shows nothing
            continue
        rows = stored.get(term_id, [])
        if term_id in affected:
            others = rank(
                term_id,
                queries.get(term_id, []),
                [other for other in pinned.get(term_id, []) if other in keys],
                postings,
                frequency,
                keys,
            )
            rows = [row for row in rows if row[0] != TermNeighbour.RELATED] + [
                (TermNeighbour.RELATED, position, other) for position, other in enumerate(others)
            ]
        if term_id in pairs:
            rows = [row for row in rows if row[0] == TermNeighbour.RELATED] + _pair_rows(
                *pairs[term_id]
            )
        wanted[term_id] = rows
    return _write(wanted, stored)


def _count(deltas):
    """Add ``deltas`` {word: change in the number of terms holding it} to ``WordFrequency``."""
    from .models import WordFrequency

    touched = [word for word, delta in deltas.items() if delta]
    WordFrequency.objects.bulk_create(
        [WordFrequency(word=word, terms=0) for word in touched], ignore_conflicts=True
    )
    by_delta = defaultdict(list)
    for word in touched:
        by_delta[deltas[word]].append(word)
    for delta, words in by_delta.items():
        WordFrequency.objects.filter(word__in=words).update(terms=F("terms") + delta)
    WordFrequency.objects.filter(word__in=touched, terms=0).delete()


# --- what the worker runs ------------------------------------------------------------------


def record_changes(term_ids=None):
    """Note, in the change's own transaction, that the terms ``term_ids`` changed (None:
    every term may have): ``drain`` catches up with them."""
    from .models import PendingNeighbourhood

    if term_ids is None or len(term_ids) > RECORD_MAX:
        PendingNeighbourhood.objects.create(term_id=None)
    else:
        PendingNeighbourhood.objects.bulk_create(
            [PendingNeighbourhood(term_id=term_id) for term_id in set(term_ids)], batch_size=1000
        )


def _lock():
    """One recompute at a time, whichever worker runs it: PostgreSQL's advisory lock, held
    until the transaction ends (SQLite lets one transaction write at a time anyway)."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [LOCK_KEY])


def drain(everything=False):
    """Recompute what the recorded changes can have moved (all of it when ``everything``, when
    a change said so, or when it is a large share of the glossary); forget those changes;
    return the ids of the terms whose lists changed. Idempotent: it reads the database."""
    from .models import IndexedTerm, PendingNeighbourhood

    with transaction.atomic():
        _lock()
        pending = list(PendingNeighbourhood.objects.values_list("pk", "term_id"))
        term_ids = {term_id for _, term_id in pending if term_id is not None}
        if (
            everything
            or any(term_id is None for _, term_id in pending)
            or (
                len(term_ids) > INCREMENTAL_MAX
                and len(term_ids) > FULL_SHARE * IndexedTerm.objects.count()
            )
            or (term_ids and not IndexedTerm.objects.exists())  # the index was never built
        ):
            changed = _recompute_all()
        elif term_ids:
            changed = _recompute_terms(term_ids)
        else:
            changed = set()
        for chunk in _chunks([pk for pk, _ in pending], CHUNK):
            PendingNeighbourhood.objects.filter(pk__in=chunk).delete()
    return changed


def recompute():
    """Every term's neighbourhood, from the whole glossary (the command and the nightly run);
    the ids of the terms whose lists changed."""
    return drain(everything=True)
