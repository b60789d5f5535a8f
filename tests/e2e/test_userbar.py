"""A signed-in editor reads a public page under the public (strict) policy: Wagtail's user bar
still renders and opens, with no CSP violation (the ``browser`` fixture fails on any)."""

import pytest

from django.core.cache import cache

from tests.e2e.test_editorial_flow import log_in, make_user
from tests.factories import GlossaryTermPageFactory

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_the_user_bar_works_on_a_public_page_under_the_strict_policy(live_server, browser):
    cache.clear()
    term = GlossaryTermPageFactory(title="Capacity model", slug="capacity-model")
    make_user("editor", "Editors")
    tab = browser.new_page()
    log_in(tab, live_server.url, "editor")

    response = tab.goto(f"{live_server.url}{term.url}")
    policy = response.headers["content-security-policy"]
    assert "'unsafe-inline'" not in policy
    trigger = tab.locator("wagtail-userbar [data-wagtail-userbar-trigger]")
    trigger.click()
    edit = tab.locator("wagtail-userbar #wagtail-userbar-items").get_by_role(
        "menuitem", name="Edit this page"
    )
    edit.wait_for(state="visible")
    edit.click()
    tab.wait_for_url(f"{live_server.url}/admin/pages/{term.pk}/edit/")
