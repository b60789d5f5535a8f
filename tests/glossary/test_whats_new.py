"""What's new (/glossary/whats-new/): the newest changes of live, public terms, by day, a
page of 20 at a time, its ``?page=`` read as every listing reads it."""

import datetime

from django.core.cache import cache
from django.utils import timezone

from wagtail.models import PageViewRestriction
from wagtail.test.utils import WagtailPageTestCase

from glossary.changes import WHATS_NEW_ENTRIES, WHATS_NEW_PER_PAGE
from glossary.models import TermChange
from tests.factories import GlossaryTermPageFactory

from .test_term_history import publish

URL = "/glossary/whats-new/"
DAY = timezone.make_aware(datetime.datetime(2026, 5, 4, 12))


class WhatsNewTests(WagtailPageTestCase):
    def setUp(self):
        cache.clear()
        self.kanban = publish(GlossaryTermPageFactory(title="Kanban", slug="kanban"))
        self.secret = publish(GlossaryTermPageFactory(title="Shadow roadmap", slug="shadow"))
        TermChange.objects.update(date=DAY - datetime.timedelta(days=1))
        self.kanban = publish(self.kanban, description="Cards on a board.", change_note="Reworded")
        TermChange.objects.filter(note="Reworded").update(date=DAY)

    def test_changes_grouped_by_day_with_labels_and_notes(self):
        response = self.client.get(URL)
        self.assertEqual(response.status_code, 200)
        html = response.content.decode()
        self.assertLess(html.index("4 May 2026"), html.index("3 May 2026"))
        self.assertEqual(
            [day for day, _ in response.context["days"]],
            [DAY.date(), DAY.date() - datetime.timedelta(days=1)],
        )
        newest, older = response.context["days"]
        self.assertEqual(
            [(c.label, c.term.title, c.note) for c in newest[1]],
            [("Updated", "Kanban", "Reworded")],
        )
        self.assertEqual(
            sorted((c.label, c.term.title) for c in older[1]),
            [("New", "Kanban"), ("New", "Shadow roadmap")],
        )
        self.assertIn('<a href="/glossary/kanban/">Kanban</a>', html)
        self.assertIn('<span aria-current="page">What\'s new</span>', html)  # breadcrumb
        self.assertIn(f'<a href="{URL}">What\'s new</a>', html)  # the footer's link

    def test_private_and_unpublished_terms_are_left_out_at_once(self):
        self.assertIn("Shadow roadmap", self.client.get(URL).content.decode())
        self.assertEqual(self.client.get(URL)["X-Page-Cache"], "hit")
        PageViewRestriction.objects.create(
            page=self.secret, restriction_type=PageViewRestriction.LOGIN
        )
        self.assertNotIn("Shadow roadmap", self.client.get(URL).content.decode())
        self.kanban.unpublish()
        self.assertIn("No changes yet.", self.client.get(URL).content.decode())
        publish(self.kanban, change_note="Back")
        self.assertIn("Kanban", self.client.get(URL).content.decode())

    def add_changes(self, count):
        TermChange.objects.bulk_create(
            TermChange(term=self.kanban, date=DAY - datetime.timedelta(hours=n), note=f"Edit {n}")
            for n in range(count)
        )

    def test_pages_of_twenty_of_the_newest_two_hundred(self):
        self.add_changes(WHATS_NEW_ENTRIES + 5)
        first = self.client.get(URL)
        self.assertEqual(len(first.context["changes"]), WHATS_NEW_PER_PAGE)
        last_page = WHATS_NEW_ENTRIES // WHATS_NEW_PER_PAGE
        self.assertEqual(first.context["changes"].paginator.num_pages, last_page)
        self.assertIn('href="?page=2" rel="next"', first.content.decode())
        last = self.client.get(URL, {"page": last_page})
        self.assertEqual(last.status_code, 200)
        self.assertIn(
            f'<link rel="canonical" href="http://localhost{URL}?page={last_page}">',
            last.content.decode(),
        )
        self.assertEqual(self.client.get(URL, {"page": last_page + 1}).status_code, 404)

    def test_page_parameter(self):
        self.add_changes(30)
        for value, status in [
            ("abc", 200), ("", 200), ("１２", 200), ("\x01", 200), ("99999999999999999999", 200),
            ("0", 404), ("3", 404), ("-1", 200),
        ]:  # fmt: skip
            with self.subTest(page=value):
                response = self.client.get(URL, {"page": value})
                self.assertEqual(response.status_code, status)
                if status == 200:  # page 1 (maybe the page cache's: its key reads it so too)
                    self.assertContains(response, "Page 1 of 2")
        self.assertEqual(self.client.get(URL, QUERY_STRING="page=1%00").status_code, 400)
        self.assertContains(self.client.get(URL, {"page": "2"}), "Page 2 of 2")
