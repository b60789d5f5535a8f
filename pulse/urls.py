"""Pulse's own routes, included by config/urls.py under ``pulse/``: the article feeds, kept in
the page cache until an article changes (the ``feeds`` scope, declared by ``PulseConfig``)."""

from django.urls import path

from core.page_cache import FEEDS, cache_publicly

from .feeds import LatestArticlesAtomFeed, LatestArticlesFeed

urlpatterns = [
    path("feed/", cache_publicly(FEEDS)(LatestArticlesFeed()), name="pulse_feed"),
    path("feed/atom/", cache_publicly(FEEDS)(LatestArticlesAtomFeed()), name="pulse_feed_atom"),
]
