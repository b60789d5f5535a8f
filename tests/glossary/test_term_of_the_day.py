"""The term of the day (issue 25): the pick, the schedule, the cache, the home page, the feeds
and the admin."""

import datetime
from unittest import mock

from django.core.cache import cache
from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext

from wagtail.models import PageViewRestriction
from wagtail.test.utils import WagtailPageTestCase

from core import dependencies, page_cache
from core.models import StaleResponses
from glossary import daily, tasks
from glossary.models import GlossaryTermPage, TermOfTheDay, TermStatus
from home.models import HomePage
from tests.checks.readers import atom_problems, parse_feed
from tests.factories import GlossaryTermPageFactory
from tests.glossary.editors import AdminTestCase

DAY = datetime.date(2026, 3, 1)
REVIEWED = datetime.date(2026, 1, 15)


def dates(count, start=DAY):
    return [start + datetime.timedelta(days=offset) for offset in range(count)]


def picked(date=DAY):
    day = daily.term_of_the_day(date)
    return day.term.pk if day else None


class TermOfTheDayCase(WagtailPageTestCase):
    def setUp(self):
        cache.clear()
        self.terms = [
            GlossaryTermPageFactory(title=f"Reviewed term {n}", reviewed_at=REVIEWED)
            for n in range(5)
        ]
        self.unreviewed = GlossaryTermPageFactory(title="Unreviewed term")


class PickTests(TermOfTheDayCase):
    def test_a_date_has_one_term_and_the_dates_of_a_month_several(self):
        first = {date: picked(date) for date in dates(30)}
        cache.clear()  # another process, or the cache lost: the same terms by hashing alone
        self.assertEqual({date: picked(date) for date in dates(30)}, first)
        self.assertGreater(len(set(first.values())), 2)

    def test_only_reviewed_terms_are_picked_while_there_are_any(self):
        reviewed = {term.pk for term in self.terms}
        self.assertLessEqual({picked(date) for date in dates(60)}, reviewed)

    def test_with_no_reviewed_term_any_current_term_is_picked(self):
        for term in self.terms:
            term.unpublish()
        self.assertEqual(picked(), self.unreviewed.pk)

    def test_no_term_no_day(self):
        for term in [*self.terms, self.unreviewed]:
            term.unpublish()
        self.assertIsNone(daily.term_of_the_day(DAY))
        self.assertEqual(daily.recent_days(until=DAY), [])

    def test_never_a_draft_private_or_deprecated_term(self):
        draft, private, deprecated = self.terms[:3]
        draft.unpublish()
        PageViewRestriction.objects.create(page=private, restriction_type="login")
        deprecated.status = TermStatus.DEPRECATED
        deprecated.save_revision().publish()
        shown = {picked(date) for date in dates(90)}
        self.assertEqual(shown, {term.pk for term in self.terms[3:]})

    def test_the_days_pick_stays_when_a_term_is_published_that_day(self):
        before = {date: picked(date) for date in dates(10)}
        GlossaryTermPageFactory.create_batch(3, reviewed_at=REVIEWED)
        self.assertEqual({date: picked(date) for date in dates(10)}, before)

    def test_a_picked_term_unpublished_is_forgotten_at_once(self):
        today = daily.today()  # what changes forget: the feeds' days, today's among them
        term = GlossaryTermPage.objects.get(pk=picked(today))
        term.unpublish()
        self.assertIsNone(cache.get(daily.PICK_PREFIX + today.isoformat()))
        self.assertNotIn(picked(today), (term.pk, None))

    def test_a_schedule_wins_until_its_term_cannot_be_shown(self):
        automatic = picked()
        chosen = next(term for term in self.terms if term.pk != automatic)
        TermOfTheDay.objects.create(date=DAY, term=chosen, note="World kanban day")
        self.assertEqual(picked(), chosen.pk)  # the snippet's save forgot the pick
        self.assertEqual(daily.term_of_the_day(DAY).note, "World kanban day")
        chosen.status = TermStatus.DEPRECATED
        chosen.save_revision().publish()
        self.assertNotIn(picked(), (chosen.pk, None))  # picked among the four left

    def test_a_scheduled_draft_or_private_term_is_ignored(self):
        automatic = picked()
        draft, private = [term for term in self.terms if term.pk != automatic][:2]
        draft.unpublish()
        PageViewRestriction.objects.create(page=private, restriction_type="login")
        TermOfTheDay.objects.create(date=DAY, term=draft)
        self.assertEqual(picked(), automatic)
        TermOfTheDay.objects.filter(date=DAY).delete()
        TermOfTheDay.objects.create(date=DAY, term=private)
        self.assertEqual(picked(), automatic)

    def test_moving_a_schedule_to_another_date_frees_the_old_one(self):
        automatic = picked()
        chosen = next(term for term in self.terms if term.pk != automatic)
        schedule = TermOfTheDay.objects.create(date=DAY, term=chosen)
        self.assertEqual(picked(), chosen.pk)
        schedule = TermOfTheDay.objects.get(pk=schedule.pk)
        schedule.date = DAY + datetime.timedelta(days=1)
        schedule.save()
        self.assertEqual(picked(), automatic)

    def test_a_schedule_makes_the_home_page_stale_for_the_front_cache_and_the_warmer(self):
        """The page cache follows the ``daily`` scope; Varnish and the warmer know the home
        page only by its id."""
        home = HomePage.objects.live().get()
        StaleResponses.objects.all().delete()
        with (
            override_settings(WARM_MAX_PAGES=500),  # the warmer on, its run left for later
            self.captureOnCommitCallbacks(execute=False),
        ):
            TermOfTheDay.objects.create(date=DAY, term=self.terms[0])
        stale = {pk for row in StaleResponses.objects.all() for pk in row.page_ids}
        self.assertIn(home.pk, stale)

    def test_a_deleted_term_is_forgotten(self):
        today = daily.today()
        term = GlossaryTermPage.objects.get(pk=picked(today))
        term.delete()
        self.assertIsNone(cache.get(daily.PICK_PREFIX + today.isoformat()))
        self.assertNotIn(picked(today), (term.pk, None))

    def test_the_first_process_to_remember_a_pick_wins(self):
        other = self.terms[0] if picked() != self.terms[0].pk else self.terms[1]
        daily.forget([DAY])
        own_pick = daily._pick

        def racing(dates):  # another process remembers its pick while this one picks
            cache.set(daily.PICK_PREFIX + DAY.isoformat(), (other.pk, ""))
            return own_pick(dates)

        with mock.patch.object(daily, "_pick", racing):
            self.assertEqual(picked(), other.pk)

    def test_a_remembered_pick_no_process_forgot_is_checked(self):
        term = GlossaryTermPage.objects.get(pk=picked())
        remembered = cache.get(daily.PICK_PREFIX + DAY.isoformat())
        term.unpublish()
        cache.set(daily.PICK_PREFIX + DAY.isoformat(), remembered)  # a slow process wrote it
        self.assertNotIn(picked(), (term.pk, None))


