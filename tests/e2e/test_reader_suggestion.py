"""A reader's suggestion becomes a term, in a real browser against a live server: the reader
searches a word the glossary lacks and suggests it (no JavaScript needed); a Moderator accepts
it in the inbox, which makes a draft in "Editorial review", and publishes it; the term is live.
"""

import pytest

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.cache import cache

from feedback.models import Feedback, Status
from glossary.models import GlossaryTermPage

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

PASSWORD = "a-long-test-password"


def test_a_readers_suggestion_becomes_a_published_term(live_server, browser, settings):
    cache.clear()
    settings.WAGTAIL_AUTOSAVE_INTERVAL = 0  # as in test_editorial_flow: no autosave races
    moderator = get_user_model().objects.create_user("moderator", "m@example.com", PASSWORD)
    moderator.groups.add(Group.objects.get(name="Moderators"))
    base = live_server.url
    tab = browser.new_page()

    # The reader finds nothing and suggests the word.
    tab.goto(f"{base}/search/?q=zettelkasten")
    tab.get_by_role("link", name="Suggest this term").click()
    assert tab.get_by_label("The term").input_value() == "zettelkasten"
    tab.get_by_label("What does it mean").fill("A box of linked notes; our team uses it daily.")
    tab.get_by_role("button", name="Send the suggestion").click()
    tab.wait_for_url(f"{base}/feedback/thanks/")
    assert tab.locator("h1").inner_text() == "Thank you"
    assert Feedback.objects.get().status == Status.NEW

    # The Moderator sees it on the dashboard, accepts it in the inbox.
    tab.goto(f"{base}/admin/login/")
    tab.fill("#id_username", "moderator")
    tab.fill("#id_password", PASSWORD)
    tab.click("button[type=submit]")
    tab.wait_for_url(f"{base}/admin/")
    tab.get_by_role("link", name="1 new message from readers").click()
    tab.get_by_text("A box of linked notes").wait_for()
    tab.get_by_role("button", name="Accept: make a draft term").click()
    tab.get_by_text("is a draft in Editorial review").wait_for()
    term = GlossaryTermPage.objects.get(title="Zettelkasten")
    assert not term.live
    assert term.current_workflow_state.status == "in_progress"

    # ... writes the definition and publishes the draft.
    tab.get_by_role("link", name="write its definition").click()
    tab.wait_for_url(f"{base}/admin/pages/{term.pk}/edit/")
    tab.fill("#id_description", "A method of keeping linked notes.")
    tab.locator("footer [data-w-dropdown-target=toggle]").last.click()
    tab.get_by_role("button", name="Approve and Publish", exact=True).click()
    tab.wait_for_url(f"{base}/admin/pages/{term.get_parent().pk}/")
    term.refresh_from_db()
    assert term.live

    # A visitor reads it.
    tab.context.clear_cookies()
    tab.goto(f"{base}/glossary/zettelkasten/")
    assert tab.locator("h1").inner_text() == "Zettelkasten"
    assert "A method of keeping linked notes." in tab.locator(".lead").inner_text()
