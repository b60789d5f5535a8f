"""The search reports, the new-draft link and the dashboard panel of failed searches."""

import datetime

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.test import TestCase
from django.utils import timezone

from glossary.models import GlossaryTermPage
from search.models import SearchQueryDay
from tests.factories import GlossaryTermPageFactory

POPULAR = "/admin/reports/search/popular/"
FAILED = "/admin/reports/search/found-little/"
NEW_TERM = "/admin/reports/search/new-term/"


def searched(query, searches, results, days_ago=0):
    day = timezone.localdate() - datetime.timedelta(days=days_ago)
    return SearchQueryDay.objects.create(query=query, day=day, searches=searches, results=results)


def admin_user_without_roles():
    user = get_user_model().objects.create_user("reader", "r@example.com", "pw")
    user.user_permissions.add(Permission.objects.get(codename="access_admin"))
    return user


class ReportTestCase(TestCase):
    def setUp(self):
        GlossaryTermPageFactory(title="Kanban", slug="kanban", key_questions=[], body=[])
        searched("kanban", 5, 1)
        searched("kanban", 4, 1, days_ago=20)
        searched("kaizen", 3, 0)
        searched("kaizen", 50, 0, days_ago=60)  # only in the 90 days
        searched("lean", 2, 12)
        searched("old news", 99, 0, days_ago=120)  # in no period

    def login(self, group=None):
        User = get_user_model()
        if group is None:
            user = User.objects.create_superuser("boss", "boss@example.com", "pw")
        else:
            user = User.objects.create_user(group.lower(), f"{group}@example.com", "pw")
            user.groups.add(Group.objects.get(name=group))
        self.client.force_login(user)

    def rows(self, url, **params):
        response = self.client.get(url, params)
        self.assertEqual(response.status_code, 200)
        return [
            (row["query"], row["searches"], row["results"])
            for row in response.context["object_list"]
        ]


class ReportTests(ReportTestCase):
    def test_popular_searches_over_the_chosen_period(self):
        self.login("Editors")
        self.assertEqual(
            self.rows(POPULAR), [("kanban", 9, 1), ("kaizen", 3, 0), ("lean", 2, 12)]
        )  # 30 days by default
        self.assertEqual(
            self.rows(POPULAR, period="7"), [("kanban", 5, 1), ("kaizen", 3, 0), ("lean", 2, 12)]
        )
        self.assertEqual(self.rows(POPULAR, period="90")[0], ("kaizen", 53, 0))

    def test_searches_that_found_little(self):
        self.login("Moderators")
        self.assertEqual(self.rows(FAILED), [("kanban", 9, 1), ("kaizen", 3, 0)])
        self.assertEqual(self.rows(FAILED, period="90"), [("kaizen", 53, 0), ("kanban", 9, 1)])

    def test_results_are_the_latest_searchs(self):
        searched("lean", 1, 0, days_ago=1)  # older than today's, which found 12
        self.login()
        self.assertNotIn("lean", [row[0] for row in self.rows(FAILED)])

    def test_a_bad_period_is_a_400(self):
        self.login()
        for period in ("365", "abc", "7; DROP"):
            for url in (POPULAR, FAILED):
                self.assertEqual(self.client.get(url, {"period": period}).status_code, 400)

    def test_exports(self):
        searched("=cmd|' /C calc'!A0", 1, 0)
        self.login("Editors")
        response = self.client.get(FAILED, {"export": "csv", "period": "7"})
        self.assertEqual(response.status_code, 200)
        lines = b"".join(response.streaming_content).decode().splitlines()
        self.assertEqual(lines[0], "Query,Searches,Results (latest search),Last searched")
        self.assertEqual(
            lines[1:3], [f"kanban,5,1,{timezone.localdate()}", f"kaizen,3,0,{timezone.localdate()}"]
        )
        self.assertTrue(any(line.startswith("'=cmd") for line in lines), lines)
        xlsx = self.client.get(POPULAR, {"export": "xlsx"})
        self.assertEqual(xlsx.status_code, 200)
        self.assertIn("spreadsheetml", xlsx["Content-Type"])

    def test_only_editors_and_moderators_see_the_reports(self):
        self.client.force_login(admin_user_without_roles())
        for url in (POPULAR, FAILED):
            self.assertIn(self.client.get(url).status_code, (302, 403), url)
        self.client.logout()
        self.assertEqual(self.client.get(POPULAR).status_code, 302)  # to the login
        for group in ("Editors", "Moderators"):
            self.client.logout()
            self.login(group)
            for url in (POPULAR, FAILED):
                self.assertEqual(self.client.get(url).status_code, 200, (group, url))
            menu = self.client.get("/admin/").content.decode()
            self.assertIn(POPULAR, menu)
            self.assertIn(FAILED, menu)

    def test_the_failed_report_links_a_new_draft_term(self):
        self.login("Editors")
        response = self.client.get(FAILED)
        self.assertContains(response, f"{NEW_TERM}?q=kaizen")


