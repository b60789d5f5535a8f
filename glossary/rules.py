"""Editorial rules shared by the admin and the importer (pure: no models)."""

# Search engines show about this much of a meta description; the seed's is 240 characters.
DESCRIPTION_MAX_LENGTH = 320

# Addresses under the glossary index kept for its own pages: a term at /glossary/<slug>/ would
# take every address below it from the index (routing goes to the deepest page it finds).
# The index's routes are reserved as they are declared (``GlossaryIndexPage.reserved_slugs``);
# these are the Django views under its address (config/urls.py) and routes planned for later.
RESERVED_TERM_SLUGS = frozenset(
    {"download", "feed", "topics", "search", "api", "new", "page", "category", "all", "random"}
)


def unreserved_slug(slug, reserved):
    """``slug``, or ``<slug>-term`` when the index keeps ``slug`` for itself."""
    return f"{slug}-term" if slug.lower() in reserved else slug
