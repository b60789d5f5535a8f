"""Import fixtures from the admin: upload, read the dry-run report, confirm.

The same pipeline as ``manage.py import_fixtures`` (``run_import``), not a second one.
Uploaded files wait in the session between the preview and the confirmation. No request
waits for another import: the dry run only reads (no lock), and a confirmation that finds an
import running says so at once.
"""

import base64

from django.contrib import messages
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse

from wagtail.admin.auth import permission_required

from .forms import UploadFixturesForm
from .locking import ImportLocked
from .pipeline import run_import

SESSION_KEY = "importer:pending-upload"
UPLOAD_PREFIX = "uploads/"


def _sources(pending):
    return [(UPLOAD_PREFIX + name, base64.b64decode(data)) for name, data in pending["files"]]


@permission_required("importer.import_fixtures")
def upload(request):
    form = UploadFixturesForm()
    report = None
    pending = request.session.get(SESSION_KEY)
    if request.method == "POST" and "confirm" in request.POST and pending:
        try:
            report = run_import(
                _sources(pending),
                draft=pending["draft"],
                force=pending["force"],
                user=request.user,
                lock_timeout=0,  # a request never waits for another import
            )
        except ImportLocked as error:
            messages.error(request, str(error))
            return redirect(reverse("importer_upload"))
        del request.session[SESSION_KEY]
        counts = report.counts
        (messages.warning if report.failed else messages.success)(
            request,
            f"Imported: {counts['created']} created, {counts['updated']} updated, "
            f"{counts['unchanged']} unchanged, {counts['skipped']} skipped, {counts['failed']} failed.",
        )
        if report.stopped:
            messages.error(request, f"The import stopped before its end: {report.stopped}")
        return TemplateResponse(
            request, "importer/upload.html", {"form": form, "report": report, "done": True}
        )
    if request.method == "POST":
        form = UploadFixturesForm(request.POST, request.FILES)
        if form.is_valid():
            pending = {
                "files": [
                    (upload.name, base64.b64encode(upload.read()).decode("ascii"))
                    for upload in form.cleaned_data["files"]
                ],
                "draft": form.cleaned_data["draft"],
                "force": form.cleaned_data["force"],
            }
            request.session[SESSION_KEY] = pending
            report = run_import(
                _sources(pending),
                dry_run=True,
                draft=pending["draft"],
                force=pending["force"],
                user=request.user,
            )
    return TemplateResponse(
        request,
        "importer/upload.html",
        {"form": form, "report": report, "pending": pending if report else None},
    )
