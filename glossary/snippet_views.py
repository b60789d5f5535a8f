"""Admin views of the reviewed snippets: a create form makes its object once, and the
chooser can create a card (as a draft sent to review, like the full form's "Submit").
"""

import uuid

from django.contrib.admin.utils import quote
from django.db import IntegrityError
from django.utils.translation import gettext as _

from wagtail.actions.create import CreateAction
from wagtail.actions.edit import EditAction
from wagtail.admin.ui.tables import Column
from wagtail.log_actions import LogContext
from wagtail.log_actions import registry as log_registry
from wagtail.snippets.views.chooser import (
    ChooseResultsView,
    ChooseView,
    SnippetChooserViewSet,
    SnippetCreateView,
)
from wagtail.snippets.views.snippets import CreateView


class CreatedOnceMixin:
    """A create view that never makes two objects from one form.

    Wagtail 8.0's autosave posts the new form to the create URL in the background and points
    the form at the edit URL only when the answer comes back. A click on "Submit to Editorial
    review" (or "Publish") in between posts the same form to the create URL again, and made a
    second object: the one the editor had chosen for a term stayed a draft while its twin went
    to review. The form carries a ``creation_key`` (``CreatedOnceForm``), unique in the table:
    a post whose key already made an object continues that object instead, whichever of the
    two requests comes first (a concurrent insert waits for the first and fails on the unique
    index). Written by hand: Wagtail offers no idempotent create.
    """

    def creation_key(self):
        try:
            return uuid.UUID(self.request.POST.get("creation_key", ""))
        except ValueError:
            return None

    def made_already(self):
        key = self.creation_key()
        return key and self.model.objects.filter(creation_key=key).first()

    def post(self, request, *args, **kwargs):
        existing = self.made_already()
        if existing is None:
            try:
                return self.create_once(request, *args, **kwargs)
            except IntegrityError:
                existing = self.made_already()
                if existing is None:
                    raise
        return self.continue_with(existing)

    def create_once(self, request, *args, **kwargs):
        return super().post(request, *args, **kwargs)

    def continue_with(self, existing):
        if self.expects_json_response:
            # An autosave that lost the race with the editor's own click: the click carried
            # the same form, and is the newer; this save would only add an older revision.
            return self.json_error_response(
                "invalid_revision", _("This form was saved already; reload to go on editing.")
            )
        # The editor's click (save, submit, publish) on a form whose object the autosave
        # made: the edit view does with that object what the click asked.
        return self.edit_existing(existing)

    def edit_existing(self, existing):
        edit_view = self.model.snippet_viewset.edit_view
        return edit_view(self.request, pk=quote(existing.pk))


class CreatedOnceCreateView(CreatedOnceMixin, CreateView):
    pass


class CoalescedEditAction(EditAction):
    """An edit that overwrites the editor's own latest revision (an autosave) shares the
    history row of the edits it continues: one "Draft saved" row per editing session.

    Wagtail 8.0 does this in ``RevisionMixin.save_revision(log_action=True)``, which groups
    log entries of one revision by a shared ``uuid`` (the history view shows the newest of
    each group), but its ``EditAction`` logs the edit itself with the request's own uuid:
    each autosave of a snippet was a row (seven in a four-minute edit). Explicit saves
    (Save draft, Submit, a scheduled publish) still make a revision and a row each, so the
    history keeps every version an editor chose to keep and none of the keystrokes.
    """

    def _edit(self, skip_permission_checks=False):
        if self.overwrite_revision is None or not self.log_action:
            return super()._edit(skip_permission_checks=skip_permission_checks)
        logs = log_registry.get_logs_for_instance(self.instance)
        shared = logs.latest_uuid_for_user_revision_action(
            self.user, self.overwrite_revision, self.log_action
        )
        if shared is None:
            return super()._edit(skip_permission_checks=skip_permission_checks)
        with LogContext(user=self.user, generate_uuid=False) as context:
            context.uuid = shared
            return super()._edit(skip_permission_checks=skip_permission_checks)


def card_target(card):
    """What a card points at, as the chooser lists it."""
    if card.target_page_id:
        return card.target_page.title
    return card.target_slug or "—"


def article_state(card):
    page = card.target_page
    if page is None:
        return "Not written yet" if card.target_slug else "No article"
    return "Live" if page.live else "Draft"


class CardColumnsMixin:
    """The card chooser lists what an editor chooses by: the target and its article's state,
    next to the card's own status (Wagtail's status column)."""

    @property
    def columns(self):
        title, *rest = super().columns
        return [
            title,
            Column("target", label="Target", accessor=card_target),
            Column("article", label="Article", accessor=article_state),
            *rest,
        ]

    def get_object_list(self):
        return super().get_object_list().select_related("target_page")


class CardChooseView(CardColumnsMixin, ChooseView):
    pass


class CardChooseResultsView(CardColumnsMixin, ChooseResultsView):
    pass


class CardChooserCreateView(SnippetCreateView):
    """The chooser's "Create" tab. The card is made the way the full form's buttons make it:
    published by those who may publish, else a draft sent to "Editorial review", so a card
    made while writing a term goes live with a moderator's approval like any other."""

    def save_form(self, form):
        from pulse.models import PulseArticlePage

        card = form.instance
        if card.target_slug:
            card.target_page = PulseArticlePage.objects.filter(slug=card.target_slug).first()
        user = self.request.user
        can_publish = self.permission_policy.user_has_permission(user, "publish")
        card = CreateAction(card, user=user, form=form, publish=can_publish).execute(
            skip_permission_checks=True
        )
        workflow = None if can_publish else card.get_workflow()
        if workflow is not None:
            workflow.start(card, user)
        return card


class CardChooserViewSet(SnippetChooserViewSet):
    choose_view_class = CardChooseView
    choose_results_view_class = CardChooseResultsView
    create_view_class = CardChooserCreateView
    # The image and the article are chosen in the full form: a chooser inside a chooser's
    # modal is not something Wagtail supports. A slug of an existing article links it.
    form_fields = ["title", "subheading", "button_text", "target_slug"]
    create_action_label = "Create card"
    create_action_clicked_label = "Creating…"
