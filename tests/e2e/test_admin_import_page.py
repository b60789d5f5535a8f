"""The import pages look like the rest of the admin, and a dry run of changed files says what
each field changes to and links the page, in a real browser (tasks run at once here)."""

import os
from pathlib import Path

import pytest

from django.core.cache import cache

from glossary.models import GlossaryTermPage
from tests.e2e.test_editorial_flow import log_in, make_user
from tests.importer.test_import_command import term_text

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

DOCS_SCREENSHOTS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"


def screenshots(tmp_path):
    """docs/screenshots with UPDATE_SCREENSHOTS=1; otherwise the test's own folder, so a run
    never changes the checkout (nor races another run over the same files)."""
    return DOCS_SCREENSHOTS if os.environ.get("UPDATE_SCREENSHOTS") == "1" else tmp_path


UNSTYLED = {"rgba(0, 0, 0, 0)", "rgb(239, 239, 239)", "rgb(240, 240, 240)"}  # a bare <button>


def upload(tab, base, path, screenshot=None):
    tab.goto(f"{base}/admin/import-fixtures/")
    if screenshot:
        screenshot.parent.mkdir(exist_ok=True)
        tab.screenshot(path=str(screenshot), full_page=True)
    tab.set_input_files("input[type=file]", [str(path)])
    tab.get_by_role("button", name="Check these files").click()
    tab.wait_for_url(f"{base}/admin/import/jobs/*/")
    tab.get_by_text("What the import would do").wait_for()


def test_import_pages_are_styled_and_the_dry_run_shows_old_and_new(live_server, browser, tmp_path):
    cache.clear()
    make_user("moderator", "Moderators")
    tab = browser.new_page()
    log_in(tab, live_server.url, "moderator")
    source = tmp_path / "t1.txt"
    source.write_text(term_text(name="Service level"), encoding="utf-8")

    upload(tab, live_server.url, source)
    # Wagtail's header and components, styled by its stylesheet.
    # (Wagtail folds the breadcrumbs behind a toggle until hovered.)
    assert tab.locator('.w-breadcrumbs a[href="/admin/import-fixtures/"]').count() == 1
    confirm = tab.get_by_role("button", name="Confirm import")
    assert confirm.evaluate("b => getComputedStyle(b).backgroundColor") not in UNSTYLED
    status = tab.locator(".w-status--primary").first
    assert status.text_content().strip() == "would be created"
    assert status.evaluate("s => getComputedStyle(s).borderStyle") != "none"
    confirm.click()
    tab.get_by_text("What the import did").wait_for()
    term = GlossaryTermPage.objects.get(term_id="t1")

    source.write_text(term_text(name="Service level agreement"), encoding="utf-8")
    upload(tab, live_server.url, source, screenshot=screenshots(tmp_path) / "import-upload.png")
    row = tab.locator("table.import-report tbody tr").first
    assert "title: “Service level” → “Service level agreement”" in row.inner_text()
    assert row.get_by_role("link", name="View live").get_attribute("href").endswith(term.url)
    tab.screenshot(path=str(screenshots(tmp_path) / "import-dry-run.png"), full_page=True)
    row.get_by_role("link", name="Edit").click()
    tab.wait_for_url(f"{live_server.url}/admin/pages/{term.pk}/edit/")
    assert GlossaryTermPage.objects.get(pk=term.pk).title == "Service level"
