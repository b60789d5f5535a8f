"""The readers' forms: what they accept and refuse, how often, and what they never show."""

from django.core import mail
from django.test import Client, TestCase, override_settings

from wagtail.models import PageViewRestriction

from feedback.models import Feedback, Kind, Status
from tests.factories import GlossaryTermPageFactory

SUGGEST = "/feedback/suggest/"


def report_url(term):
    return f"/feedback/report/{term.pk}/"


class SuggestFormTests(TestCase):
    def test_the_query_prefills_the_name(self):
        response = self.client.get(SUGGEST, {"q": "  value   stream "})
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, 'value="value stream"')
        self.assertIn("no-store", response["Cache-Control"])
        self.assertNotIn("X-Page-Cache", response)

    def test_a_suggestion_is_saved_and_thanked(self):
        response = self.client.post(SUGGEST, {"name": "Value  stream", "text": " Seen in a deck. "})
        self.assertRedirects(response, "/feedback/thanks/")
        feedback = Feedback.objects.get()
        self.assertEqual(
            (feedback.kind, feedback.name, feedback.text, feedback.status, feedback.term),
            (Kind.SUGGESTION, "Value stream", "Seen in a deck.", Status.NEW, None),
        )
        self.assertIn("no-store", self.client.get("/feedback/thanks/")["Cache-Control"])

    def test_the_honeypot_is_thanked_and_dropped(self):
        response = self.client.post(
            SUGGEST, {"name": "Cheap pills", "text": "Buy now", "website": "http://spam.example"}
        )
        self.assertRedirects(response, "/feedback/thanks/")
        self.assertFalse(Feedback.objects.exists())

    def test_the_honeypot_is_hidden_by_a_class_not_inline_style(self):
        content = self.client.get(SUGGEST).content.decode()
        self.assertIn('<div class="feedback-form__trap">', content)
        self.assertNotIn("style=", content)
        self.assertNotIn("<script>", content)

    def test_size_limits(self):
        response = self.client.post(SUGGEST, {"name": "Kaizen", "text": "x" * 2001})
        self.assertEqual(response.status_code, 400)
        self.assertContains(response, "at most 2000 characters", status_code=400)
        response = self.client.post(SUGGEST, {"name": "k" * 201, "text": "fine"})
        self.assertEqual(response.status_code, 400)
        self.assertFalse(Feedback.objects.exists())

    def test_required_fields_and_a_bad_email_show_the_form_again(self):
        response = self.client.post(SUGGEST, {"name": "", "text": "", "email": "not-an-email"})
        self.assertEqual(response.status_code, 400)
        self.assertContains(response, "This field is required.", count=2, status_code=400)
        self.assertContains(response, "Enter a valid email address.", status_code=400)
        # Each field is described by its own errors (Django's aria-describedby names them).
        self.assertContains(
            response, 'aria-describedby="id_email_helptext id_email_error"', status_code=400
        )
        self.assertContains(
            response, '<ul class="feedback-form__errors" id="id_email_error">', status_code=400
        )
        self.assertFalse(Feedback.objects.exists())

    def test_a_nul_character_is_a_400_not_a_500(self):
        # PostgreSQL cannot store one in text: the form refuses it before the database sees it.
        for fields in ({"name": "Kai\x00zen", "text": "t"}, {"name": "Kaizen", "text": "\x00"}):
            self.assertEqual(self.client.post(SUGGEST, fields).status_code, 400)
        self.assertFalse(Feedback.objects.exists())

    def test_a_long_query_is_a_400(self):
        self.assertEqual(self.client.get(SUGGEST, {"q": "q" * 201}).status_code, 400)
        self.assertEqual(self.client.get(SUGGEST, {"q": "q" * 200}).status_code, 200)

    def test_robots_keep_off(self):
        self.assertIn(b"Disallow: /feedback/", self.client.get("/robots.txt").content)

    def test_other_methods_are_refused(self):
        self.assertEqual(self.client.put(SUGGEST).status_code, 405)
        self.assertEqual(self.client.post("/feedback/thanks/").status_code, 405)

    def test_csrf_is_enforced(self):
        client = Client(enforce_csrf_checks=True)
        response = client.post(SUGGEST, {"name": "Kaizen", "text": "Please add it."})
        self.assertEqual(response.status_code, 403)
        self.assertFalse(Feedback.objects.exists())
        token = client.get(SUGGEST).cookies["csrftoken"].value
        response = client.post(
            SUGGEST, {"name": "Kaizen", "text": "Please add it.", "csrfmiddlewaretoken": token}
        )
        self.assertEqual(response.status_code, 302)
        self.assertEqual(Feedback.objects.count(), 1)

    @override_settings(FEEDBACK_RATE_LIMIT="2/600")
    def test_posts_past_the_rate_limit_are_429(self):
        statuses = [
            self.client.post(SUGGEST, {"name": f"Term {n}", "text": "t"}).status_code
            for n in range(3)
        ]
        self.assertEqual(statuses, [302, 302, 429])
        refused = self.client.post(SUGGEST, {"name": "Term 4", "text": "t"})
        self.assertTrue(int(refused["Retry-After"]) > 0)
        self.assertEqual(Feedback.objects.count(), 2)
        # Reading the form is not counted; another client is not limited.
        self.assertEqual(self.client.get(SUGGEST).status_code, 200)
        other = self.client.post(
            SUGGEST, {"name": "Term 5", "text": "t"}, REMOTE_ADDR="198.51.100.7"
        )
        self.assertEqual(other.status_code, 302)

    def test_no_address_is_kept_in_the_cache_or_the_database(self):
        from django.core.cache import cache

        address = "203.0.113.77"
        self.client.post(SUGGEST, {"name": "Kaizen", "text": "t"}, REMOTE_ADDR=address)
        keys = list(cache._cache)  # local memory in tests: every key there is
        self.assertTrue(any(":rate:feedback:" in key for key in keys))
        self.assertFalse([key for key in keys if address in key])
        self.assertNotIn(address, str(list(Feedback.objects.values())))


