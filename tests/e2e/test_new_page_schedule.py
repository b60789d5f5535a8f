"""A moderator schedules a term not yet created, in a real browser (issue 21): "Save schedule"
is clicked while the autosave that creates the term is still on its way, and the term ends up
scheduled, once."""

import contextlib

import pytest

from django.core.cache import cache

from core.models import PageCreationKey
from glossary.models import GlossaryIndexPage, GlossaryTermPage
from tests.e2e.test_editorial_flow import log_in, make_user, open_actions_menu

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_save_schedule_during_the_creating_autosave_schedules_the_term_once(live_server, browser):
    cache.clear()
    index = GlossaryIndexPage.objects.get()
    make_user("moderator", "Moderators")
    base = live_server.url
    tab = browser.new_page()
    log_in(tab, base, "moderator")
    add_url = f"{base}/admin/pages/add/glossary/glossarytermpage/{index.pk}/"

    # The autosave reaches the server (which creates the term) but its answer is held back:
    # the form still points at the create URL when "Save schedule" is clicked.
    held = []

    def hold_autosave_answer(route, request):
        if request.method == "POST" and request.resource_type in ("fetch", "xhr"):
            held.append((route, route.fetch()))
        else:
            route.continue_()

    tab.add_init_script(
        "document.addEventListener('w-unsaved:watch-edits', () => { window.watchingEdits = true; });"
    )
    tab.route(add_url, hold_autosave_answer)
    tab.goto(add_url)
    # Wagtail notes the form's first state a moment after loading; edits count from then.
    tab.wait_for_function("() => window.watchingEdits")
    tab.fill("#id_title", "Capacity model")
    tab.fill("#id_description", "How much work a team can take on.")
    for _ in range(50):
        if held:
            break
        tab.wait_for_timeout(200)
    assert held, "the autosave did not start"
    assert GlossaryTermPage.objects.count() == 1  # the autosave created the term

    if not tab.get_by_text("Set schedule").first.is_visible():
        tab.locator("[data-side-panel-toggle=status]").click()
    tab.get_by_text("Set schedule").first.click()
    # Set the date as the picker would (the picker's calendar covers the dialog's button).
    tab.locator("input[name=go_live_at]").evaluate(
        "input => { input.value = '2030-01-01 10:00';"
        " input.dispatchEvent(new Event('change', {bubbles: true})); }"
    )
    tab.get_by_role("button", name="Save schedule").click()
    term = GlossaryTermPage.objects.get()
    tab.wait_for_url(f"{base}/admin/pages/{term.pk}/edit/**")
    for route, answer in held:  # the late answer, to a page that has moved on
        with contextlib.suppress(Exception):  # the browser may have dropped it already
            route.fulfill(response=answer)
    assert "could not be" not in tab.locator(".messages").inner_text()

    open_actions_menu(tab)
    tab.get_by_role("button", name="Schedule to publish").click()
    tab.wait_for_url(f"{base}/admin/pages/{index.pk}/")
    assert "has been scheduled for publishing" in tab.locator(".messages").inner_text()
    [term] = GlossaryTermPage.objects.all()
    assert not term.live
    scheduled = term.scheduled_revision
    assert scheduled is not None
    assert scheduled.approved_go_live_at.year == 2030
    assert scheduled.as_object().title == "Capacity model"
    assert PageCreationKey.objects.get().page_id == term.pk
