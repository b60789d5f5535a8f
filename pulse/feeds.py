"""RSS and Atom feeds of the latest Pulse articles.

What feed readers check (RFC 4287 for Atom): an author on the feed and on each entry (the
organisation behind the site: articles have no author of their own), an ``updated`` per entry
that is that article's own last change, a summary that is never blank, and each article dated
by its publication date, as its page, JSON-LD and the API date it.
"""

from django.conf import settings
from django.utils.feedgenerator import Atom1Feed

from core.feeds import SiteFeed
from core.seo import site_url

from .models import PulseArticlePage, PulseIndexPage


class LatestArticlesFeed(SiteFeed):
    """The 30 newest articles; addresses and author as every feed's (``core.feeds``)."""

    title = "Pulse insights"

    def description(self):
        return f"The latest Pulse articles from the {settings.WAGTAIL_SITE_NAME}."

    def link(self, request):
        index = PulseIndexPage.objects.live().first()
        return index.get_full_url(request) if index else site_url(request, "/")

    def items(self, request):
        items = list(PulseArticlePage.latest(limit=30))
        for item in items:
            item.feed_link = item.get_full_url(request)
        return items

    def item_title(self, item):
        return item.title

    def item_description(self, item):
        return item.listing_summary()

    def item_link(self, item):
        return item.feed_link

    def item_pubdate(self, item):
        return item.published_at

    def item_updateddate(self, item):
        return item.updated_at

    def item_categories(self, item):
        return [item.category] if item.category else []


class LatestArticlesAtomFeed(LatestArticlesFeed):
    feed_type = Atom1Feed
    subtitle = LatestArticlesFeed.description
