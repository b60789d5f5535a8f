"""The glossary's own routes, included by config/urls.py under ``glossary/``.

A Django view, not a route of the glossary page: Wagtail's page paths have no dots.
"""

from django.urls import path

from core.page_cache import cache_publicly

from . import daily, daily_feeds, views
from .changes import TERM_FEEDS
from .feeds import TermChangesAtomFeed, TermChangesFeed

urlpatterns = [
    path("download/glossary.<str:format>", views.download, name="glossary_download"),
    path("feed/", cache_publicly(TERM_FEEDS)(TermChangesFeed()), name="glossary_feed"),
    path(
        "feed/atom/", cache_publicly(TERM_FEEDS)(TermChangesAtomFeed()), name="glossary_feed_atom"
    ),
    path("whats-new/", views.whats_new, name="glossary_whats_new"),
    # The term of the day's feeds, cached until the day or a term changes.
    path(
        "feed/term-of-the-day/",
        cache_publicly(daily.DAILY)(daily_feeds.TermOfTheDayFeed()),
        name="term_of_the_day_feed",
    ),
    path(
        "feed/term-of-the-day/atom/",
        cache_publicly(daily.DAILY)(daily_feeds.TermOfTheDayAtomFeed()),
        name="term_of_the_day_feed_atom",
    ),
]
