"""Search relevance: does a visitor's half-remembered query find the term they mean, first?

The set is data, beside this module: ``relevance_terms.csv`` holds a glossary's worth of real
terms (name, synonyms, description; the last two, "Bill of materials" and "Net promoter
score", carry no abbreviation in their names and are found by their initials all the same)
and ``relevance_queries.csv`` what visitors type for them, grouped by kind (typing mistakes,
the start of a name, plurals, abbreviations and synonyms, whole names). The test suite holds
the set to ``GOAL`` on its database (``tests/search/test_relevance.py``); ``python -m
bench.relevance`` measures it on throwaway databases of both kinds, and the serving
benchmarks mix these names among the generated ones.
"""

import csv
from pathlib import Path

from devkit.corpus import write_corpus

GOAL = 0.95  # share of queries whose first result is the expected term
HERE = Path(__file__).resolve().parent


def _rows(name):
    with (HERE / name).open(encoding="utf-8", newline="") as rows:
        return list(csv.DictReader(rows))


# (name, synonyms, description)
NAMED_TERMS = [
    (row["name"], row["synonyms"], row["description"]) for row in _rows("relevance_terms.csv")
]
# (what a visitor types, the term they mean)
QUERIES = [(row["query"], row["expected"]) for row in _rows("relevance_queries.csv")]


def write_relevance_corpus(out, filler=300):
    """The named terms among ``filler`` generated ones whose names share words with them."""
    return write_corpus(out, terms=filler, articles=20, seed=7, named=NAMED_TERMS)


def evaluate():
    """(hits, misses) of ``QUERIES`` on the current database: misses as (query, expected,
    first result or None)."""
    from search.ranking import find

    hits, misses = 0, []
    for query, expected in QUERIES:
        results = find(query).results
        first = results[0].title if results else None
        if first == expected:
            hits += 1
        else:
            misses.append((query, expected, first))
    return hits, misses


def report(hits, misses):
    total = hits + len(misses)
    lines = [f"first-result hits: {hits}/{total} = {hits / total:.1%} (goal {GOAL:.0%})"]
    lines += [
        f"  miss: {query!r} → {first!r}, expected {expected!r}" for query, expected, first in misses
    ]
    return "\n".join(lines)
