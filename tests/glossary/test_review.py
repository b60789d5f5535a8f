"""The review of a term: set only by a Moderator's approval in "Editorial review" or by "Mark
as reviewed"; shown on the term page, in its JSON-LD and the API; listed when due."""

import datetime
import json
import re

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.test import Client, override_settings
from django.utils import timezone

from wagtail.models import PageLogEntry
from wagtail.test.utils import WagtailPageTestCase
from wagtail.test.utils.form_data import inline_formset, nested_form_data, streamfield

from glossary.models import GlossaryTermPage
from glossary.review import MARK_REVIEWED, months_before, record_review, review_due_before
from tests.factories import GlossaryTermPageFactory


def user_in(group, username=None, **names):
    username = username or group.lower()
    user = get_user_model().objects.create_user(username, f"{username}@example.com", "pw", **names)
    user.groups.add(Group.objects.get(name=group))
    return user


def edit_form(term, description, **extra):
    return nested_form_data(
        {
            "title": term.title,
            "slug": term.slug,
            "description": description,
            "synonyms": "",
            "category": "glossary",
            "body": streamfield([]),
            "key_questions": streamfield([]),
            "related_cards": inline_formset([]),
            "pinned_related_terms": inline_formset([]),
            "sources": inline_formset([]),
            "broader_terms": inline_formset([]),
            "status": "current",
            **extra,
        }
    )


def json_ld(html):
    return [
        json.loads(text)
        for text in re.findall(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)
    ]


