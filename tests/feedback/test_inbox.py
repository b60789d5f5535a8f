"""The admin's reader feedback inbox: who sees it, its filters, Accept and Decline."""

import pytest

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.core.exceptions import ValidationError
from django.db import connection
from django.test import TestCase, TransactionTestCase

from wagtail.models import Comment, WorkflowState

from feedback import handling
from feedback.models import Feedback, Kind, Status
from glossary.models import GlossaryTermPage
from tests.factories import GlossaryTermPageFactory
from tests.glossary.editors import while_in_flight

INBOX = "/admin/reader-feedback/"


def suggestion(name="Kaizen", text="Small steps, <b>often</b> https://spam.example"):
    return Feedback.objects.create(kind=Kind.SUGGESTION, name=name, text=text)


class InboxTestCase(TestCase):
    def login(self, group="Moderators", name="mod"):
        user = get_user_model().objects.create_user(name, f"{name}@example.com", "pw")
        user.groups.add(Group.objects.get(name=group))
        self.client.force_login(user)
        return user

    def accept(self, feedback):
        return self.client.post(f"{INBOX}{feedback.pk}/accept/", follow=True)


class InboxListingTests(InboxTestCase):
    def setUp(self):
        self.new = suggestion()
        self.term = GlossaryTermPageFactory(title="Kanban", slug="kanban")
        self.accepted = Feedback.objects.create(
            kind=Kind.REPORT, term=self.term, text="Typo", status=Status.ACCEPTED
        )
        self.declined = suggestion("Spam", "Buy pills")
        self.declined.status = Status.DECLINED
        self.declined.save()

    def test_editors_and_moderators_see_new_items_first(self):
        for group in ("Editors", "Moderators"):
            with self.subTest(group=group):
                self.login(group, name=group.lower())
                response = self.client.get(INBOX)
                self.assertEqual(response.status_code, 200)
                self.assertContains(response, "Kaizen")
                self.assertNotContains(response, "Buy pills")
                self.assertNotContains(response, "Typo")

    def test_the_text_is_escaped_never_linked(self):
        self.login()
        response = self.client.get(INBOX)
        self.assertContains(response, "Small steps, &lt;b&gt;often&lt;/b&gt; https://spam.example")
        self.assertNotContains(response, 'href="https://spam.example')

    def test_filters(self):
        self.login()
        accepted = self.client.get(INBOX, {"status": "accepted"})
        self.assertContains(accepted, "Typo")
        self.assertContains(accepted, f"/admin/pages/{self.term.pk}/edit/")
        self.assertNotContains(accepted, "Kaizen")
        declined = self.client.get(INBOX, {"status": "declined"})
        self.assertContains(declined, "Buy pills")
        self.assertContains(declined, "Declined (1)")
        self.assertEqual(self.client.get(INBOX, {"status": "spam"}).status_code, 400)

    def test_others_may_not_read_it(self):
        user = get_user_model().objects.create_user("reader", "r@example.com", "pw")
        user.user_permissions.add(Permission.objects.get(codename="access_admin"))
        self.client.force_login(user)
        self.assertNotEqual(self.client.get(INBOX).status_code, 200)
        response = self.client.post(f"{INBOX}{self.new.pk}/accept/")
        self.assertNotEqual(response.status_code, 200)
        self.new.refresh_from_db()
        self.assertEqual(self.new.status, Status.NEW)
        self.client.logout()
        self.assertEqual(self.client.get(INBOX).status_code, 302)  # to the login

    def test_the_dashboard_counts_new_items(self):
        self.login("Editors", "editor")
        response = self.client.get("/admin/")
        self.assertContains(response, "1 new message from readers")

    def test_accept_and_decline_are_posts(self):
        self.login()
        self.assertEqual(self.client.get(f"{INBOX}{self.new.pk}/accept/").status_code, 405)
        self.assertEqual(self.client.get(f"{INBOX}{self.new.pk}/decline/").status_code, 405)
        self.assertEqual(self.client.post(f"{INBOX}999999/accept/").status_code, 404)


