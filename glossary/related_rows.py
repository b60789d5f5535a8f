"""The rows behind related, previous and next terms: the terms read, the lists and the stored
index (``glossary.models.neighbourhood``) written, a chunk at a time and only where they differ.
"""

from collections import defaultdict

from django.db import connection
from django.db.models import F

from core.internals import public_pages

from .related_scoring import questions_of, sort_key, term_words

CHUNK = 2_000
WORD_COLUMNS = ["term_id", "word", "weight", "query_position"]


# --- reading the database ------------------------------------------------------------------


def live_terms(term_ids=None):
    from .models import GlossaryTermPage

    terms = public_pages(GlossaryTermPage.objects.live()).order_by()
    if term_ids is not None:
        terms = terms.filter(pk__in=term_ids)
    return list(terms.values_list("id", "title", "synonyms", "description", "key_questions"))


def index_of(terms):
    """{term id: (sort key, term_words)} for rows of ``live_terms``."""
    return {
        term_id: (
            sort_key(title, term_id),
            term_words(title, synonyms, questions_of(key_questions), description),
        )
        for term_id, title, synonyms, description, key_questions in terms
    }


def pinned_terms(term_ids=None):
    from .models import GlossaryTermPinnedTerm

    pinned = defaultdict(list)
    rows = GlossaryTermPinnedTerm.objects.order_by("page_id", "sort_order", "pk")
    if term_ids is not None:
        rows = rows.filter(page_id__in=term_ids)
    for page_id, term_id in rows.values_list("page_id", "term_id"):
        pinned[page_id].append(term_id)
    return pinned


def chunks(values, size):
    """``values`` (a list) ``size`` at a time (``itertools.batched`` from Python 3.12)."""
    return (values[start : start + size] for start in range(0, len(values), size))


def rows_of(queryset, field, values, *columns):
    """``queryset.filter(field__in=values).values_list(*columns)``, a chunk of values at a time
    (SQLite limits a statement's parameters)."""
    values = sorted(values)
    for chunk in chunks(values, CHUNK):
        yield from queryset.filter(**{f"{field}__in": chunk}).values_list(*columns)


def stored_rows(term_ids=None):
    from .models import TermNeighbour

    stored = defaultdict(list)
    rows = (
        TermNeighbour.objects.order_by().values_list("term_id", "kind", "position", "other_id")
        if term_ids is None
        else rows_of(
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


def insert_rows(model, columns, rows):
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


def write_rows(wanted, stored):
    """Rewrite the rows of each term (of ``wanted`` or ``stored``) whose rows differ; return
    their ids."""
    from .models import TermNeighbour

    changed = {
        term_id
        for term_id in set(wanted) | set(stored)
        if sorted(wanted.get(term_id, [])) != sorted(stored.get(term_id, []))
    }
    for chunk in chunks(sorted(changed), CHUNK):
        TermNeighbour.objects.filter(term_id__in=chunk).delete()
    insert_rows(
        TermNeighbour,
        ["term", "kind", "position", "other"],
        (
            (term_id, kind, position, other)
            for term_id in changed
            for kind, position, other in wanted.get(term_id, [])
        ),
    )
    return changed


def sync_index(index):
    """Make the stored index (``IndexedTerm``, ``TermWord``, ``WordFrequency``) say what
    ``index`` says, rewriting only what differs."""
    from .models import IndexedTerm, TermWord, WordFrequency

    stored = {
        term_id: bytes(key)
        for term_id, key in IndexedTerm.objects.values_list("term_id", "sort_key")
    }
    moved = [term_id for term_id, key in stored.items() if index.get(term_id, (None,))[0] != key]
    for chunk in chunks(moved, CHUNK):
        IndexedTerm.objects.filter(term_id__in=chunk).delete()
    insert_rows(
        IndexedTerm,
        ["term_id", "sort_key"],
        ((term_id, key) for term_id, (key, _) in index.items() if stored.get(term_id) != key),
    )
    for chunk in chunks(sorted(set(index) | set(stored)), CHUNK):
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
        insert_rows(
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
    for chunk in chunks(stale, CHUNK):
        WordFrequency.objects.filter(word__in=chunk).delete()
    insert_rows(
        WordFrequency,
        ["word", "terms"],
        ((word, terms) for word, terms in counts.items() if counted.get(word) != terms),
    )


def count_words(deltas):
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
