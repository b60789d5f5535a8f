"""The RSS and Atom feeds as feed readers read them: feedparser (strict) and RFC 4287."""

import datetime
import time

from django.utils import timezone

from wagtail.test.utils import WagtailPageTestCase

from pulse.models import PulseArticlePage
from tests.checks.readers import atom_problems, parse_feed
from tests.factories import PulseArticlePageFactory

ATOM_URL, RSS_URL = "/pulse/feed/atom/", "/pulse/feed/"


def day(parsed_time):
    return time.strftime("%Y-%m-%d", parsed_time)


class FeedTests(WagtailPageTestCase):
    @classmethod
    def setUpTestData(cls):
        # As an import makes them: every article first published in the same instant, long
        # after the dates the articles were published on.
        cls.dated = PulseArticlePageFactory(
            title="R and D pipelines", published_date=datetime.date(2025, 3, 4)
        )
        cls.older = PulseArticlePageFactory(
            title="Older piece", published_date=datetime.date(2024, 11, 20)
        )
        cls.bare = PulseArticlePageFactory(
            title="No summary",
            summary="",
            published_date=datetime.date(2025, 1, 9),
            body=[("paragraph", "<p>Capacity planning <b>starts</b> with demand. </p>")],
        )
        imported = timezone.make_aware(datetime.datetime(2026, 5, 1, 9, 30))
        PulseArticlePage.objects.update(first_published_at=imported, last_published_at=imported)

    def entries(self, url):
        return {entry.title: entry for entry in parse_feed(self.client.get(url).content).entries}

    def test_both_feeds_read_cleanly(self):
        for url in (RSS_URL, ATOM_URL):
            with self.subTest(url=url):
                self.assertEqual(len(parse_feed(self.client.get(url).content).entries), 3)

    def test_atom_has_every_element_rfc_4287_requires(self):
        self.assertEqual(atom_problems(self.client.get(ATOM_URL).content), [])

    def test_the_feed_and_its_entries_have_an_author(self):
        parsed = parse_feed(self.client.get(ATOM_URL).content)
        self.assertEqual(parsed.feed.author_detail.name, "Plexsive")
        self.assertEqual({entry.author for entry in parsed.entries}, {"Plexsive"})
        self.assertEqual({e.author for e in self.entries(RSS_URL).values()}, {"Plexsive"})

    def test_articles_are_dated_by_their_publication_date_not_the_import(self):
        for url in (RSS_URL, ATOM_URL):
            with self.subTest(url=url):
                entries = self.entries(url)
                self.assertEqual(day(entries["R and D pipelines"].published_parsed), "2025-03-04")
                self.assertEqual(day(entries["Older piece"].published_parsed), "2024-11-20")

    def test_each_entry_is_updated_when_its_article_last_changed(self):
        entries = self.entries(ATOM_URL)
        updated = {title: day(entry.updated_parsed) for title, entry in entries.items()}
        self.assertEqual(
            updated,
            {
                "R and D pipelines": "2025-03-04",
                "Older piece": "2024-11-20",
                "No summary": "2025-01-09",
            },
        )
        # An editor changes one article: that entry alone moves, and the feed with it.
        older = PulseArticlePage.objects.get(pk=self.older.pk)
        older.summary = "Revised."
        older.save_revision().publish()
        parsed = parse_feed(self.client.get(ATOM_URL).content)
        entries = {entry.title: entry for entry in parsed.entries}
        today = timezone.now().strftime("%Y-%m-%d")
        self.assertEqual(day(entries["Older piece"].updated_parsed), today)
        self.assertEqual(day(entries["R and D pipelines"].updated_parsed), "2025-03-04")
        self.assertEqual(day(parsed.feed.updated_parsed), today)

    def test_an_article_without_a_summary_is_summarised_by_its_opening(self):
        for url in (RSS_URL, ATOM_URL):
            with self.subTest(url=url):
                entry = self.entries(url)["No summary"]
                self.assertEqual(entry.summary, "Capacity planning starts with demand.")


class AtomCheckTests(WagtailPageTestCase):
    """The RFC 4287 check finds what it is there to find."""

    def test_it_reports_missing_authors_updated_and_summaries(self):
        feed = (
            '<feed xmlns="http://www.w3.org/2005/Atom"><id>urn:x</id><title>T</title>'
            "<updated>2026-01-01T00:00:00Z</updated>"
            "<entry><id>urn:a</id><title>A</title><summary> </summary></entry></feed>"
        )
        self.assertEqual(
            atom_problems(feed),
            [
                "feed: no author, and not every entry has one",
                "entry 1 (urn:a): no updated",
                "entry 1 (urn:a): no author",
                "entry 1 (urn:a): no summary or content",
            ],
        )