class AcceptTests(InboxTestCase):
    def test_accepting_a_suggestion_makes_a_draft_term_in_review(self):
        moderator = self.login()
        feedback = suggestion()
        response = self.accept(feedback)
        self.assertContains(response, "is a draft in Editorial review")
        term = GlossaryTermPage.objects.get(title="Kaizen")
        self.assertFalse(term.live)
        self.assertEqual(term.slug, "kaizen")
        comment = Comment.objects.get(page=term)
        self.assertIn("Small steps, <b>often</b>", comment.text)
        self.assertEqual(comment.user, moderator)
        state = WorkflowState.objects.get(object_id=str(term.pk))
        self.assertEqual(state.workflow.name, "Editorial review")
        self.assertEqual(state.status, WorkflowState.STATUS_IN_PROGRESS)
        feedback.refresh_from_db()
        self.assertEqual(
            (feedback.status, feedback.handled_by, feedback.draft_term_id),
            (Status.ACCEPTED, moderator, term.pk),
        )
        self.assertIsNotNone(feedback.handled_at)
        # Still a draft: nobody reads it.
        self.client.logout()
        self.assertEqual(self.client.get("/glossary/kaizen/").status_code, 404)

    def test_the_placeholder_definition_is_refused_until_an_editor_writes_one(self):
        """Neither saved again nor published (the admin's form cleans the page) as it came."""
        self.login()
        self.accept(suggestion())
        term = GlossaryTermPage.objects.get(title="Kaizen")
        with self.assertRaises(ValidationError) as raised:
            term.full_clean()
        self.assertEqual(list(raised.exception.message_dict), ["description"])
        term.description = "Improving a process in many small steps, by the people who run it."
        term.full_clean()

    def test_an_editor_may_accept_a_suggestion_too(self):
        editor = self.login("Editors", "editor")
        self.accept(suggestion("Andon"))
        term = GlossaryTermPage.objects.get(title="Andon")
        self.assertEqual((term.live, term.owner), (False, editor))
        self.assertEqual(term.current_workflow_state.status, WorkflowState.STATUS_IN_PROGRESS)

    def test_accepting_twice_makes_one_term(self):
        self.login()
        feedback = suggestion()
        self.accept(feedback)
        self.accept(feedback)
        self.assertEqual(GlossaryTermPage.objects.filter(title="Kaizen").count(), 1)
        self.assertEqual(WorkflowState.objects.count(), 1)

    def test_a_term_of_that_name_is_a_refusal(self):
        self.login()
        GlossaryTermPageFactory(title="Kaizen", slug="kaizen", live=False)
        feedback = suggestion("kaizen")
        response = self.accept(feedback)
        self.assertContains(response, "A term named “Kaizen” exists already")
        self.assertEqual(GlossaryTermPage.objects.filter(title__iexact="kaizen").count(), 1)
        feedback.refresh_from_db()
        self.assertEqual(feedback.status, Status.NEW)

    def test_a_reserved_slug_gets_a_suffix(self):
        self.login()
        self.accept(suggestion("Letter"))
        self.assertEqual(GlossaryTermPage.objects.get(title="Letter").slug, "letter-term")

    def test_accepting_a_report_marks_it(self):
        self.login("Editors", "editor")
        term = GlossaryTermPageFactory(title="Kanban", slug="kanban")
        feedback = Feedback.objects.create(kind=Kind.REPORT, term=term, text="Typo")
        pages = GlossaryTermPage.objects.count()
        response = self.accept(feedback)
        self.assertContains(response, f'Accepted: <a href="/admin/pages/{term.pk}/edit/">fix')
        feedback.refresh_from_db()
        self.assertEqual(feedback.status, Status.ACCEPTED)
        self.assertEqual(GlossaryTermPage.objects.count(), pages)

    def test_decline(self):
        self.login()
        feedback = suggestion()
        response = self.client.post(f"{INBOX}{feedback.pk}/decline/", follow=True)
        self.assertContains(response, "Declined.")
        feedback.refresh_from_db()
        self.assertEqual(feedback.status, Status.DECLINED)
        self.assertFalse(GlossaryTermPage.objects.filter(title="Kaizen").exists())
        # Declined, then accepted after all.
        self.accept(feedback)
        self.assertTrue(GlossaryTermPage.objects.filter(title="Kaizen").exists())
        response = self.client.post(f"{INBOX}{feedback.pk}/decline/", follow=True)
        self.assertContains(response, "It was accepted already.")


@pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks of PostgreSQL")
class ConcurrentAcceptTests(TransactionTestCase):
    """Two editors accept suggestions of one name at the same moment: the second waits for
    the first (the glossary index's row is locked), then sees its term and is refused."""

    serialized_rollback = True

    def test_the_second_accept_waits_and_is_refused_not_a_server_error(self):
        moderator = get_user_model().objects.create_superuser("boss", "boss@example.com", "pw")
        first, second = suggestion("Kaizen"), suggestion("kaizen")

        def second_accept():
            try:
                handling.accept(second.pk, moderator)
            except handling.Refused as refused:
                return str(refused)
            return "accepted"

        outcome = while_in_flight(lambda: handling.accept(first.pk, moderator), second_accept)
        self.assertIn("exists already", outcome)
        self.assertEqual(GlossaryTermPage.objects.filter(title__iexact="kaizen").count(), 1)