class ApprovalTests(WagtailPageTestCase):
    """An editor submits, a Moderator approves: only the approval records the review."""

    def setUp(self):
        self.editor = user_in("Editors")
        self.moderator = user_in("Moderators", first_name="Grace", last_name="Hopper")
        self.term = GlossaryTermPageFactory(title="Throughput", slug="throughput")
        self.term.save_revision().publish()
        self.edit_url = f"/admin/pages/{self.term.pk}/edit/"

    def submit(self, description, **extra):
        self.client.force_login(self.editor)
        response = self.client.post(
            self.edit_url, edit_form(self.term, description, **{"action-submit": "1", **extra})
        )
        self.assertEqual(response.status_code, 302)
        return GlossaryTermPage.objects.get(pk=self.term.pk)

    def act(self, action):
        term = GlossaryTermPage.objects.get(pk=self.term.pk)
        task_state = term.current_workflow_state.current_task_state
        self.client.force_login(self.moderator)
        response = self.client.post(
            f"/admin/pages/workflow/action/{term.pk}/{action}/{task_state.pk}/", {"comment": ""}
        )
        self.assertIn(response.status_code, (200, 302))
        return GlossaryTermPage.objects.get(pk=self.term.pk)

    def test_an_editors_submit_changes_nothing_even_when_the_form_says_so(self):
        term = self.submit(
            "Work done per unit of time.",
            reviewed_at="2020-01-01",
            reviewed_by_name="Mallory",
            reviewed_by=str(self.editor.pk),
        )
        self.assertEqual(term.current_workflow_state.status, "in_progress")
        self.assertEqual(
            (term.reviewed_at, term.reviewed_by, term.reviewed_by_name), (None, None, "")
        )
        self.assertIsNone(term.get_latest_revision_as_object().reviewed_at)

    def test_the_moderators_approval_records_the_review_on_the_live_page_and_revision(self):
        self.submit("Work done per unit of time.")
        term = self.act("approve")
        today = timezone.localdate()
        self.assertEqual(term.description, "Work done per unit of time.")  # published
        self.assertEqual(
            (term.reviewed_at, term.reviewed_by, term.reviewed_by_name),
            (today, self.moderator, "Grace Hopper"),
        )
        revision = term.get_latest_revision()
        self.assertEqual(revision.content["reviewed_at"], today.isoformat())
        self.assertEqual(revision.content["reviewed_by_name"], "Grace Hopper")

    def test_the_editor_shows_the_review_read_only(self):
        self.submit("Work done per unit of time.")
        self.act("approve")
        self.client.force_login(self.editor)
        response = self.client.get(self.edit_url)
        self.assertContains(response, "Grace Hopper")
        for name in ("reviewed_at", "reviewed_by", "reviewed_by_name"):
            self.assertNotContains(response, f'name="{name}"')

    def test_the_next_edit_and_publish_keep_the_review(self):
        self.submit("Work done per unit of time.")
        self.act("approve")
        boss = get_user_model().objects.create_superuser("boss", "boss@example.com", "pw")
        self.client.force_login(boss)
        response = self.client.post(
            self.edit_url, edit_form(self.term, "Edited again.", **{"action-publish": "1"})
        )
        self.assertEqual(response.status_code, 302)
        term = GlossaryTermPage.objects.get(pk=self.term.pk)
        self.assertEqual(term.description, "Edited again.")
        self.assertEqual(
            (term.reviewed_by, term.reviewed_by_name), (self.moderator, "Grace Hopper")
        )
        # An older revision published again brings no older review back.
        term.revisions.order_by("pk").first().publish()
        term.refresh_from_db()
        self.assertEqual(term.reviewed_by_name, "Grace Hopper")

    def test_a_request_for_changes_or_a_plain_publish_records_no_review(self):
        self.submit("Work done per unit of time.")
        term = self.act("reject")
        self.assertEqual(term.current_workflow_state.status, "needs_changes")
        self.assertIsNone(term.reviewed_at)
        boss = get_user_model().objects.create_superuser("boss", "boss@example.com", "pw")
        self.client.force_login(boss)
        self.client.post(
            self.edit_url, edit_form(self.term, "Published.", **{"action-publish": "1"})
        )
        term = GlossaryTermPage.objects.get(pk=self.term.pk)
        self.assertEqual(term.description, "Published.")
        self.assertIsNone(term.reviewed_at)

    def test_the_reviewers_name_survives_the_deletion_of_the_account(self):
        self.submit("Work done per unit of time.")
        self.act("approve")
        self.moderator.delete()
        term = GlossaryTermPage.objects.get(pk=self.term.pk)
        self.assertEqual((term.reviewed_by, term.reviewed_by_name), (None, "Grace Hopper"))

    def test_a_copy_of_a_reviewed_term_is_not_reviewed(self):
        self.submit("Work done per unit of time.")
        self.act("approve")
        term = GlossaryTermPage.objects.get(pk=self.term.pk)
        copy = term.copy(
            update_attrs={"title": "Throughput copy", "slug": "throughput-copy", "term_id": "copy1"}
        )
        copy = GlossaryTermPage.objects.get(pk=copy.pk)
        self.assertEqual(
            (copy.reviewed_at, copy.reviewed_by, copy.reviewed_by_name), (None, None, "")
        )
        self.assertIsNone(copy.get_latest_revision_as_object().reviewed_at)
        # Its history is its own: the copy of a live term is published, a first publish.
        self.assertEqual([entry["note"] for entry in copy.recent_changes], ["First published"])
        self.assertGreater(copy.content_updated_at, term.content_updated_at)


