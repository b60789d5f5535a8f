"""What every feed of the site shares (``pulse``'s articles, ``glossary``'s changes and term
of the day). Addresses are the request's Site's (``get_object`` hands the request to the
others), as on canonical links and in the sitemap, so an entry's id stays the same whatever
Host header a reader's request came with. The author, on the feed and on each entry as RFC 4287
asks, is the organisation behind the site: entries have no author of their own."""

from django.conf import settings
from django.contrib.syndication.views import Feed

from .seo import site_url


class SiteFeed(Feed):
    author_name = settings.SITE_ORGANISATION_NAME

    def get_object(self, request, *args, **kwargs):
        return request

    def feed_url(self, request):
        return site_url(request, request.path)

    def item_author_name(self, item):
        return settings.SITE_ORGANISATION_NAME
