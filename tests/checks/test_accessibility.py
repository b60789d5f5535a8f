"""axe-core in headless Chromium: no WCAG 2.0/2.1/2.2 A or AA violation on any page type."""

import pytest

from .conftest import AXE, CHROMIUM, need

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

RULE_SETS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
WINDOWS = {"phone": (390, 844), "desktop": (1280, 900)}
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture
def browser(tmp_path):
    need(("Chromium", CHROMIUM.exists()), ("axe-core (npm)", AXE.exists()))
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        context = playwright.chromium.launch_persistent_context(
            str(tmp_path / "profile"), executable_path=str(CHROMIUM), args=CHROMIUM_ARGS
        )
        yield context
        context.close()


AXE_RUN = "tags => axe.run(document, {runOnly: {type: 'tag', values: tags}, rules: {'target-size': {enabled: true}}})"


def test_no_accessibility_violations_on_phone_and_desktop(live_server, site_content, browser):
    # Django's ORM stays out of here: Playwright runs an event loop in this thread.
    pages = site_content
    problems = []
    tab = browser.new_page()
    for window, (width, height) in WINDOWS.items():
        tab.set_viewport_size({"width": width, "height": height})
        for url in pages:
            response = tab.goto(live_server.url + url)
            assert response.status == (404 if "no-such-page" in url else 200), url
            assert tab.locator("h1").count() == 1, url
            tab.add_script_tag(path=str(AXE))
            result = tab.evaluate(AXE_RUN, RULE_SETS)
            for violation in result["violations"]:
                targets = ", ".join(str(node["target"]) for node in violation["nodes"][:3])
                problems.append(
                    f"{window} {url}: {violation['id']} ({violation['impact']}): {targets}"
                )
    assert problems == [], "\n".join(problems)