class DatedScopeTests(TermOfTheDayCase):
    def test_only_a_dated_scopes_token_carries_the_date(self):
        today = daily.today().isoformat()
        self.assertEqual(dependencies.dated_token(daily.DAILY, "abc"), f"abc:{today}")
        self.assertEqual(dependencies.dated_token(page_cache.SITE, "abc"), "abc")
        self.assertEqual(dependencies.dated_token(page_cache.page_scope(3), "abc"), "abc")


class HomeAndFeedTests(TermOfTheDayCase):
    def today_term(self):
        return daily.term_of_the_day().term

    def test_the_home_page_shows_the_days_term_and_follows_its_unpublishing(self):
        term = self.today_term()
        home = self.client.get("/")
        self.assertContains(home, f'id="term-of-the-day-heading"><a href="{term.url}">')
        self.assertContains(home, 'href="/glossary/feed/term-of-the-day/"')
        self.assertEqual(self.client.get("/")["X-Page-Cache"], "hit")
        term.unpublish()
        home = self.client.get("/")
        self.assertEqual(home["X-Page-Cache"], "miss")
        self.assertNotContains(home, f'href="{term.url}"')

    def test_the_home_page_and_feeds_roll_over_at_midnight_without_a_write(self):
        self.client.get("/")
        self.client.get("/glossary/feed/term-of-the-day/")
        tomorrow = daily.today() + datetime.timedelta(days=1)
        with mock.patch("django.utils.timezone.localdate", return_value=tomorrow):
            home = self.client.get("/")
            feed = self.client.get("/glossary/feed/term-of-the-day/")
            expected = daily.term_of_the_day(tomorrow).term
        self.assertEqual(home["X-Page-Cache"], "miss")
        self.assertEqual(feed["X-Page-Cache"], "miss")
        self.assertContains(home, f'id="term-of-the-day-heading"><a href="{expected.url}">')
        self.assertEqual(
            parse_feed(feed.content).entries[0].id,
            f"http://localhost{expected.url}#day-{tomorrow.isoformat()}",
        )

    def test_the_feeds_read_cleanly_one_entry_a_day_today_first(self):
        today = daily.today()
        atom = self.client.get("/glossary/feed/term-of-the-day/atom/")
        self.assertEqual(atom.status_code, 200)
        self.assertEqual(atom_problems(atom.content), [])
        entries = parse_feed(atom.content).entries
        self.assertEqual(len(entries), daily.FEED_DAYS)
        self.assertTrue(entries[0].id.endswith(f"#day-{today.isoformat()}"))
        self.assertEqual(len({entry.id for entry in entries}), daily.FEED_DAYS)
        self.assertTrue(entries[0].title.endswith(self.today_term().title))
        rss = parse_feed(self.client.get("/glossary/feed/term-of-the-day/").content)
        self.assertEqual([entry.id for entry in rss.entries], [entry.id for entry in entries])
        self.assertTrue(all(entry.summary.strip() for entry in rss.entries))

    def test_a_renamed_term_shows_in_the_cached_feed_at_once(self):
        term = self.today_term()
        self.client.get("/glossary/feed/term-of-the-day/")
        term.title = "Renamed for the feed"
        term.save_revision().publish()
        feed = self.client.get("/glossary/feed/term-of-the-day/")
        self.assertEqual(feed["X-Page-Cache"], "miss")
        self.assertContains(feed, "Renamed for the feed")

    def test_the_roll_over_task_makes_the_pages_render_afresh(self):
        self.client.get("/")
        self.assertEqual(self.client.get("/")["X-Page-Cache"], "hit")
        self.assertEqual(tasks.roll_over_day.call(), 1)  # the home page
        self.assertEqual(self.client.get("/")["X-Page-Cache"], "miss")


