"""The review in the admin: the "Mark as reviewed" action, the "Terms due for review" report
and its dashboard panel. The hooks that add them are in ``glossary/wagtail_hooks.py``.
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import F, Q
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.views.decorators.http import require_POST

from wagtail.admin.action_menu import ActionMenuItem
from wagtail.admin.ui.components import Component
from wagtail.admin.ui.tables import Column, DateColumn

from core.internals import public_pages
from core.spreadsheets import export_columns

from .models import GlossaryTermPage
from .reports import TermReport, term_title_column
from .review import mark_reviewed, review_due_before, review_months


@require_POST
def mark_reviewed_view(request, pk):
    """POST only (CSRF-checked by Django's middleware), by a user who may publish the term."""
    page = get_object_or_404(GlossaryTermPage, pk=pk)
    if not page.permissions_for_user(request.user).can_publish():
        raise PermissionDenied
    lock = page.get_lock()
    if lock and lock.for_user(request.user):  # as the menu item: not on a page locked to them
        raise PermissionDenied
    edit_url = reverse("wagtailadmin_pages:edit", args=[page.pk])
    if not page.live:
        messages.error(request, f"“{page.title}” is not live: publish it before marking it.")
        return redirect(edit_url)
    mark_reviewed(page, request.user)
    messages.success(request, f"“{page.title}” marked as reviewed on {page.reviewed_at:%-d %B %Y}.")
    return redirect(edit_url)


class MarkReviewedMenuItem(ActionMenuItem):
    """In the edit view's actions menu of a live term, for users who may publish it. A button
    of the edit form posting (with the form's CSRF token) to ``mark_reviewed_view`` instead of
    the edit view, so nothing of the form is saved."""

    label = "Mark as reviewed"
    name = "action-mark-reviewed"
    icon_name = "tick"
    template_name = "glossary/admin/mark_reviewed_menu_item.html"

    def is_shown(self, context):
        page = context.get("page")
        if context["view"] != "edit" or not isinstance(page, GlossaryTermPage):
            return False
        if not page.live or context["locked_for_user"]:
            return False
        return self.get_user_page_permissions_tester(context).can_publish()

    def get_context_data(self, parent_context):
        context = super().get_context_data(parent_context)
        context["action_url"] = reverse("glossary_review:mark_reviewed", args=[context["page"].pk])
        return context


def terms_due_for_review(user, policy):
    """The live terms ``user`` may edit that were not reviewed since the cut-off (or ever),
    never-reviewed first, then the oldest review, then A to Z."""
    editable = policy.instances_user_has_any_permission_for(user, ["change"])
    return (
        public_pages(GlossaryTermPage.objects.live())
        .filter(pk__in=editable.values("pk"))
        .filter(Q(reviewed_at__isnull=True) | Q(reviewed_at__lt=review_due_before()))
        .only("id", "title", "url_path", "reviewed_at", "reviewed_by_name", "last_published_at")
        .order_by(F("reviewed_at").asc(nulls_first=True), "sort_key", "pk")
    )


class TermsDueForReviewReport(TermReport):
    """For Editors and Moderators (whoever may edit pages), the terms each of them may edit."""

    page_title = "Terms due for review"
    header_icon = "time"
    index_url_name = "glossary_review:terms_due_for_review"
    index_results_url_name = "glossary_review:terms_due_for_review_results"
    export_filename = "terms-due-for-review"
    list_export, export_headings = export_columns(
        title="Term",
        reviewed_at="Last reviewed",
        reviewed_by_name="Reviewed by",
        last_published_at="Last published",
    )
    columns = [
        term_title_column(),
        Column("review_shown", label="Last reviewed"),
        Column("reviewed_by_name", label="Reviewed by"),
        DateColumn("last_published_at", label="Last published"),
    ]

    def get_queryset(self):
        return terms_due_for_review(self.request.user, self.permission_policy)

    def decorate_paginated_queryset(self, object_list):
        for term in object_list:
            term.review_shown = f"{term.reviewed_at:%-d %b %Y}" if term.reviewed_at else "Never"
        return object_list

    def get_page_subtitle(self):
        return f"not reviewed in the last {review_months()} months"


class TermsDueForReviewPanel(Component):
    """The dashboard's count of terms due for review, the oldest few, and the report's link."""

    name = "terms_due_for_review"
    template_name = "glossary/admin/terms_due_panel.html"
    order = 230  # after "Awaiting your review"
    shown = 5

    def __init__(self, request):
        self.request = request

    def get_context_data(self, parent_context):
        context = super().get_context_data(parent_context)
        due = terms_due_for_review(self.request.user, TermsDueForReviewReport.permission_policy)
        context.update(
            {
                "count": due.count(),
                "oldest": list(due[: self.shown]),
                "months": review_months(),
                "report_url": reverse("glossary_review:terms_due_for_review"),
            }
        )
        return context


def may_see_report(user):
    return TermsDueForReviewReport.permission_policy.user_has_any_permission(
        user, TermsDueForReviewReport.any_permission_required
    )
