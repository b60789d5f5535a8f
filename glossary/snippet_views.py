"""Admin views of the reviewed snippets: a create form makes its object once, and the
chooser can create a card (as a draft sent to review, like the full form's "Submit").
"""

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

from core.admin_views import CreatedOnceMixin


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
