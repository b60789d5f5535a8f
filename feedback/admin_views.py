"""The admin's "Reader feedback" inbox: what readers sent, newest first, filtered by status
(new, accepted, declined), with Accept and Decline as posted forms. Editors and Moderators
read it (``feedback.view_feedback``) and handle it (``feedback.change_feedback``)."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Count
from django.http import HttpResponseBadRequest
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.html import format_html
from django.views.decorators.http import require_POST

from wagtail.admin.auth import permission_required

from . import handling
from .models import Feedback, Status

VIEW = "feedback.view_feedback"
CHANGE = "feedback.change_feedback"
PER_PAGE = 50


def inbox_url(status=Status.NEW):
    return reverse("feedback_inbox") + f"?status={status}"


@permission_required(VIEW)
def inbox(request):
    status = request.GET.get("status", Status.NEW)
    if status not in Status.values:
        return HttpResponseBadRequest("Status: new, accepted or declined.")
    rows = Feedback.objects.filter(status=status).select_related("term", "draft_term", "handled_by")
    page = Paginator(rows, PER_PAGE).get_page(request.GET.get("p"))
    counts = dict.fromkeys(Status.values, 0)
    for row in Feedback.objects.values("status").annotate(n=Count("pk")).order_by():
        counts[row["status"]] = row["n"]
    filters = [(value, label, counts[value], value == status) for value, label in Status.choices]
    title = "Reader feedback"
    context = {
        "rows": page,
        "status": status,
        "filters": filters,
        "can_handle": request.user.has_perm(CHANGE),
        "header_title": title,
        "header_icon": "mail",
        "breadcrumbs_items": [
            {"url": reverse("wagtailadmin_home"), "label": "Home"},
            {"url": "", "label": title},
        ],
    }
    return TemplateResponse(request, "feedback/admin/inbox.html", context)


@require_POST
@permission_required(CHANGE)
def accept(request, feedback_id):
    feedback = get_object_or_404(Feedback.objects.select_related("term"), pk=feedback_id)
    try:
        term = handling.accept(feedback.pk, request.user)
    except handling.Refused as refusal:
        messages.error(request, str(refusal))
    except PermissionDenied:
        messages.error(request, "You may not add terms to the glossary.")
    else:
        if term is not None:
            edit = reverse("wagtailadmin_pages:edit", args=[term.pk])
            messages.success(
                request,
                format_html(
                    '“{}” is a draft in Editorial review: <a href="{}">write its definition</a>.',
                    term.title,
                    edit,
                ),
            )
        elif feedback.term is not None:
            edit = reverse("wagtailadmin_pages:edit", args=[feedback.term_id])
            messages.success(
                request,
                format_html('Accepted: <a href="{}">fix “{}”</a>.', edit, feedback.term.title),
            )
        else:
            messages.success(request, "Accepted.")
    return redirect(inbox_url(feedback.status))


@require_POST
@permission_required(CHANGE)
def decline(request, feedback_id):
    feedback = get_object_or_404(Feedback, pk=feedback_id)
    try:
        handling.decline(feedback.pk, request.user)
    except handling.Refused as refusal:
        messages.error(request, str(refusal))
    else:
        messages.success(request, "Declined.")
    return redirect(inbox_url(feedback.status))
