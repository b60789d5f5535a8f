"""RSS and Atom feeds of the term of the day: the last 30 days' terms, today first.

One entry per date, so a term chosen twice in a month is two entries: each entry's id is the
term's address with the date (``#day-YYYY-MM-DD``), and it is dated at the start of its day
(in the site's time zone). Addresses and author are every feed's
(``core.feeds``). Kept in the page cache under the ``daily`` scope (``glossary.daily``).
"""

import datetime

from django.conf import settings
from django.utils import timezone
from django.utils.feedgenerator import Atom1Feed

from core.feeds import SiteFeed
from core.seo import site_url

from . import daily


class TermOfTheDayFeed(SiteFeed):
    title = f"{settings.WAGTAIL_SITE_NAME}: term of the day"

    def description(self):
        return f"One term a day from the {settings.WAGTAIL_SITE_NAME}, with its definition."

    def link(self, request):
        return site_url(request, "/")

    def items(self, request):
        days = daily.recent_days()
        for day in days:
            day.link = day.term.get_full_url(request)
        return days

    def item_title(self, day):
        return f"{day.date:%-d %B %Y}: {day.term.title}"

    def item_description(self, day):
        return " ".join(part for part in (day.term.description, day.note) if part) or day.term.title

    def item_link(self, day):
        return day.link

    def item_guid(self, day):
        return f"{day.link}#day-{day.date.isoformat()}"

    item_guid_is_permalink = False

    def item_pubdate(self, day):
        midnight = datetime.datetime.combine(day.date, datetime.time())
        return timezone.make_aware(midnight)

    def item_updateddate(self, day):
        return self.item_pubdate(day)

    def item_categories(self, day):
        return [day.term.category] if day.term.category else []


class TermOfTheDayAtomFeed(TermOfTheDayFeed):
    feed_type = Atom1Feed
    subtitle = TermOfTheDayFeed.description
