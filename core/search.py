"""Search ranking that means the same on every database.

Wagtail's SQLite backend ranks only "title" against "everything else", while PostgreSQL
weighs each field by its boost. So the backend finds and orders the candidates, and this
module puts them in the order the glossary promises: a match in the name first, then in the
key questions (or synonyms), then in the description, then anywhere in the body.
"""

import re

from wagtail.models import Page
from wagtail.search.utils import parse_query_string

# Candidates re-ranked per query: enough for any real glossary search, bounded in cost.
MAX_CANDIDATES = 500

TIERS = (
    ("title",),
    ("key_questions", "synonyms"),
    ("description", "summary"),
)


def _words(text):
    return set(re.findall(r"\w+", str(text).lower()))


def _field_text(page, name):
    value = getattr(page, name, "")
    if name == "key_questions":
        return " ".join(str(block.value) for block in value)
    return value or ""


def tier(page, words):
    """0 when every query word is in the name, 1 in the key questions, 2 in the description, 3 else."""
    for number, fields in enumerate(TIERS):
        found = set().union(*(_words(_field_text(page, name)) for name in fields))
        if words <= found:
            return number
    return len(TIERS)


def search_pages(query):
    """Live, public pages matching ``query``, best first (at most MAX_CANDIDATES)."""
    # Parsed into Wagtail's query objects, so quotes and operators are words, never syntax.
    _filters, parsed = parse_query_string(query)
    candidates = list(Page.objects.live().public().specific().search(parsed)[:MAX_CANDIDATES])
    words = _words(query)
    if not words:
        return candidates
    # sorted() is stable: within a tier the backend's own ranking stands.
    return sorted(candidates, key=lambda page: tier(page, words))
