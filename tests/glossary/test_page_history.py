"""A term's history keeps the versions an editor chose to keep, not the autosave's keystrokes
(issue 21: "one four-minute edit left seven 'Draft saved' rows").

Posts are made as the browser makes them: Wagtail 8.0's autosave controller (``w-autosave``)
posts the whole edit form with ``Accept: application/json`` and, from its second save on, the
``overwrite_revision_id`` the previous answer gave; a button click posts the form as HTML. The
edit view then overwrites the editor's own latest revision and ``Page.save_revision`` logs the
edit under the first autosave's uuid, which the history view shows as one row.
"""

import json

from django.contrib.auth import get_user_model

from wagtail.models import PageLogEntry
from wagtail.test.utils import WagtailPageTestCase
from wagtail.test.utils.form_data import inline_formset, nested_form_data, streamfield

from tests.factories import GlossaryTermPageFactory


def edit_form(term, description, **extra):
    return nested_form_data(
        {
            "title": term.title,
            "slug": term.slug,
            "description": description,
            "synonyms": "",
            "category": "glossary",
            "status": "current",
            "body": streamfield([]),
            "key_questions": streamfield([]),
            "related_cards": inline_formset([]),
            "pinned_related_terms": inline_formset([]),
            "sources": inline_formset([]),
            "broader_terms": inline_formset([]),
            **extra,
        }
    )


class TermHistoryTests(WagtailPageTestCase):
    def setUp(self):
        self.user = get_user_model().objects.create_superuser("boss", "b@example.com", "pw")
        self.client.force_login(self.user)
        self.term = GlossaryTermPageFactory(title="Throughput")
        self.term.save_revision().publish()
        self.edit_url = f"/admin/pages/{self.term.pk}/edit/"

    def editing_session(self, *descriptions):
        """One open edit form: the autosave's posts, each overwriting the revision the
        previous one made. Returns the revision the session kept."""
        revision_id = None
        for description in descriptions:
            extra = {"overwrite_revision_id": str(revision_id)} if revision_id else {}
            response = self.client.post(
                self.edit_url,
                edit_form(self.term, description, **extra),
                headers={"accept": "application/json"},
            )
            answer = json.loads(response.content)
            self.assertTrue(answer["success"], answer)
            revision_id = answer["revision_id"]
        return revision_id

    def save_draft(self, description):
        response = self.client.post(self.edit_url, edit_form(self.term, description))
        self.assertRedirects(response, self.edit_url)

    def draft_saved_rows(self):
        """The "Draft saved" rows the history view lists, newest first, as revision ids."""
        response = self.client.get(f"/admin/pages/{self.term.pk}/history/")
        self.assertEqual(response.status_code, 200)
        shown = response.context["object_list"]
        return [entry.revision_id for entry in shown if entry.action == "wagtail.edit"]

    def test_autosaves_of_one_session_are_one_row(self):
        kept = self.editing_session(*(f"Throughput, edit {n}." for n in range(7)))
        self.assertEqual(self.draft_saved_rows(), [kept])
        self.assertEqual(self.term.revisions.count(), 2)  # the live one and the session's
        # Seven entries were written; the view shows the newest of their shared uuid.
        edits = PageLogEntry.objects.filter(page=self.term, action="wagtail.edit")
        self.assertEqual(edits.count(), 7)
        self.assertEqual(edits.values("uuid").distinct().count(), 1)

    def test_each_save_draft_click_and_each_session_keeps_its_own_row(self):
        first = self.editing_session("First words.", "First words, longer.")
        self.save_draft("First words, kept.")
        self.save_draft("Second words, kept.")
        # The editor reloads the form (a new session) and types on.
        second = self.editing_session("Third words.", "Third words, longer.", "Third words!")
        rows = self.draft_saved_rows()
        self.assertEqual(len(rows), 4)
        self.assertEqual(rows[0], second)
        self.assertEqual(rows[-1], first)
        self.assertEqual(len(set(rows)), 4)  # a row per kept version, each its own revision

    def test_an_autosave_after_another_save_does_not_overwrite_it(self):
        kept = self.editing_session("Words typed here.")
        # A click in this tab (or another editor's save) made a newer revision: the session's
        # next autosave is refused, and the click's version keeps its row.
        self.save_draft("Words kept by a click.")
        response = self.client.post(
            self.edit_url,
            edit_form(self.term, "Words typed on.", overwrite_revision_id=str(kept)),
            headers={"accept": "application/json"},
        )
        self.assertEqual(json.loads(response.content)["error_code"], "invalid_revision")
        rows = self.draft_saved_rows()
        self.assertEqual(len(rows), 2)
        self.assertEqual(rows[1], kept)
        self.term.refresh_from_db()
        latest = self.term.get_latest_revision_as_object()
        self.assertEqual(latest.description, "Words kept by a click.")
