"""What a page is for, read from its type, never from where it sits in the tree.

A page type that lists other pages (the home page, the section indexes) says so with the
class attribute ``lists_pages = True``: a change of a listed page shows there, and a
site-wide change warms those pages first. A new listing type needs only the attribute; a
page moved deeper or shallower keeps its role.
"""

from wagtail.models import Page, get_page_models


def listing_page_types():
    """The concrete page types that list others (``lists_pages``)."""
    return [model for model in get_page_models() if getattr(model, "lists_pages", False)]


def listing_page_ids():
    """The ids of every page of a listing type, live or not (one query)."""
    types = listing_page_types()
    if not types:
        return set()
    # No ORDER BY: Wagtail orders pages by path, which would make the planner walk the path
    # index over every page instead of the content type's.
    return set(Page.objects.type(*types).order_by().values_list("pk", flat=True))
