"""RSS and Atom feeds of new and changed terms (``/glossary/feed/``, ``/glossary/feed/atom/``).

Each entry is one published change (``glossary.changes``): "New term: X" for a term's first,
"Updated: X" for a later one, with the change note and the short definition, dated by the
publish. Its id is ``<term URL>#change-<id>``: stable, and one per change (a term changed
twice is two entries), so it is not a permalink. Addresses and author are
every feed's (``core.feeds``). Kept in the page cache under ``TERM_FEEDS``.
"""

from django.conf import settings
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed

from core.feeds import SiteFeed
from core.seo import site_url

from .changes import FEED_ENTRIES, label, newest_changes, summary


class TermChangesFeed(SiteFeed):
    title = "Glossary: new and updated terms"

    def description(self):
        return f"Terms added to and definitions changed in the {settings.WAGTAIL_SITE_NAME}."

    def link(self, request):
        return site_url(request, reverse("glossary_whats_new"))

    def items(self, request):
        items = list(newest_changes()[:FEED_ENTRIES])
        for item in items:
            item.feed_link = item.term.get_full_url(request)
        return items

    def item_title(self, item):
        prefix = "New term" if label(item) == "New" else "Updated"
        return f"{prefix}: {item.term.title}"

    def item_description(self, item):
        return summary(item)

    def item_link(self, item):
        return item.feed_link

    def item_guid(self, item):
        return f"{item.feed_link}#change-{item.pk}"

    item_guid_is_permalink = False

    def item_pubdate(self, item):
        return item.date

    def item_updateddate(self, item):
        return item.date

    def item_categories(self, item):
        return [item.term.category] if item.term.category else []


class TermChangesAtomFeed(TermChangesFeed):
    feed_type = Atom1Feed
    subtitle = TermChangesFeed.description