class NewTermTests(ReportTestCase):
    def test_the_form_is_prefilled_and_nothing_is_made_until_saved(self):
        self.login("Editors")
        before = GlossaryTermPage.objects.count()
        response = self.client.get(NEW_TERM, {"q": "  Kaizen   events "})
        self.assertEqual(response.status_code, 200)
        form = response.context["form"]
        self.assertEqual(form.initial["title"], "Kaizen events")
        self.assertEqual(form.initial["slug"], "kaizen-events")
        self.assertContains(response, 'action="/admin/pages/add/glossary/glossarytermpage/')
        self.assertEqual(GlossaryTermPage.objects.count(), before)

    def test_bad_requests(self):
        self.login("Editors")
        self.assertEqual(self.client.get(NEW_TERM, {"q": "   "}).status_code, 400)
        self.assertEqual(self.client.post(NEW_TERM, {"q": "kaizen"}).status_code, 400)

    def test_a_user_who_may_not_add_terms_is_refused(self):
        self.client.force_login(admin_user_without_roles())
        self.assertIn(self.client.get(NEW_TERM, {"q": "kaizen"}).status_code, (302, 403))


class DashboardPanelTests(ReportTestCase):
    def test_this_weeks_failed_searches_with_links(self):
        searched("muda", 7, 2, days_ago=3)
        searched("ancient", 100, 0, days_ago=20)  # not this week
        self.login("Editors")
        response = self.client.get("/admin/")
        self.assertContains(response, "Searches that found little this week")
        panel = response.content.decode().split("Searches that found little this week")[1]
        self.assertLess(panel.index("muda"), panel.index("kaizen"))
        self.assertNotIn("ancient", panel)
        self.assertNotIn(">lean<", panel)
        self.assertIn(f"{NEW_TERM}?q=muda", panel)
        self.assertIn(f"{FAILED}?period=7", panel)

    def test_not_shown_without_the_permission(self):
        self.client.force_login(admin_user_without_roles())
        response = self.client.get("/admin/")
        self.assertEqual(response.status_code, 200)
        self.assertNotContains(response, "Searches that found little this week")


class PromotionAdminTests(ReportTestCase):
    def test_editors_and_moderators_may_pin_results(self):
        for group in ("Editors", "Moderators"):
            self.client.logout()
            self.login(group)
            self.assertEqual(self.client.get("/admin/searchpicks/").status_code, 200, group)
            self.assertEqual(self.client.get("/admin/searchpicks/add/").status_code, 200, group)

    def test_wagtails_unused_search_terms_report_is_hidden(self):
        self.login()
        menu = self.client.get("/admin/").content.decode()
        self.assertNotIn("/admin/searchpicks/reports/search-terms/", menu)
        self.assertIn(POPULAR, menu)
