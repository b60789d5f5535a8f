"""The category filter and the pages both indexes offer."""

from django.core.paginator import EmptyPage, Paginator
from django.http import Http404
from django.utils.http import urlencode


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
    the last page again; a value that is not a number is page 1, as the page cache reads it
    (``core.page_cache.canonical_value``).
    """
    paginator = Paginator(items, per_page, allow_empty_first_page=True)
    paginator.count = count  # counted already, with the categories: no second COUNT query
    number = request.GET.get("page", "").strip()
    if not (number.isascii() and number.isdigit() and len(number) < 10):
        number = 1
    try:
        return paginator.page(number)
    except EmptyPage as error:
        raise Http404("No such page of the list") from error
