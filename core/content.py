"""What the site's content pages (a glossary term, a Pulse article) have in common."""

from core import page_cache


class ContentPageMixin:
    """A content page has no children, and its body links glossary terms (linked mentions)
    whose names and descriptions show on it: a change of terms makes it stale."""

    subpage_types = []
    cache_depends_on = (page_cache.TERMS,)


def content_search_fields(*weighted):
    """A content page's index: Page's (its title first), the ``weighted`` fields, then what
    every content type shares: its body's words, a category filter and its title
    autocompleted (the search box's suggestions and the admin's choosers)."""
    from wagtail.models import Page
    from wagtail.search import index

    return Page.search_fields + [
        *weighted,
        index.SearchField("body"),
        index.FilterField("category"),
        index.AutocompleteField("title"),
    ]
