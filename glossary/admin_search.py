"""The admin's page search, as forgiving as the public one.

Wagtail's admin search is its backend's autocomplete: exact words, no synonyms, no term ids.
Editors type what visitors type ("capasity planing", an abbreviation, the id from a fixture),
so the admin's search (Pages › Search, and searching within the glossary index) finds pages
in this order: a term whose id is the query, then what the public search finds
(``core.search.find``: names and synonyms forgiven, ranked as the site ranks), then what
Wagtail's own search finds (drafts and private pages, which the public search leaves out).
Every list stays inside the pages the view offers (its part of the tree, the user's
permissions, its filters).
"""

import contextlib

from django.conf import settings
from django.db.models import Case, IntegerField, Value, When

from wagtail import hooks
from wagtail.admin.views.pages.listing import ExplorableIndexView
from wagtail.admin.views.pages.search import SearchView
from wagtail.models import Page
from wagtail.search.utils import parse_query_string

from core.search import MAX_CANDIDATES, MAX_QUERY_LENGTH, SearchTooSlow, find

from .models import GlossaryTermPage


def forgiving_ids(query, pages):
    """Ids of ``pages`` answering ``query``, best first (at most about 2 x MAX_CANDIDATES)."""
    query = query.strip()[:MAX_QUERY_LENGTH]
    ids = list(GlossaryTermPage.objects.filter(term_id__iexact=query).values_list("pk", flat=True))
    with contextlib.suppress(SearchTooSlow):  # Wagtail's own search below still answers
        ids += [result.fields["pk"] for result in find(query).results]
    ids += [page.pk for page in pages.autocomplete(query)[:MAX_CANDIDATES]]
    return list(dict.fromkeys(ids))


def forgiving_search(pages, query, ranked=True):
    """``pages`` narrowed to those answering ``query``; in that ranking unless ``ranked`` is
    false (the editor chose a column to sort by: the queryset's own order stays)."""
    ids = forgiving_ids(query, pages)
    found = pages.filter(pk__in=ids)
    if not ranked:
        return found
    rank = Case(
        *(When(pk=pk, then=Value(number)) for number, pk in enumerate(ids)),
        output_field=IntegerField(),
    )
    return found.order_by(rank) if ids else found


def has_filters(query):
    """Wagtail's own query syntax (``live:yes``): left to Wagtail's search."""
    filters, _query = parse_query_string(query)
    return bool(filters)


class TermListingView(ExplorableIndexView):
    """The glossary index's children (the term listing): forgiving search."""

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
        results = super().get_queryset()  # Wagtail's: permissions, facets, ordering
        query = self.search_query
        if not query or has_filters(query):
            return results
        pages = Page.objects.all()
        if getattr(settings, "WAGTAILADMIN_PAGE_SEARCH_FILTER_BY_PERMISSIONS", True):
            explorable = self.permission_policy.explorable_instances(self.request.user)
            pages = pages.filter(pk__in=explorable.values_list("pk", flat=True))
        if self.selected_content_type:
            pages = pages.filter(content_type=self.selected_content_type)
        if self.ordering:
            pages = pages.order_by(self.ordering)
        return forgiving_search(self.annotate_queryset(pages), query, ranked=not self.ordering)
