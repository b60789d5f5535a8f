"""A visitor's query: the one cleaning of ``q`` and the words a search looks for."""

import re

from core.filters import search_text

# Words of a question that say nothing of its subject ("what is the ..."): left out of the
# query on every database (SQLite's index keeps them, PostgreSQL's English one drops them).
# fmt: off
FUNCTION_WORDS = {
    "a", "an", "and", "are", "as", "at", "be", "by", "do", "does", "for", "how", "in", "is",
    "it", "of", "on", "or", "the", "to", "what", "when", "where", "which", "who", "why",
}
# fmt: on


def requested_query(request):
    """The ``q`` a visitor or API client asked for, cleaned as the page cache keys it
    (``core.filters.search_text``): the one cleaning for the results page, the search box's
    suggestions and the API, so all answer the same words."""
    return search_text(request.GET.get("q", ""))


def words_of(text):
    return set(re.findall(r"\w+", str(text).lower()))


def query_words(query):
    """The words a search looks for: function words dropped, unless they are all there is."""
    words = words_of(query)
    return (words - FUNCTION_WORDS) or words
