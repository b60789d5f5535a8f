"""How related terms are scored, and which terms come before and after one A to Z.

How "related" is scored (hand-written: no maintained library ranks a few thousand short texts
without a search server or a numeric stack): the distinctive words of a term's name and key
questions are looked up in the other terms' name, synonyms, key questions and description;
each shared word counts its inverse document frequency, more in a name than in a description.
Words that more than ``COMMON_WORD_TERMS`` terms share say nothing about relatedness and are
skipped, which also bounds the work per term. A word's weight is ``log(1 + IDF_TERMS / n)``
for the ``n`` terms that hold it: a fixed ``IDF_TERMS`` rather than the glossary's size, so a
term's list depends only on the terms that share its words and a term joining the glossary
does not move every list a little (the incremental recompute is then exact, with no drift).

Pure functions of the terms' text: ``glossary.related`` reads the terms and writes the lists
(``glossary.related_rows`` holds the reading and writing).
"""

import heapq
import math
import re
from collections import defaultdict

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


def questions_of(stream_value):
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
        wanted[term_id].extend(pair_rows(previous, following))
    return wanted


def pair_rows(previous, following):
    from .models import TermNeighbour

    rows = []
    if previous is not None:
        rows.append((TermNeighbour.PREVIOUS, 0, previous))
    if following is not None:
        rows.append((TermNeighbour.NEXT, 0, following))
    return rows
