"""A moderator uploads 1,000 fixture files in a real browser; a real worker process runs the
dry run and then the import; the job page follows the progress by itself (its static script,
under the admin's Content-Security-Policy) until the report shows."""

import signal

import pytest

from django.conf import settings as django_settings
from django.core.cache import cache

from glossary.models import GlossaryTermPage
from importer.models import ImportJob
from tests import servers
from tests.e2e.test_editorial_flow import log_in, make_user
from tests.importer.test_import_command import term_text

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

DATABASE_QUEUE = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}
FILES = 1000
# Generous: the machine running the suite may be busy; nothing here measures speed.
JOB_TIMEOUT_MS = 300_000


def test_a_thousand_files_are_checked_and_imported_by_the_worker(
    live_server, browser, settings, tmp_path
):
    cache.clear()
    settings.TASKS = DATABASE_QUEUE
    # The worker process reads the uploads from the media folder of the test run's settings.
    settings.MEDIA_ROOT = django_settings.RUN_DIR / "media"
    folder = tmp_path / "upload"
    folder.mkdir()
    paths = []
    for number in range(FILES):
        path = folder / f"t{number:04d}.txt"
        path.write_text(term_text(f"t{number}", f"Imported term {number}"), encoding="utf-8")
        paths.append(str(path))
    make_user("moderator", "Moderators")
    tab = browser.new_page()
    log_in(tab, live_server.url, "moderator")
    polls = []

    def record_poll(response):
        if response.url.endswith("/progress/"):
            polls.append(response.json())

    tab.on("response", record_poll)

    worker = servers.start_worker(tmp_path / "cache")
    try:
        tab.goto(f"{live_server.url}/admin/import-fixtures/")
        tab.set_input_files("input[type=file]", paths)
        tab.get_by_role("button", name="Check these files").click()
        tab.wait_for_url(f"{live_server.url}/admin/import/jobs/*/")
        dry_run = ImportJob.objects.get()
        assert tab.locator("[data-field=files_total]").inner_text() == str(FILES)
        # The page reloads itself when the job has ended: no reload from the test.
        tab.get_by_text("What the import would do").wait_for(timeout=JOB_TIMEOUT_MS)
        assert tab.get_by_text("would be created").count() == 200  # the first page of lines
        assert f"{FILES} created" in tab.locator("main").inner_text()
        assert not GlossaryTermPage.objects.exists()

        tab.get_by_role("button", name="Confirm import").click()
        tab.wait_for_url(f"{live_server.url}/admin/import/jobs/*/")
        assert tab.url != f"{live_server.url}/admin/import/jobs/{dry_run.pk}/"
        tab.get_by_text("What the import did").wait_for(timeout=JOB_TIMEOUT_MS)
        # The page asked for the progress (its script) while the worker wrote pages.
        assert any(poll["status"] == "running" for poll in polls), polls
        assert f"{FILES} created" in tab.locator("main").inner_text()
        tab.get_by_role("link", name="View live").first.wait_for()
    finally:
        worker.send_signal(signal.SIGTERM)
        _, errors = worker.communicate(timeout=60)
    assert worker.returncode == 0, errors.decode()
    assert GlossaryTermPage.objects.count() == FILES
    applied = ImportJob.objects.get(kind=ImportJob.Kind.APPLY)
    assert (applied.status, applied.files_done) == (ImportJob.Status.FINISHED, FILES)