class MarkReviewedTests(WagtailPageTestCase):
    def setUp(self):
        self.term = GlossaryTermPageFactory(title="Lead time", slug="lead-time")
        self.term.save_revision().publish()
        self.url = f"/admin/glossary/terms/{self.term.pk}/mark-reviewed/"
        self.edit_url = f"/admin/pages/{self.term.pk}/edit/"

    def test_a_moderator_marks_a_term_and_the_history_says_who(self):
        moderator = user_in("Moderators", first_name="Ada", last_name="Lovelace")
        self.client.force_login(moderator)
        self.assertContains(self.client.get(self.edit_url), "Mark as reviewed")
        response = self.client.post(self.url)
        self.assertRedirects(response, self.edit_url, fetch_redirect_response=False)
        term = GlossaryTermPage.objects.get(pk=self.term.pk)
        self.assertEqual(
            (term.reviewed_at, term.reviewed_by, term.reviewed_by_name),
            (timezone.localdate(), moderator, "Ada Lovelace"),
        )
        self.assertFalse(term.has_unpublished_changes)
        entry = PageLogEntry.objects.get(page=term, action=MARK_REVIEWED)
        self.assertEqual(entry.user, moderator)
        history = self.client.get(f"/admin/pages/{term.pk}/history/")
        self.assertContains(history, "Marked as reviewed")

    def test_editors_cannot_mark_and_do_not_see_the_action(self):
        self.client.force_login(user_in("Editors"))
        self.assertNotContains(self.client.get(self.edit_url), "Mark as reviewed")
        # Wagtail's admin answers a PermissionDenied with a redirect and a message.
        self.assertIn(self.client.post(self.url).status_code, (302, 403))
        self.assertIsNone(GlossaryTermPage.objects.get(pk=self.term.pk).reviewed_at)
        self.assertFalse(PageLogEntry.objects.filter(action=MARK_REVIEWED).exists())

    def test_only_a_post_with_the_csrf_token_marks(self):
        moderator = user_in("Moderators")
        self.client.force_login(moderator)
        self.assertEqual(self.client.get(self.url).status_code, 405)
        strict = Client(enforce_csrf_checks=True)
        strict.force_login(moderator)
        self.assertEqual(strict.post(self.url).status_code, 403)
        self.assertIsNone(GlossaryTermPage.objects.get(pk=self.term.pk).reviewed_at)
        self.assertEqual(
            self.client.post("/admin/glossary/terms/999999/mark-reviewed/").status_code, 404
        )

    def test_a_term_that_is_not_live_cannot_be_marked(self):
        self.term.unpublish()
        self.client.force_login(user_in("Moderators"))
        self.client.post(self.url)
        self.assertIsNone(GlossaryTermPage.objects.get(pk=self.term.pk).reviewed_at)


class ShownTests(WagtailPageTestCase):
    def setUp(self):
        self.term = GlossaryTermPageFactory(title="Cycle time", slug="cycle-time")
        self.term.save_revision().publish()
        self.moderator = user_in("Moderators", first_name="Grace", last_name="Hopper")

    def test_the_term_page_shows_the_review_in_text_and_json_ld(self):
        url = "/glossary/cycle-time/"
        self.client.get(url)
        cached = self.client.get(url)
        self.assertEqual(cached.get("X-Page-Cache"), "hit")
        before = cached.content.decode()
        self.client.get("/glossary/")
        self.assertNotIn("Reviewed", before)
        self.assertNotIn("lastReviewed", before)
        record_review(self.term, self.moderator, on=datetime.date(2026, 3, 5))
        html = self.client.get(url).content.decode()  # the page cache was invalidated
        # ...for the term's page only: the lists do not show reviews.
        self.assertEqual(self.client.get("/glossary/").get("X-Page-Cache"), "hit")
        self.assertIn(
            'Reviewed by <span class="term-review__name">Grace Hopper</span> on '
            '<time datetime="2026-03-05">5 March 2026</time>',
            html,
        )
        # The WebPage says when it was reviewed and by whom (schema.org's WebPage properties).
        page_ld = next(doc for doc in json_ld(html) if doc.get("@type") == "WebPage")
        self.assertEqual(page_ld["mainEntity"]["termCode"], self.term.term_id)
        self.assertEqual(page_ld["lastReviewed"], "2026-03-05")
        self.assertEqual(page_ld["reviewedBy"], {"@type": "Person", "name": "Grace Hopper"})

    def test_the_api_shows_the_review(self):
        url = f"/api/v2/pages/{self.term.pk}/"
        self.client.get(url)
        cached = self.client.get(url)
        self.assertEqual(cached.get("X-Page-Cache"), "hit")
        self.assertIsNone(cached.json()["reviewed_at"])
        record_review(self.term, self.moderator, on=datetime.date(2026, 3, 5))
        data = self.client.get(url).json()  # the API scope was invalidated
        self.assertEqual(
            (data["reviewed_at"], data["reviewed_by_name"]), ("2026-03-05", "Grace Hopper")
        )
        self.assertNotIn("reviewed_by", data)  # the account is never shown