class ReportFormTests(TestCase):
    def setUp(self):
        self.term = GlossaryTermPageFactory(title="Kanban", slug="kanban")

    def test_a_report_is_saved_with_its_term(self):
        response = self.client.post(report_url(self.term), {"text": "The date is wrong."})
        self.assertRedirects(response, "/feedback/thanks/")
        feedback = Feedback.objects.get()
        self.assertEqual((feedback.kind, feedback.term_id), (Kind.REPORT, self.term.pk))

    def test_the_form_names_the_term(self):
        response = self.client.get(report_url(self.term))
        self.assertContains(response, "Report a problem with “Kanban”")

    def test_draft_private_and_other_pages_are_404(self):
        draft = GlossaryTermPageFactory(title="Draft", slug="draft", live=False)
        secret = GlossaryTermPageFactory(title="Secret", slug="secret")
        PageViewRestriction.objects.create(
            page=secret, restriction_type=PageViewRestriction.PASSWORD, password="x"
        )
        huge = 10**21  # no database integer holds it (SQLite raised OverflowError: a 500)
        for page_id in (draft.pk, secret.pk, self.term.get_parent().pk, 999_999, 2**31, huge):
            with self.subTest(page_id=page_id):
                self.assertEqual(self.client.get(f"/feedback/report/{page_id}/").status_code, 404)
                response = self.client.post(f"/feedback/report/{page_id}/", {"text": "x"})
                self.assertEqual(response.status_code, 404)
        self.assertEqual(self.client.get("/feedback/report/abc/").status_code, 404)
        self.assertFalse(Feedback.objects.exists())


class LinksToTheFormsTests(TestCase):
    def test_a_term_page_links_its_report_form(self):
        term = GlossaryTermPageFactory(title="Kanban", slug="kanban")
        response = self.client.get(term.url)
        self.assertContains(response, f'href="{report_url(term)}"')
        self.assertContains(response, "Report a problem with this definition")

    def test_a_restricted_term_page_does_not(self):
        term = GlossaryTermPageFactory(title="Secret", slug="secret")
        PageViewRestriction.objects.create(
            page=term, restriction_type=PageViewRestriction.PASSWORD, password="x"
        )
        session = self.client.session
        session[PageViewRestriction.passed_view_restrictions_session_key] = [
            PageViewRestriction.objects.get().pk
        ]
        session.save()
        response = self.client.get(term.url)
        self.assertContains(response, "Secret")
        self.assertNotContains(response, "/feedback/report/")

    def test_a_search_that_found_little_offers_a_suggestion(self):
        response = self.client.get("/search/", {"q": "zettelkasten"})
        self.assertContains(response, 'href="/feedback/suggest/?q=zettelkasten"')
        self.assertContains(response, "Suggest this term")

    def test_a_search_that_found_plenty_does_not(self):
        for n in range(3):
            GlossaryTermPageFactory(title=f"Kanban board {n}", slug=f"kanban-board-{n}")
        response = self.client.get("/search/", {"q": "kanban"})
        self.assertContains(response, "3 results")
        self.assertNotContains(response, "Suggest this term")


class EmailTests(TestCase):
    def setUp(self):
        from django.contrib.auth import get_user_model
        from django.contrib.auth.models import Group

        users = get_user_model().objects
        moderator = users.create_user("mod", "mod@example.com", "pw")
        moderator.groups.add(Group.objects.get(name="Moderators"))
        editor = users.create_user("ed", "ed@example.com", "pw")
        editor.groups.add(Group.objects.get(name="Editors"))

    def post(self):
        with self.captureOnCommitCallbacks(execute=True):
            self.client.post(SUGGEST, {"name": "Kaizen", "text": "Small <steps>."})

    @override_settings(
        FEEDBACK_EMAIL_MODERATORS=True,
        EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend",
    )
    def test_moderators_are_emailed_when_mail_is_configured(self):
        self.post()
        self.assertEqual(len(mail.outbox), 1)
        self.assertEqual(mail.outbox[0].to, ["mod@example.com"])
        self.assertIn("Kaizen", mail.outbox[0].subject)
        self.assertIn("Small <steps>.", mail.outbox[0].body)
        self.assertIn("/admin/reader-feedback/", mail.outbox[0].body)

    @override_settings(
        FEEDBACK_EMAIL_MODERATORS=False,
        EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend",
    )
    def test_nobody_is_emailed_without_mail(self):
        self.post()
        self.assertEqual(mail.outbox, [])
        self.assertEqual(Feedback.objects.count(), 1)

    def test_a_queue_that_refuses_costs_the_email_not_the_answer(self):
        from unittest import mock

        with (
            mock.patch("feedback.tasks.notify_moderators") as task,
            self.assertLogs("feedback.views", "ERROR"),
            self.captureOnCommitCallbacks(execute=True),
        ):
            task.enqueue.side_effect = OSError("the queue is down")
            response = self.client.post(SUGGEST, {"name": "Kaizen", "text": "t"})
        self.assertEqual(response.status_code, 302)
        self.assertEqual(Feedback.objects.count(), 1)
        task.enqueue.assert_called_once()
