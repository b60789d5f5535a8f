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

Both return the ids of the terms whose lists changed (their pages are stale). How "related" is
scored is ``glossary.related_scoring``; the rows read and written, ``glossary.related_rows``.

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

from collections import defaultdict

from django.db import connection, transaction

from . import related_scoring
from .related_rows import (
    CHUNK,
    WORD_COLUMNS,
    chunks,
    count_words,
    index_of,
    insert_rows,
    live_terms,
    pinned_terms,
    rows_of,
    stored_rows,
    sync_index,
    write_rows,
)
from .related_scoring import neighbour_pairs, pair_rows, rank, wanted_rows

# A change of more terms than INCREMENTAL_MAX that is also more than FULL_SHARE of the
# glossary is recomputed whole: one pass over everything is cheaper by then.
INCREMENTAL_MAX = 100
FULL_SHARE = 0.05
# Changes of more terms than this are recorded as one "every term" row.
RECORD_MAX = 5_000
LOCK_KEY = 4_201_020  # PostgreSQL advisory lock: one recompute at a time


# --- the whole glossary --------------------------------------------------------------------


def _recompute_all():
    index = index_of(live_terms())
    sync_index(index)
    return write_rows(wanted_rows(index, pinned_terms()), stored_rows())


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
    now = index_of(live_terms(changed))

    # The index, for the changed terms.
    IndexedTerm.objects.filter(term_id__in=changed).delete()
    TermWord.objects.filter(term_id__in=changed).delete()
    insert_rows(
        IndexedTerm, ["term_id", "sort_key"], ((term_id, key) for term_id, (key, _) in now.items())
    )
    insert_rows(
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
    count_words(deltas)

    # Whose related terms can have moved.
    frequency = dict(WordFrequency.objects.filter(word__in=moved).values_list("word", "terms"))
    telling = [
        word
        for word in moved
        if min(frequency.get(word, 0), frequency.get(word, 0) - deltas[word])
        <= related_scoring.COMMON_WORD_TERMS
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
    for term_id, word in rows_of(
        TermWord.objects.filter(query_position__isnull=False).order_by("term_id", "query_position"),
        "term_id",
        affected,
        "term_id",
        "word",
    ):
        queries[term_id].append(word)
    words = {word for query in queries.values() for word in query}
    frequency = dict(rows_of(WordFrequency.objects, "word", words, "word", "terms"))
    postings = defaultdict(dict)
    for word, term_id, weight in rows_of(
        TermWord.objects,
        "word",
        [word for word in words if frequency.get(word, 0) <= related_scoring.COMMON_WORD_TERMS],
        "word",
        "term_id",
        "weight",
    ):
        postings[word][term_id] = weight
    pinned = pinned_terms(affected)
    keys = {
        term_id: bytes(key)
        for term_id, key in rows_of(
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
    stored = stored_rows(affected | near | set(changed))
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
            rows = [row for row in rows if row[0] == TermNeighbour.RELATED] + pair_rows(
                *pairs[term_id]
            )
        wanted[term_id] = rows
    return write_rows(wanted, stored)


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
        for chunk in chunks([pk for pk, _ in pending], CHUNK):
            PendingNeighbourhood.objects.filter(pk__in=chunk).delete()
    return changed


def recompute():
    """Every term's neighbourhood, from the whole glossary (the command and the nightly run);
    the ids of the terms whose lists changed."""
    return drain(everything=True)