class FirstRenderOfADayTests(TermOfTheDayCase):
    """A day's first render picks the day's term (the feeds: thirty days) in a few queries
    whatever the number of days or terms: the schedules, the count, the numbered rows."""

    def cold_render(self, url, new_day):
        self.client.get(url)  # per-process caches (the site's root paths) warmed
        if new_day:  # every pick forgotten
            daily.forget(dates(daily.FEED_DAYS, daily.today() - datetime.timedelta(days=29)))
        page_cache.invalidate(scopes={page_cache.SITE})
        with CaptureQueriesContext(connection) as queries:
            response = self.client.get(url)
        self.assertEqual(response["X-Page-Cache"], "miss")
        return len(queries)

    def test_the_feeds_pick_thirty_days_in_three_queries(self):
        url = "/glossary/feed/term-of-the-day/"
        self.assertEqual(self.cold_render(url, new_day=False), 1)  # the days' terms
        self.assertEqual(self.cold_render(url, new_day=True), 1 + 3)

    def test_the_home_page_picks_in_three_queries(self):
        remembered = self.cold_render("/", new_day=False)
        self.assertEqual(self.cold_render("/", new_day=True), remembered + 3)


class ScheduleAdminTests(AdminTestCase):
    URL = "/admin/snippets/glossary/termoftheday/add/"

    def test_an_editor_schedules_a_live_term_and_not_a_draft(self):
        cache.clear()
        term = GlossaryTermPageFactory(title="Kanban")
        draft = GlossaryTermPageFactory(title="Unfinished")
        draft.unpublish()
        self.login("Editors")
        refused = self.client.post(self.URL, {"date": "2026-03-01", "term": draft.pk})
        self.assertEqual(refused.status_code, 200)
        self.assertContains(refused, "Choose a published, public, current term")
        self.assertFalse(TermOfTheDay.objects.exists())
        saved = self.client.post(self.URL, {"date": "2026-03-01", "term": term.pk, "note": ""})
        self.assertEqual(saved.status_code, 302)
        self.assertEqual(TermOfTheDay.objects.get().term, term)
        self.assertEqual(picked(), term.pk)
        listing = self.client.get("/admin/snippets/glossary/termoftheday/")
        self.assertContains(listing, "2026-03-01: Kanban")
