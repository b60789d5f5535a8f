"""Editorial rules shared by the admin and the importer (pure: no models)."""

import contextlib
import re
from contextvars import ContextVar

# Search engines show about this much of a meta description; the seed's is 240 characters.
DESCRIPTION_MAX_LENGTH = 320

# A term's id is its key in fixture files and names the file the export writes for it, so it
# holds only what is safe in a file name everywhere: the seed's hex ids ("e0c71804d0d3"), the
# admin's (``new_term_id``) and hand-made ones ("lt-1", "t_2") all fit.
TERM_ID_MAX_LENGTH = 64
TERM_ID_PATTERN = re.compile(r"[A-Za-z0-9][A-Za-z0-9_-]*")
TERM_ID_RULE = (
    f"term ids are at most {TERM_ID_MAX_LENGTH} ASCII letters, digits, '-' and '_', "
    "starting with a letter or digit"
)


def is_valid_term_id(value) -> bool:
    return (
        isinstance(value, str)
        and len(value) <= TERM_ID_MAX_LENGTH
        and TERM_ID_PATTERN.fullmatch(value) is not None
    )


# The definition a draft started from a reader's suggestion carries (``feedback``) until an
# editor writes one: the term's own validation refuses to save it once the draft exists.
SUGGESTED_TERM_PLACEHOLDER = "Suggested by a reader: write the definition before publishing."


# Addresses under the glossary index kept for its own pages: a term at /glossary/<slug>/ would
# take every address below it from the index (routing goes to the deepest page it finds).
# The index's routes are reserved as they are declared (``GlossaryIndexPage.reserved_slugs``);
# these are the Django views under its address (config/urls.py) and routes planned for later.
RESERVED_TERM_SLUGS = frozenset(
    {"download", "feed", "topics", "search", "api", "new", "page", "category", "all", "random"}
    | {"whats-new"}
)


def unreserved_slug(slug, reserved):
    """``slug``, or ``<slug>-term`` when the index keeps ``slug`` for itself."""
    return f"{slug}-term" if slug.lower() in reserved else slug


# A term's sources are links readers follow: web addresses only (not javascript:, mailto:).
SOURCE_URL_SCHEMES = ("http", "https")


def cycle_from(start, edges):
    """A cycle through ``start`` ([start, …, start]) following ``edges`` ({node: [its broader
    nodes]}), or None. Depth first, keeping the path; every node is visited once. Pure: the
    editor's check (pks) and the import's (term ids) share it."""
    stack, seen = [(start, [start])], set()
    while stack:
        current, path = stack.pop()
        for parent in reversed(edges.get(current, ())):
            if parent == start:
                return [*path, start]
            if parent not in seen:
                seen.add(parent)
                stack.append((parent, [*path, parent]))
    return None


# True while an import writes: links between terms (broader terms, replacements) were checked
# against the state the whole run leaves; checked against the database halfway through the
# run, a link the run reverses would look like a cycle.
LINKS_CHECKED_BY_RUN = ContextVar("links_checked_by_run", default=False)


@contextlib.contextmanager
def links_checked_by_run():
    token = LINKS_CHECKED_BY_RUN.set(True)
    try:
        yield
    finally:
        LINKS_CHECKED_BY_RUN.reset(token)
