"""A moderator schedules a change to a live term, in a real browser (issue 21): the first
click on "Schedule to publish" schedules it, with autosave on and an autosave still on its
way when the schedule is saved."""

import pytest

from django.core.cache import cache

from glossary.models import GlossaryTermPage
from tests.e2e.test_editorial_flow import log_in, make_user, open_actions_menu
from tests.factories import GlossaryTermPageFactory

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_schedule_to_publish_works_on_the_first_click(live_server, browser):
    cache.clear()
    term = GlossaryTermPageFactory(title="Capacity model", description="First definition.")
    term.save_revision().publish()
    make_user("moderator", "Moderators")
    base = live_server.url
    tab = browser.new_page()
    log_in(tab, base, "moderator")
    tab.goto(f"{base}/admin/pages/{term.pk}/edit/")
    tab.fill("#id_description", "Second definition, from next year.")
    tab.wait_for_timeout(600)  # the autosave of that change is on its way
    if not tab.get_by_text("Set schedule").first.is_visible():
        tab.locator("[data-side-panel-toggle=status]").click()
    tab.get_by_text("Set schedule").first.click()
    # Set the date as the picker would (the picker's calendar covers the dialog's button).
    tab.locator("input[name=go_live_at]").evaluate(
        "input => { input.value = '2030-01-01 10:00';"
        " input.dispatchEvent(new Event('change', {bubbles: true})); }"
    )
    tab.get_by_role("button", name="Save schedule").click()
    tab.wait_for_load_state()
    open_actions_menu(tab)
    tab.get_by_role("button", name="Schedule to publish").click()
    tab.wait_for_url(f"{base}/admin/pages/{term.get_parent().pk}/")
    assert "has been scheduled for publishing" in tab.locator(".messages").inner_text()
    assert not tab.locator("#w-save-confirmation-dialog").is_visible()
    term = GlossaryTermPage.objects.get(pk=term.pk)
    assert term.live
    assert term.description == "First definition."  # visitors see the live version until then
    scheduled = term.scheduled_revision
    assert scheduled is not None
    assert scheduled.approved_go_live_at.year == 2030
    assert scheduled.as_object().description == "Second definition, from next year."
