"""The feeds of new and changed terms (/glossary/feed/, /glossary/feed/atom/): each entry a
published change, read by feedparser as feed readers read it, never a draft, unpublished or
private term's, and new at once after each change (the ``term_feeds`` scope)."""

import datetime

from django.core.cache import cache
from django.utils import timezone

from wagtail.models import PageViewRestriction
from wagtail.test.utils import WagtailPageTestCase

from glossary.models import GlossaryTermPage, TermChange
from tests.checks.readers import atom_problems, parse_feed
from tests.factories import GlossaryTermPageFactory

from .test_term_history import publish

RSS_URL, ATOM_URL = "/glossary/feed/", "/glossary/feed/atom/"


def dated(page, when):
    """Move the term's changes to ``when`` (a fixed order of entries, whatever the clock)."""
    TermChange.objects.filter(term=page).update(date=when)


class ChangeFeedTests(WagtailPageTestCase):
    def setUp(self):
        cache.clear()
        self.kanban = publish(GlossaryTermPageFactory(title="Kanban", slug="kanban"))
        dated(self.kanban, timezone.make_aware(datetime.datetime(2026, 3, 1, 9)))
        self.kanban = publish(
            self.kanban,
            description="A board of cards, one per piece of work.",
            change_note="Clarified the definition",
        )

    def entries(self, url=RSS_URL):
        response = self.client.get(url)
        self.assertEqual(response.status_code, 200)
        return parse_feed(response.content).entries

    def test_both_feeds_read_cleanly_with_titles_notes_and_dates(self):
        for url in (RSS_URL, ATOM_URL):
            with self.subTest(url=url):
                entries = self.entries(url)
                self.assertEqual(
                    [entry.title for entry in entries], ["Updated: Kanban", "New term: Kanban"]
                )
                updated, first = entries
                self.assertIn("Clarified the definition", updated.summary)
                self.assertIn("A board of cards", updated.summary)
                self.assertIn("First published", first.summary)
                self.assertEqual(updated.link, "http://localhost/glossary/kanban/")
                self.assertEqual(first.published_parsed[:3], (2026, 3, 1))
                change = TermChange.objects.filter(term=self.kanban).latest("date")
                self.assertEqual(
                    updated.id, f"http://localhost/glossary/kanban/#change-{change.pk}"
                )
        atom = self.client.get(ATOM_URL).content
        self.assertEqual(atom_problems(atom), [])

    def test_the_index_and_whats_new_point_feed_readers_at_both(self):
        for url in ("/glossary/", "/glossary/whats-new/"):
            html = self.client.get(url).content.decode()
            with self.subTest(url=url):
                self.assertIn(
                    f'type="application/rss+xml" title="Glossary: new and updated terms" href="{RSS_URL}"',
                    html,
                )
                self.assertIn(
                    f'type="application/atom+xml" title="Glossary: new and updated terms (Atom)" href="{ATOM_URL}"',
                    html,
                )

    def test_a_draft_is_never_in_the_feed(self):
        draft = GlossaryTermPage.objects.get(pk=self.kanban.pk)
        draft.description = "A draft nobody published."
        draft.save_revision()
        titles = [entry.title for entry in self.entries()]
        self.assertEqual(len(titles), 2)
        self.assertNotIn("A draft nobody published", self.client.get(RSS_URL).content.decode())

    def test_the_feeds_follow_each_change_at_once(self):
        """Each feed is cached first, so only invalidation can make the next answer new."""
        for url in (RSS_URL, ATOM_URL):
            self.client.get(url)
            self.assertEqual(self.client.get(url)["X-Page-Cache"], "hit")

        lead_time = publish(GlossaryTermPageFactory(title="Lead time", slug="lead-time"))
        for url in (RSS_URL, ATOM_URL):
            self.assertEqual(self.entries(url)[0].title, "New term: Lead time", url)

        lead_time.unpublish()
        for url in (RSS_URL, ATOM_URL):
            self.assertNotIn("Lead time", self.client.get(url).content.decode(), url)

        PageViewRestriction.objects.create(
            page=self.kanban, restriction_type=PageViewRestriction.LOGIN
        )
        for url in (RSS_URL, ATOM_URL):
            self.assertEqual(self.entries(url), [], url)
