"""The readers' forms: suggest a term (``?q=`` prefills its name), report a problem with a
live, public term, and the thanks page. They work without JavaScript; every response is
``no-store`` and never enters the page cache (no ``cache_publicly``: its pages are the same
for every visitor, these carry a CSRF token). Posts count against ``FEEDBACK_RATE_LIMIT``
per client; a name too long for the form (``?q=``) is a 400, a term nobody may read a 404."""

import logging

from django.db import transaction
from django.http import Http404, HttpResponseBadRequest
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_protect
from django.views.decorators.http import require_GET, require_http_methods

from core.internals import public_pages
from core.security import rate_limited
from glossary.models import GlossaryTermPage

from . import tasks
from .forms import QUERY_MAX_LENGTH, ReportForm, SuggestionForm
from .models import Feedback, Kind


@never_cache
@csrf_protect
@require_http_methods(["GET", "POST"])
def suggest(request):
    query = request.GET.get("q", "")
    if len(query) > QUERY_MAX_LENGTH:
        return HttpResponseBadRequest(
            f"The term is at most {QUERY_MAX_LENGTH} characters long.", content_type="text/plain"
        )
    if request.method == "POST":
        return _submit(request, SuggestionForm, "feedback/suggest.html", term=None)
    form = SuggestionForm(initial={"name": " ".join(query.split())})
    return TemplateResponse(request, "feedback/suggest.html", {"form": form})


# Page ids are 32-bit; a larger number in the address is no page, not a database error.
PAGE_ID_MAX = 2**31 - 1


@never_cache
@csrf_protect
@require_http_methods(["GET", "POST"])
def report(request, term_id):
    if term_id > PAGE_ID_MAX:
        raise Http404("No such term.")
    term = public_pages(GlossaryTermPage.objects.live().filter(pk=term_id)).first()
    if term is None:
        raise Http404("No such term.")
    if request.method == "POST":
        return _submit(request, ReportForm, "feedback/report.html", term=term)
    return TemplateResponse(request, "feedback/report.html", {"form": ReportForm(), "term": term})


@rate_limited("feedback", "FEEDBACK_RATE_LIMIT")
def _submit(request, form_class, template, term):
    """A posted form: saved and the Moderators told, or shown again with its errors (400). A
    robot's (the honeypot filled) is thanked like anyone's, and dropped."""
    form = form_class(request.POST)
    if not form.is_valid():
        return TemplateResponse(request, template, {"form": form, "term": term}, status=400)
    if not form.is_robot():
        with transaction.atomic():
            feedback = Feedback.objects.create(
                kind=Kind.REPORT if term else Kind.SUGGESTION,
                term=term,
                name=form.cleaned_data.get("name", ""),
                text=form.cleaned_data["text"],
                email=form.cleaned_data["email"],
            )
            transaction.on_commit(lambda: _notify(feedback.pk))
    return redirect("feedback_thanks")


def _notify(feedback_id):
    """The Moderators' email, queued; a queue that refuses costs the email, not the reader's
    answer (the submission is saved and waits in the inbox)."""
    try:
        tasks.notify_moderators.enqueue(feedback_id)
    except Exception:  # noqa: BLE001
        logging.getLogger(__name__).exception("Could not queue the Moderators' email")


@never_cache
@require_GET
def thanks(request):
    return TemplateResponse(request, "feedback/thanks.html", {})
