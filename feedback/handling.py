"""Accepting and declining what readers sent, in the admin's inbox (``feedback.admin_views``).

Accepting a suggestion makes one draft term under the glossary index, named after it, with
the reader's words as a comment on its name (the term has no notes field; a comment is
where Wagtail's editors discuss a draft), and starts its "Editorial review": a Moderator
writes the definition and publishes it. Accepting twice makes nothing new; a term of that
name already there (live or draft) is a refusal, so the inbox never makes a duplicate.
Accepting a report only marks it: the fix is the term's own edit."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.text import capfirst, slugify

from wagtail.coreutils import find_available_slug
from wagtail.log_actions import log
from wagtail.models import Comment, Page

from glossary.models import GlossaryIndexPage, GlossaryTermPage
from glossary.rules import SUGGESTED_TERM_PLACEHOLDER

from .models import Feedback, Kind, Status

PLACEHOLDER_DESCRIPTION = SUGGESTED_TERM_PLACEHOLDER


class Refused(Exception):
    """Why the inbox cannot do what was asked; the message is shown to the editor."""


def accept(feedback_id, user):
    """Accept one submission; a suggestion's draft term (new or made before), else None."""
    with transaction.atomic():
        # Locked alone: PostgreSQL locks no row of an outer join (the draft term is nullable).
        feedback = Feedback.objects.select_for_update().get(pk=feedback_id)
        if feedback.status == Status.ACCEPTED:
            return feedback.draft_term
        term = _draft_term(feedback, user) if feedback.kind == Kind.SUGGESTION else None
        _handled(feedback, user, Status.ACCEPTED, draft_term=term)
        return term


def decline(feedback_id, user):
    with transaction.atomic():
        feedback = Feedback.objects.select_for_update().get(pk=feedback_id)
        if feedback.status == Status.ACCEPTED:
            raise Refused("It was accepted already.")
        if feedback.status == Status.NEW:
            _handled(feedback, user, Status.DECLINED)


def _handled(feedback, user, status, draft_term=None):
    feedback.status = status
    feedback.handled_by = user
    feedback.handled_at = timezone.now()
    feedback.draft_term = draft_term
    feedback.save(update_fields=["status", "handled_by", "handled_at", "draft_term"])


def _draft_term(feedback, user):
    name = capfirst(feedback.name.strip())
    index = GlossaryIndexPage.objects.order_by("path").first()
    if index is None:
        raise Refused("There is no glossary to add the term to.")
    # Two suggestions accepted at once would both check the name and take the same place in
    # the tree: the index's row, locked, makes the second wait for the first.
    Page.objects.select_for_update().only("pk").get(pk=index.pk)
    index.refresh_from_db(fields=["numchild"])
    if GlossaryTermPage.objects.filter(title__iexact=name).exists():
        raise Refused(f"A term named “{name}” exists already: nothing was made.")
    if not index.permissions_for_user(user).can_add_subpage():
        raise PermissionDenied
    slug = slugify(name) or "term"
    if slug in GlossaryIndexPage.reserved_slugs():
        slug += "-term"
    slug = find_available_slug(index, slug)
    term = GlossaryTermPage(
        title=name, slug=slug, description=PLACEHOLDER_DESCRIPTION, live=False, owner=user
    )
    try:
        index.add_child(instance=term)
    except ValidationError as error:
        raise Refused(" ".join(error.messages)) from error
    # Not cleaned again: the placeholder is refused only once the editor saves the draft.
    revision = term.save_revision(user=user, log_action=False, clean=False)
    log(instance=term, action="wagtail.create", user=user, revision=revision, content_changed=True)
    Comment.objects.create(
        page=term,
        user=user,
        contentpath="title",
        text=f"A reader suggested this term:\n{feedback.text}",
        revision_created=revision,
    )
    workflow = term.get_workflow()
    if workflow is not None:
        workflow.start(term, user)
    return term
