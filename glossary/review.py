"""Who reviewed a term, and when: set by a Moderator's approval or by "Mark as reviewed".

Two ways in, both through ``record_review``:

- a Moderator approves the term in its workflow ("Editorial review"): Wagtail's
  ``TaskState.approve`` finishes the workflow and publishes the latest revision, then sends
  ``task_approved`` (in the same transaction). Only an approval that finished the workflow
  counts: the live page is then what the reviewer approved. An editor's submit may finish a
  workflow too (one without tasks), but never sends ``task_approved``;
- the "Mark as reviewed" action (``glossary.review_admin``) of a user who may publish the term,
  logged as ``glossary.mark_reviewed``.

The values go on the page row (the live page) and on its latest revision; the page keeps
them whatever revision is published next (``ReviewedTermMixin.with_content_json``). The term
page and the read API show them: those, and nothing else, are invalidated.
"""

import datetime

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.utils import timezone

from wagtail.log_actions import log
from wagtail.models import Revision, WorkflowState
from wagtail.signals import task_approved

from core import page_cache

MARK_REVIEWED = "glossary.mark_reviewed"
DEFAULT_REVIEW_MONTHS = 12


def reviewer_name(user):
    """The reviewer as visitors read it: the account's full name, else its username."""
    return (user.get_full_name() or "").strip() or user.get_username()


def review_months():
    return int(getattr(settings, "GLOSSARY_REVIEW_MONTHS", DEFAULT_REVIEW_MONTHS))


def months_before(day, months):
    """``day`` ``months`` calendar months earlier (the 31st becomes the month's last day)."""
    month_index = day.year * 12 + day.month - 1 - months
    year, month = divmod(month_index, 12)
    month += 1
    next_month = datetime.date(year + month // 12, month % 12 + 1, 1)
    last_day = (next_month - datetime.timedelta(days=1)).day
    return datetime.date(year, month, min(day.day, last_day))


def review_due_before(today=None):
    """Terms reviewed before this date (or never) are due for review."""
    return months_before(today or timezone.localdate(), review_months())


def record_review(page, user, on=None):
    """``user`` reviewed the term ``page`` on ``on`` (today): written to the live page and its
    latest revision, then its page and the read API render afresh."""
    from .models import GlossaryTermPage

    on = on or timezone.localdate()
    name = reviewer_name(user)
    GlossaryTermPage.objects.filter(pk=page.pk).update(
        reviewed_at=on, reviewed_by=user, reviewed_by_name=name
    )
    page.reviewed_at, page.reviewed_by, page.reviewed_by_name = on, user, name
    # The latest revision says the same, so its content (compare, revert) shows the review.
    revision = Revision.objects.filter(pk=page.latest_revision_id).first()
    if revision is not None:
        revision.content.update(
            {"reviewed_at": on.isoformat(), "reviewed_by": user.pk, "reviewed_by_name": name}
        )
        revision.save(update_fields=["content"])
    page_cache.invalidate(scopes={page_cache.API}, pages=[page.pk])


def mark_reviewed(page, user):
    """The explicit action: recorded, and logged so the page's history shows who did it."""
    record_review(page, user)
    log(
        instance=page,
        action=MARK_REVIEWED,
        user=user,
        data={"reviewed_at": page.reviewed_at.isoformat(), "reviewed_by": page.reviewed_by_name},
    )


def approved(sender, instance, user, **kwargs):
    """A task was approved: if that finished the workflow of a term, ``user`` reviewed it."""
    from .models import GlossaryTermPage

    if user is None:
        return
    state = WorkflowState.objects.filter(pk=instance.workflow_state_id).first()
    if state is None or state.status != WorkflowState.STATUS_APPROVED:
        return
    if state.content_type_id != ContentType.objects.get_for_model(GlossaryTermPage).pk:
        return
    page = GlossaryTermPage.objects.filter(pk=state.object_id).first()
    if page is not None and page.live:
        record_review(page, user)


def connect():
    task_approved.connect(approved, dispatch_uid="glossary_review_task_approved")