@override_settings(GLOSSARY_REVIEW_MONTHS=6)
class DueForReviewTests(WagtailPageTestCase):
    URL = "/admin/reports/glossary/terms-due-for-review/"

    def setUp(self):
        today = timezone.localdate()
        reviewer = user_in("Moderators", "reviewer", first_name="Grace", last_name="Hopper")
        self.never = GlossaryTermPageFactory(title="Zeta never reviewed")
        self.oldest = GlossaryTermPageFactory(title="Beta reviewed long ago")
        self.old = GlossaryTermPageFactory(title="Alpha reviewed a while ago")
        self.recent = GlossaryTermPageFactory(title="Recently reviewed")
        self.draft = GlossaryTermPageFactory(title="Draft never reviewed", live=False)
        record_review(self.oldest, reviewer, on=months_before(today, 30))
        record_review(self.old, reviewer, on=months_before(today, 7))
        record_review(self.recent, reviewer, on=months_before(today, 2))

    def test_months_before_keeps_to_the_calendar(self):
        self.assertEqual(months_before(datetime.date(2026, 3, 31), 1), datetime.date(2026, 2, 28))
        self.assertEqual(months_before(datetime.date(2026, 1, 15), 12), datetime.date(2025, 1, 15))
        self.assertEqual(review_due_before(datetime.date(2026, 8, 31)), datetime.date(2026, 2, 28))

    def titles(self, html):
        names = ("Zeta never", "Beta reviewed long", "Alpha reviewed a", "Recently", "Draft never")
        found = re.findall("(" + "|".join(names) + ")", html)
        return list(dict.fromkeys(found))

    def test_due_terms_never_reviewed_first_then_the_oldest_review(self):
        self.client.force_login(user_in("Editors"))
        response = self.client.get(self.URL)
        self.assertEqual(response.status_code, 200)
        self.assertEqual(
            self.titles(response.content.decode()),
            ["Zeta never", "Beta reviewed long", "Alpha reviewed a"],
        )
        self.assertContains(response, "Never")
        self.assertContains(response, "not reviewed in the last 6 months")

    def test_the_csv_export(self):
        self.client.force_login(user_in("Moderators", "mod"))
        export = self.client.get(self.URL, {"export": "csv"})
        body = (b"".join(export.streaming_content) if export.streaming else export.content).decode(
            "utf-8-sig"
        )
        lines = body.strip().splitlines()
        self.assertEqual(lines[0], "Term,Last reviewed,Reviewed by,Last published")
        self.assertTrue(lines[1].startswith("Zeta never reviewed,,,"), lines[1])
        self.assertTrue(lines[2].startswith("Beta reviewed long ago,"), lines[2])
        self.assertIn(",Grace Hopper,", lines[2])
        self.assertEqual(len(lines), 4)

    def test_only_for_editors_and_moderators(self):
        visitor = get_user_model().objects.create_user("visitor", "v@example.com", "pw")
        visitor.user_permissions.add(
            Permission.objects.get(codename="access_admin", content_type__app_label="wagtailadmin")
        )
        self.client.force_login(visitor)
        self.assertNotContains(self.client.get("/admin/"), "Terms due for review")
        for url in (self.URL, self.URL + "?export=csv"):
            response = self.client.get(url)
            self.assertIn(response.status_code, (302, 403))
            self.assertNotIn(b"Zeta never reviewed", response.content)

    def test_the_dashboard_panel_counts_and_links(self):
        self.client.force_login(user_in("Moderators", "mod"))
        response = self.client.get("/admin/")
        self.assertContains(response, 'id="terms-due-for-review-section"')
        self.assertContains(response, "3 live terms not reviewed in the last 6 months")
        html = response.content.decode()
        panel = html[html.index('id="terms-due-for-review-section"') :]
        self.assertEqual(
            self.titles(panel)[:3],
            ["Zeta never", "Beta reviewed long", "Alpha reviewed a"],
        )
        self.assertIn(f'href="{self.URL}"', panel)

    def test_no_panel_when_nothing_is_due(self):
        for term in (self.never, self.oldest, self.old):
            record_review(term, get_user_model().objects.get(username="reviewer"))
        self.client.force_login(user_in("Moderators", "mod"))
        self.assertNotContains(self.client.get("/admin/"), 'id="terms-due-for-review-section"')
