"""The search's admin: Pages › Search answering as the site's search does
(``search.admin_search``), its reports, the new-term form, the dashboard panel of failed
searches, and Wagtail's search promotions kept to what the site uses."""

from django.urls import include, path, reverse

from wagtail import hooks
from wagtail.admin.ui.components import Component
from wagtail.admin.viewsets.pages import PageViewSet

from core.admin_views import CreatedOncePageCreateView, report_paths
from core.menus import PermittedMenuItem

from . import admin_views
from .admin_search import PageSearchView
from .reports import (
    DASHBOARD_DAYS,
    DASHBOARD_ROWS,
    FailedSearchesReport,
    PopularSearchesReport,
    failed_searches_since,
    new_term_url,
)

VIEW_PERMISSION = "search.view_searchqueryday"


@hooks.register("register_admin_urls")
def register_report_urls():
    urls = [
        *report_paths("popular/", PopularSearchesReport, "popular"),
        *report_paths("found-little/", FailedSearchesReport, "failed"),
        path("new-term/", admin_views.new_term, name="new_term"),
    ]
    return [path("reports/search/", include((urls, "search_reports")))]


@hooks.register("register_reports_menu_item")
def register_popular_report():
    return PermittedMenuItem.for_permission(
        VIEW_PERMISSION, "Popular searches", "search_reports:popular", icon_name="search", order=810
    )


@hooks.register("register_reports_menu_item")
def register_failed_report():
    return PermittedMenuItem.for_permission(
        VIEW_PERMISSION,
        "Searches that found little",
        "search_reports:failed",
        icon_name="warning",
        order=811,
    )


@hooks.register("construct_reports_menu")
def hide_wagtails_search_terms_report(request, menu_items):
    """Wagtail's "Search terms" report reads its own daily hits, which the site never writes
    (``search.log`` counts): the reports above replace it."""
    menu_items[:] = [item for item in menu_items if item.name != "search-terms"]


class FailedSearchesPanel(Component):
    """This week's most frequent searches that found nothing or little."""

    name = "failed_searches"
    template_name = "search/admin/failed_searches_panel.html"
    order = 240

    def get_context_data(self, parent_context):
        rows = list(failed_searches_since(DASHBOARD_DAYS)[:DASHBOARD_ROWS])
        for row in rows:
            row["new_term_url"] = new_term_url(row["query"])
        return {
            "searches": rows,
            "days": DASHBOARD_DAYS,
            "report_url": reverse("search_reports:failed") + f"?period={DASHBOARD_DAYS}",
        }


@hooks.register("construct_homepage_panels")
def add_failed_searches_panel(request, panels):
    if request.user.has_perm(VIEW_PERMISSION):
        panels.append(FailedSearchesPanel())


class SitePageViewSet(PageViewSet):
    """Wagtail's page views, with the forgiving page search, and the create view every page
    type uses (``core.admin_views.CreatedOncePageCreateView``: one page of one form).

    Registered here because Wagtail takes one viewset for ``Page``; page types with a viewset
    of their own (the glossary's terms) set the same create view."""

    search_view_class = PageSearchView
    add_view_class = CreatedOncePageCreateView


@hooks.register("register_admin_viewset")
def register_page_viewset():
    # After Wagtail's own (order -1): it takes over its views for Page.
    return SitePageViewSet()
