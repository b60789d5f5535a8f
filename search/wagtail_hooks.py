"""The admin's page search (Pages › Search) answers as the site's search does
(``search.admin_search``)."""

from wagtail import hooks
from wagtail.admin.viewsets.pages import PageViewSet

from core.admin_views import CreatedOncePageCreateView

from .admin_search import PageSearchView


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
