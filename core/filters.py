"""The query parameters the site's listings share: the category filter, the page number and
the search's ``q``, each read one way by the views and by the page cache's key
(``core.page_cache.canonical_value``)."""

from django.core.paginator import EmptyPage, Paginator
from django.http import Http404
from django.utils.http import urlencode

# Long queries cost the search backend and never help a visitor.
MAX_QUERY_LENGTH = 200


def search_text(value):
    """A ``q`` as the search reads it: runs of white space made one space, trimmed and capped
    at ``MAX_QUERY_LENGTH`` (NUL is refused earlier: core.parameters)."""
    return " ".join(value.split())[:MAX_QUERY_LENGTH].strip()


def page_number(value):
    """The whole number a ``?page=`` gives, or None for anything else (page 1)."""
    value = value.strip()
    return int(value) if value.isascii() and value.isdigit() and len(value) < 10 else None


def category_filter(request, categories):
    """Context for ``includes/category_filter.html`` and the chosen category.

    ``categories`` are the sorted, non-empty categories of the index's live, public child
    pages. The filter is offered only when there is more than one category to choose from.
    """
    category = request.GET.get("category", "")
    context = {"categories": categories if len(categories) > 1 else [], "category": category}
    if category:
        context["extra_query"] = urlencode({"category": category})
    return category, context


def listing_page(request, items, per_page, count):
    """The page of ``items`` the visitor asked for (``?page=N``), ``count`` of them in all.

    A number past the last page (or below 1) is a 404, not a soft 404 showing an empty list or
    the last page again; a value that is not a number is page 1.
    """
    paginator = Paginator(items, per_page, allow_empty_first_page=True)
    paginator.count = count  # counted already, with the categories: no second COUNT query
    number = page_number(request.GET.get("page", ""))
    if number is None:
        number = 1
    try:
        return paginator.page(number)
    except EmptyPage as error:
        raise Http404("No such page of the list") from error
