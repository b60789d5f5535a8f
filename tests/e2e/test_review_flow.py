"""A term's review in a real browser: an editor's submission changes nothing visitors read
about the review; only the Moderator's approval puts "Reviewed by ... on ..." on the live page.
"""

import re

import pytest

from django.core.cache import cache
from django.utils import timezone

from glossary.models import GlossaryIndexPage, GlossaryTermPage
from tests.factories import GlossaryTermPageFactory

from .test_editorial_flow import log_in, make_user, open_actions_menu

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

BACK_TO_LISTING = re.compile(r"/admin/pages/\d+/$")


def review_line(tab, base, path, visit):
    """The page's review line as a visitor reads it (``visit``: a query the page ignores, so
    the browser's own cache, which may keep a page for a while, is not asked)."""
    tab.context.clear_cookies()
    tab.goto(f"{base}{path}?visit={visit}")
    line = tab.locator(".term-review")
    return line.inner_text() if line.count() else None


def test_the_review_appears_only_after_the_moderator_approves(live_server, browser, settings):
    cache.clear()
    settings.WAGTAIL_AUTOSAVE_INTERVAL = 0  # as in test_editorial_flow: the flow, not autosave
    make_user("editor", "Editors")
    moderator = make_user("moderator", "Moderators")
    moderator.first_name, moderator.last_name = "Grace", "Hopper"
    moderator.save()
    term = GlossaryTermPageFactory(
        title="Capacity model", slug="capacity-model", parent=GlossaryIndexPage.objects.get()
    )
    term.save_revision().publish()
    base = live_server.url
    tab = browser.new_page()
    assert review_line(tab, base, "/glossary/capacity-model/", 1) is None

    # The editor changes the definition and submits it to "Editorial review".
    log_in(tab, base, "editor")
    tab.goto(f"{base}/admin/pages/{term.pk}/edit/")
    tab.fill("#id_description", "How much work a team can take on, week by week.")
    open_actions_menu(tab)
    assert tab.get_by_role("button", name="Mark as reviewed").count() == 0  # not an editor's
    tab.get_by_role("button", name="Submit to Editorial review").click()
    tab.wait_for_url(BACK_TO_LISTING)
    assert GlossaryTermPage.objects.get(pk=term.pk).current_workflow_state.status == "in_progress"
    assert review_line(tab, base, "/glossary/capacity-model/", 2) is None

    # The moderator approves: the workflow's last task publishes, and the review is recorded.
    log_in(tab, base, "moderator")
    tab.goto(f"{base}/admin/pages/{term.pk}/edit/")
    open_actions_menu(tab)
    tab.get_by_role("button", name="Approve and Publish", exact=True).click()
    tab.wait_for_url(BACK_TO_LISTING)

    today = timezone.localdate()
    approved = GlossaryTermPage.objects.get(pk=term.pk)
    assert (approved.reviewed_at, approved.reviewed_by_name) == (today, "Grace Hopper")
    text = review_line(tab, base, "/glossary/capacity-model/", 3)
    assert text == f"Reviewed by Grace Hopper on {today.day} {today:%B %Y}"
    assert tab.locator(".term-review time").get_attribute("datetime") == today.isoformat()
    assert "week by week" in tab.locator(".lead").inner_text()


def test_a_moderator_marks_a_term_as_reviewed_from_its_actions_menu(live_server, browser, settings):
    cache.clear()
    settings.WAGTAIL_AUTOSAVE_INTERVAL = 0
    moderator = make_user("moderator", "Moderators")
    term = GlossaryTermPageFactory(
        title="Lead time", slug="lead-time", parent=GlossaryIndexPage.objects.get()
    )
    term.save_revision().publish()
    revisions = term.revisions.count()
    base = live_server.url
    tab = browser.new_page()
    log_in(tab, base, "moderator")
    tab.goto(f"{base}/admin/pages/{term.pk}/edit/")
    # A change left in the form is not saved by the action: it posts elsewhere.
    tab.fill("#id_description", "Not saved by marking.")
    open_actions_menu(tab)
    tab.get_by_role("button", name="Mark as reviewed").click()
    tab.get_by_text("marked as reviewed on").wait_for()
    assert tab.url.endswith(f"/admin/pages/{term.pk}/edit/")
    marked = GlossaryTermPage.objects.get(pk=term.pk)
    assert (marked.reviewed_at, marked.reviewed_by) == (timezone.localdate(), moderator)
    assert marked.revisions.count() == revisions
    assert marked.description != "Not saved by marking."
    tab.goto(f"{base}/admin/pages/{term.pk}/history/")
    tab.get_by_text("Marked as reviewed").first.wait_for()
