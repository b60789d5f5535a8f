"""The category filter both indexes offer."""

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
