"""The glossary's own routes, included by config/urls.py under ``glossary/``.

A Django view, not a route of the glossary page: Wagtail's page paths have no dots.
"""

from django.urls import path

from core.page_cache import cache_publicly

from . import views
from .changes import TERM_FEEDS
from .feeds import TermChangesAtomFeed, TermChangesFeed

urlpatterns = [
    path("download/glossary.<str:format>", views.download, name="glossary_download"),
    path("feed/", cache_publicly(TERM_FEEDS)(TermChangesFeed()), name="glossary_feed"),
    path(
        "feed/atom/", cache_publicly(TERM_FEEDS)(TermChangesAtomFeed()), name="glossary_feed_atom"
    ),
    path("whats-new/", views.whats_new, name="glossary_whats_new"),
]
