"""RSS and Atom feeds of the latest Pulse articles."""

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.utils.feedgenerator import Atom1Feed

from .models import PulseArticlePage, PulseIndexPage


class LatestArticlesFeed(Feed):
    title = "Pulse insights"

    def description(self):
        return f"The latest Pulse articles from the {settings.WAGTAIL_SITE_NAME}."

    def link(self):
        index = PulseIndexPage.objects.live().first()
        return index.url if index else "/"

    def items(self):
        return PulseArticlePage.latest(limit=30)

    def item_title(self, item):
        return item.title

    def item_description(self, item):
        return item.summary

    def item_link(self, item):
        return item.url

    def item_pubdate(self, item):
        return item.first_published_at

    def item_updateddate(self, item):
        return item.last_published_at

    def item_categories(self, item):
        return [item.category] if item.category else []


class LatestArticlesAtomFeed(LatestArticlesFeed):
    feed_type = Atom1Feed
    subtitle = LatestArticlesFeed.description
