"""axe-core in headless Chromium: no WCAG 2.0/2.1/2.2 A or AA violation on any page type, on a
phone and a desktop, in the light and the dark colour scheme."""

import pytest

from .conftest import AXE, need

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

RULE_SETS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
WINDOWS = {"phone": (390, 844), "desktop": (1280, 900)}
SCHEMES = ["light", "dark"]  # prefers-color-scheme
# Only violations are read: axe then leaves out the nodes of what passed (its own option for
# speed; half of each run's time here), and reports every violation in full.
AXE_RUN = (
    "tags => axe.run(document, {runOnly: {type: 'tag', values: tags}, "
    "rules: {'target-size': {enabled: true}}, resultTypes: ['violations']})"
)


@pytest.fixture
def axe_browser(browser):
    need(("axe-core (npm)", AXE.exists()))
    return browser


def test_no_accessibility_violations_on_phone_and_desktop_light_and_dark(
    live_server, site_content, axe_browser
):
    pages = site_content
    problems = []
    tab = axe_browser.new_page()
    # An init script, which the page's Content-Security-Policy does not govern (a script tag
    # added to the page would be refused, as it should be).
    tab.add_init_script(path=str(AXE))
    for scheme in SCHEMES:
        tab.emulate_media(color_scheme=scheme)
        for window, (width, height) in WINDOWS.items():
            tab.set_viewport_size({"width": width, "height": height})
            for url in pages:
                response = tab.goto(live_server.url + url)
                assert response.status == (404 if "no-such-page" in url else 200), url
                assert tab.locator("h1").count() == 1, url
                result = tab.evaluate(AXE_RUN, RULE_SETS)
                for violation in result["violations"]:
                    targets = ", ".join(str(node["target"]) for node in violation["nodes"][:3])
                    problems.append(
                        f"{scheme} {window} {url}: {violation['id']} ({violation['impact']}): "
                        f"{targets}"
                    )
    assert problems == [], "\n".join(problems)
