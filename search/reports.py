"""Admin reports on what visitors searched for (``SearchQueryDay``, written by the worker):
the popular searches, and those that found nothing or little, over a chosen period."""

import datetime

import django_filters

from django.conf import settings
from django.db.models import Max, OuterRef, Subquery, Sum
from django.http import HttpResponseBadRequest
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode

from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.ui.tables import Column
from wagtail.admin.views.reports import ReportView
from wagtail.permission_policies import ModelPermissionPolicy

from core.spreadsheets import SafeSpreadsheetMixin

from .models import SearchQueryDay

PERIODS = [("7", "Last 7 days"), ("30", "Last 30 days"), ("90", "Last 90 days")]
DEFAULT_PERIOD = 30
DASHBOARD_DAYS = 7
DASHBOARD_ROWS = 5


def few_results():
    return getattr(settings, "SEARCH_LOG_FEW_RESULTS", 2)


def searches_since(days, today=None):
    """{query, searches, results, last_day} of the queries searched in the last ``days``
    days, most searched first: ``results`` is what the query's latest search found."""
    today = today or timezone.localdate()
    latest = (
        SearchQueryDay.objects.filter(query=OuterRef("query")).order_by("-day").values("results")
    )
    return (
        SearchQueryDay.objects.filter(day__gt=today - datetime.timedelta(days=days))
        .values("query")
        .annotate(searches=Sum("searches"), results=Subquery(latest[:1]), last_day=Max("day"))
        .order_by("-searches", "query")
    )


def failed_searches_since(days, today=None):
    """``searches_since``, of the queries whose latest search found ``SEARCH_LOG_FEW_RESULTS``
    results or fewer."""
    return searches_since(days, today).filter(results__lte=few_results())


def new_term_url(query):
    return reverse("search_reports:new_term") + "?" + urlencode({"q": query})


class PeriodFilterSet(WagtailFilterSet):
    """The period, a fixed choice: anything else is refused (400), never guessed."""

    period = django_filters.ChoiceFilter(
        choices=PERIODS, label="Period", empty_label=None, method="keep"
    )

    def keep(self, queryset, name, value):
        return queryset  # applied before the counts are summed (``searches_since``)

    class Meta:
        model = SearchQueryDay
        fields = []


class NewTermColumn(Column):
    """A link that starts a new draft term named after the query."""

    cell_template_name = "search/admin/new_term_cell.html"

    def get_value(self, instance):
        return new_term_url(instance["query"])


class SearchReport(SafeSpreadsheetMixin, ReportView):
    """Visitors wrote these queries: the CSV keeps formulas as text (``SafeSpreadsheetMixin``)."""

    model = SearchQueryDay
    permission_policy = ModelPermissionPolicy(SearchQueryDay)
    permission_required = "view"
    filterset_class = PeriodFilterSet
    # The table's columns are the spreadsheet's.
    export_headings = {
        "query": "Query",
        "searches": "Searches",
        "results": "Results (latest search)",
        "last_day": "Last searched",
    }
    list_export = list(export_headings)
    columns = [Column(name, label=heading) for name, heading in export_headings.items()]

    def get(self, request, *args, **kwargs):
        if self.filters is not None and not self.filters.is_valid():
            return HttpResponseBadRequest("Choose a period of 7, 30 or 90 days.")
        return super().get(request, *args, **kwargs)

    @property
    def days(self):
        chosen = self.filters.form.cleaned_data.get("period") if self.filters else None
        return int(chosen or DEFAULT_PERIOD)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["days"] = self.days
        return context


class PopularSearchesReport(SearchReport):
    page_title = "Popular searches"
    header_icon = "search"
    index_url_name = "search_reports:popular"
    index_results_url_name = "search_reports:popular_results"
    export_filename = "popular-searches"

    def get_queryset(self):
        return searches_since(self.days)


class FailedSearchesReport(SearchReport):
    page_title = "Searches that found little"
    header_icon = "warning"
    index_url_name = "search_reports:failed"
    index_results_url_name = "search_reports:failed_results"
    export_filename = "searches-that-found-little"
    columns = [*SearchReport.columns, NewTermColumn("new_term", label="New term")]

    def get_queryset(self):
        return failed_searches_since(self.days)
