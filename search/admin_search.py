"""The admin's page search, as forgiving as the public one.

Wagtail's admin search is its backend's autocomplete: exact words, no synonyms, no term ids.
Editors type what visitors type ("capasity planing", an abbreviation, the id from a fixture),
so the admin's search (Pages › Search, and searching within the glossary index) finds pages
in this order: a term whose id is the query, then what the public search finds
(``search.ranking.find``: names and synonyms forgiven, ranked as the site ranks), then what
Wagtail's own search finds (drafts and private pages, which the public search leaves out).
Every list stays inside the pages the view offers (its part of the tree, the user's
permissions, its filters). The exact keys come from the apps (``core.searchables``,
``key_field``): this module names no page type.
"""

import contextlib

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db.models import Case, Count, IntegerField, Value, When

from wagtail import hooks
from wagtail.admin.views.pages.listing import ExplorableIndexView
from wagtail.admin.views.pages.search import SearchView
from wagtail.models import Page
from wagtail.search.utils import parse_query_string

from core.filters import search_text
from core.searchables import searchables

from .candidates import MAX_CANDIDATES, SearchTooSlow
from .ranking import find


def forgiving_ids(query, pages):
    """Ids of ``pages`` answering ``query``, best first (at most about 2 x MAX_CANDIDATES)."""
    query = search_text(query)  # cleaned and capped as the public search's
    ids = [
        pk
        for searchable in searchables()
        if searchable.key_field
        for pk in searchable.model.objects.filter(
            **{f"{searchable.key_field}__iexact": query}
        ).values_list("pk", flat=True)
    ]
    with contextlib.suppress(SearchTooSlow):  # Wagtail's own search below still answers
        ids += [result.fields["pk"] for result in find(query).results]
    ids += [page.pk for page in pages.autocomplete(query)[:MAX_CANDIDATES]]
    return list(dict.fromkeys(ids))


def forgiving_search(pages, query, ranked=True):
    """``pages`` narrowed to those answering ``query``; in that ranking unless ``ranked`` is
    false (the editor chose a column to sort by: the queryset's own order stays)."""
    ids = forgiving_ids(query, pages)
    return ranked_by(pages.filter(pk__in=ids), ids if ranked else [])


def ranked_by(pages, ids):
    """``pages`` in the order of ``ids`` (none: as they are)."""
    if not ids:
        return pages
    rank = Case(
        *(When(pk=pk, then=Value(number)) for number, pk in enumerate(ids)),
        output_field=IntegerField(),
    )
    return pages.order_by(rank)


def has_filters(query):
    """Wagtail's own query syntax (``live:yes``): left to Wagtail's search."""
    filters, _query = parse_query_string(query)
    return bool(filters)


class ForgivingListingView(ExplorableIndexView):
    """A page's children in the explorer (the glossary index's terms), searched forgivingly."""

    def search_queryset(self, queryset):
        if not self.is_searching or has_filters(self.search_query):
            return super().search_queryset(queryset)
        # As Wagtail's own: hooks see a queryset, before the search.
        for hook in hooks.get_hooks("construct_explorer_page_queryset"):
            queryset = hook(self.parent_page, queryset, self.request)
        return forgiving_search(queryset, self.search_query, not self.is_explicitly_ordered)


class PageSearchView(SearchView):
    """Pages › Search: forgiving search; the page type facets stay Wagtail's."""

    def get_queryset(self):
        query = self.search_query
        if not query or has_filters(query):
            return super().get_queryset()
        # Wagtail's own ``get_queryset`` is not called: it would run its exact search (and its
        # facets) only for its answer to be thrown away. The same steps, on what we find.
        pages = Page.objects.all()
        if getattr(settings, "WAGTAILADMIN_PAGE_SEARCH_FILTER_BY_PERMISSIONS", True):
            explorable = self.permission_policy.explorable_instances(self.request.user)
            pages = pages.filter(pk__in=explorable.values_list("pk", flat=True))
        ids = forgiving_ids(query, pages)
        # "All (N)", "There are N matching pages" and the page type facets count what is found.
        self.all_pages = pages.filter(pk__in=ids)
        counts = self.all_pages.order_by().values_list("content_type").annotate(Count("pk"))
        self.content_types = [
            (ContentType.objects.get_for_id(content_type), count) for content_type, count in counts
        ]
        results = self.all_pages
        if self.show_locale_labels:
            results = results.select_related("locale")
        if self.selected_content_type:
            results = results.filter(content_type=self.selected_content_type)
        results = self.annotate_queryset(results)
        if self.ordering:
            return results.order_by(self.ordering)
        return ranked_by(results, ids)
