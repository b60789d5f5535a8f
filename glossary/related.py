"""Related terms and previous/next terms, computed when terms change and stored.

A visitor's request reads a term's neighbourhood with one indexed query
(``GlossaryTermPage.neighbourhood``); this module writes it. ``recompute()`` works over every
live, public term at once, so whichever term changed, every list that it moves is right
afterwards, and it returns the ids of the terms whose lists changed (their pages are stale).

How "related" is scored (hand-written: no maintained library ranks a few thousand short texts
without a search server or a numeric stack): the distinctive words of a term's name and key
questions are looked up in the other terms' name, synonyms, key questions and description;
each shared word counts its inverse document frequency, more in a name than in a description.
Words that more than ``COMMON_WORD_TERMS`` terms share say nothing about relatedness and are
skipped, which also bounds the work per term.
"""

import math
import re
from collections import defaultdict

from django.db import transaction

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
# How much a shared word weighs by where the other term has it.
FIELD_WEIGHTS = {"title": 3.0, "synonyms": 2.5, "key_questions": 2.0, "description": 1.0}
WORD = re.compile(r"[^\W\d_]{4,}")


def words_of(text):
    return [word for word in WORD.findall(text.lower()) if word not in STOP_WORDS]


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


def _live_terms():
    from core.internals import public_pages

    from .models import GlossaryTermPage

    return list(
        public_pages(GlossaryTermPage.objects.live())
        .order_by()
        .values_list("id", "title", "synonyms", "description", "key_questions")
    )


def sort_key(title):
    """A to Z as readers expect, the same on every database."""
    return (title.casefold(), title)


def related_lists(terms, pinned):
    """{term id: [related term ids]} for ``terms`` rows (id, title, synonyms, description,
    key_questions); ``pinned`` maps a term id to the live term ids its editors chose first."""
    postings = defaultdict(dict)  # word -> {term id: weight}
    queries = {}
    titles = {}
    for term_id, title, synonyms, description, key_questions in terms:
        questions = _questions(key_questions)
        titles[term_id] = title
        queries[term_id] = related_words(title, questions)
        fields = {
            "title": title,
            "synonyms": synonyms,
            "key_questions": " ".join(questions),
            "description": description,
        }
        for field, text in fields.items():
            weight = FIELD_WEIGHTS[field]
            for word in words_of(text):
                if postings[word].get(term_id, 0) < weight:
                    postings[word][term_id] = weight
    total = len(terms)
    lists = {}
    for term_id, words in queries.items():
        chosen = [other for other in pinned.get(term_id, []) if other in titles][:RELATED_SHOWN]
        scores = defaultdict(float)
        for word in words:
            holders = postings.get(word, {})
            if len(holders) > COMMON_WORD_TERMS:
                continue
            idf = math.log(1 + total / len(holders))
            for other, weight in holders.items():
                scores[other] += idf * weight
        for other in chosen:
            scores.pop(other, None)
        scores.pop(term_id, None)
        best = sorted(scores, key=lambda other: (-scores[other], sort_key(titles[other])))
        lists[term_id] = chosen + best[: RELATED_SHOWN - len(chosen)]
    return lists


def neighbour_pairs(terms):
    """{term id: (previous id, next id)} A to Z."""
    ordered = [row[0] for row in sorted(terms, key=lambda row: sort_key(row[1]))]
    return {
        term_id: (
            ordered[number - 1] if number > 0 else None,
            ordered[number + 1] if number + 1 < len(ordered) else None,
        )
        for number, term_id in enumerate(ordered)
    }


def _pinned():
    from .models import GlossaryTermPinnedTerm

    pinned = defaultdict(list)
    for page_id, term_id in GlossaryTermPinnedTerm.objects.order_by(
        "page_id", "sort_order"
    ).values_list("page_id", "term_id"):
        pinned[page_id].append(term_id)
    return pinned


def wanted_rows(terms, pinned):
    """{term id: [(kind, position, other id)]}: what the table should hold."""
    from .models import TermNeighbour

    wanted = defaultdict(list)
    for term_id, others in related_lists(terms, pinned).items():
        wanted[term_id].extend(
            (TermNeighbour.RELATED, position, other) for position, other in enumerate(others)
        )
    for term_id, (previous, following) in neighbour_pairs(terms).items():
        if previous is not None:
            wanted[term_id].append((TermNeighbour.PREVIOUS, 0, previous))
        if following is not None:
            wanted[term_id].append((TermNeighbour.NEXT, 0, following))
    return wanted


@transaction.atomic
def recompute():
    """Bring every term's stored neighbourhood up to date; return the ids of the terms whose
    neighbourhood changed (including terms that left it: unpublished, made private, deleted)."""
    from .models import TermNeighbour

    wanted = wanted_rows(_live_terms(), _pinned())
    stored = defaultdict(list)
    for term_id, kind, position, other in TermNeighbour.objects.order_by().values_list(
        "term_id", "kind", "position", "other_id"
    ):
        stored[term_id].append((kind, position, other))
    changed = {
        term_id
        for term_id in set(wanted) | set(stored)
        if sorted(wanted.get(term_id, [])) != sorted(stored.get(term_id, []))
    }
    if changed:
        TermNeighbour.objects.filter(term_id__in=changed).delete()
        TermNeighbour.objects.bulk_create(
            [
                TermNeighbour(term_id=term_id, kind=kind, position=position, other_id=other)
                for term_id in changed
                for kind, position, other in wanted.get(term_id, [])
            ],
            batch_size=1000,
        )
    return changed
