"""Import fixtures from the admin: upload, watch the dry run, read its report, confirm.

The same pipeline as ``manage.py import_fixtures`` (``run_import``), run by the task queue
(``importer.jobs``): the request that uploads stores the files in media storage, creates the
job and redirects to its page, which shows the progress the task writes. No request runs the
pipeline or touches the import lock.
"""

from django.contrib import messages
from django.core.paginator import Paginator
from django.db import transaction
from django.http import Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST

from wagtail.admin.auth import permission_required
from wagtail.models import Page

from . import jobs
from .forms import UploadFixturesForm
from .models import ImportedRecord, ImportJob
from .report import declared_notes
from .verbs import VERBS

PERMISSION = "importer.import_fixtures"
# Report lines per page of the job page.
LINES_PER_PAGE = 200


def visible_jobs(user):
    """The jobs ``user`` may see: their own; a superuser's, everyone's."""
    if user.is_superuser:
        return ImportJob.objects.all()
    return ImportJob.objects.filter(user=user)


def _job(request, job_id):
    return get_object_or_404(visible_jobs(request.user), pk=job_id)


def _admin_page(title, *trail):
    """What Wagtail's ``wagtailadmin/generic/base.html`` reads: the breadcrumbs (Home, then
    ``trail`` of (label, url) pairs, then this page), the title and the header's icon."""
    items = [{"url": reverse("wagtailadmin_home"), "label": "Home"}]
    items += [{"url": url, "label": label} for label, url in trail]
    items.append({"url": "", "label": title})
    return {"breadcrumbs_items": items, "header_title": title, "header_icon": "upload"}


@permission_required(PERMISSION)
def upload(request):
    form = UploadFixturesForm()
    if request.method == "POST":
        form = UploadFixturesForm(request.POST, request.FILES)
        if form.is_valid():
            with transaction.atomic():
                job = jobs.store_upload(form, request.user)
                job.save()
                jobs.enqueue(job)
            return redirect(reverse("importer_job", args=[job.pk]))
    recent = visible_jobs(request.user).select_related("user")[:10]
    context = {"form": form, "jobs": recent, **_admin_page("Import fixtures")}
    return TemplateResponse(request, "importer/upload.html", context)


def progress_data(job):
    counts = job.counts or {}
    return {
        "id": job.pk,
        "kind": job.kind,
        "status": job.status,
        "status_label": job.get_status_display(),
        "stage": job.get_stage_display(),
        "files_total": job.files_total,
        "files_done": job.files_done,
        **{verb: counts.get(verb, 0) for verb in VERBS},
        "seconds_left": job.seconds_left,
        "message": job.message,
    }


@require_GET
@permission_required(PERMISSION)
def job_progress(request, job_id):
    response = JsonResponse(progress_data(_job(request, job_id)))
    response["Cache-Control"] = "no-store"
    return response


def _report_rows(request, job, lines):
    """The page's report lines with their changes and the links to their pages."""
    changes = (job.report or {}).get("changes", {})
    # The page the plan found for the record (an uploaded file's path is not the path it was
    # first imported from); else the page imported from that path.
    paths = [line["path"] for line in lines if not line.get("page_id")]
    page_ids = dict(
        ImportedRecord.objects.filter(source_path__in=paths).values_list("source_path", "page_id")
    )
    for line in lines:
        if line.get("page_id"):
            page_ids[line["path"]] = line["page_id"]
    pages = Page.objects.in_bulk(set(page_ids.values()))
    rows = []
    for line in lines:
        page = pages.get(page_ids.get(line["path"]))
        number = line.get("line")
        rows.append(
            {
                **line,
                # A failure's line, unless its label says it already.
                "where": "" if number is None or line["label"] == f"line {number}" else number,
                "changes": changes.get(line["path"], []),
                "edit_url": reverse("wagtailadmin_pages:edit", args=[page.pk]) if page else "",
                "live_url": page.get_url(request) if page and page.live else "",
            }
        )
    return rows


@require_GET
@permission_required(PERMISSION)
def job(request, job_id):
    job = _job(request, job_id)
    context = {
        "job": job,
        "progress": progress_data(job),
        **_admin_page(
            f"{job.get_kind_display()} #{job.pk}", ("Import fixtures", reverse("importer_upload"))
        ),
    }
    if job.report:
        lines = Paginator(job.report.get("files", []), LINES_PER_PAGE).get_page(
            request.GET.get("p")
        )
        context |= {
            "lines": lines,
            "rows": _report_rows(request, job, lines.object_list),
            # What each kind noted (cards waiting for their article...), as the text report.
            "note_lists": [
                (notes.heading.rstrip(":"), [notes.line.format(**item) for item in noted])
                for notes in declared_notes()
                if (noted := job.report.get(notes.key))
            ],
            "elided_page_range": lines.paginator.get_elided_page_range(lines.number),
        }
        apply = context["apply"] = jobs.latest_apply(job)
        context["can_confirm"] = (
            job.kind == ImportJob.Kind.DRY_RUN
            and job.status == ImportJob.Status.FINISHED
            and bool(job.upload_folder)
            and (apply is None or apply.status == ImportJob.Status.FAILED)
        )
    return TemplateResponse(request, "importer/job.html", context)


@require_POST
@permission_required(PERMISSION)
def confirm(request, job_id):
    dry_run = _job(request, job_id)
    if dry_run.kind != ImportJob.Kind.DRY_RUN or dry_run.status != ImportJob.Status.FINISHED:
        raise Http404("Only a finished dry run can be confirmed.")
    existing = jobs.latest_apply(dry_run)
    if existing is not None and existing.status != ImportJob.Status.FAILED:
        # Confirmed already (a second click, the back button).
        return redirect(reverse("importer_job", args=[existing.pk]))
    if not dry_run.upload_folder:
        messages.error(request, "This upload was deleted; upload the files again.")
        return redirect(reverse("importer_upload"))
    with transaction.atomic():
        apply = jobs.confirm(dry_run, request.user)
    return redirect(reverse("importer_job", args=[apply.pk]))
