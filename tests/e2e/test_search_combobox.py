"""The header search box as a visitor uses it with the keyboard, the pointer and no script:
a WAI-ARIA 1.2 combobox whose highlighted suggestion opens on Enter (issue 21)."""

import pytest

from django.core.cache import cache

from tests.checks.conftest import AXE, need
from tests.checks.test_accessibility import AXE_RUN, RULE_SETS
from tests.factories import GlossaryTermPageFactory

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def terms():
    cache.clear()
    for title in ("Lean Capacity 83", "Capacity planning", "Capacity model"):
        slug = title.lower().replace(" ", "-")
        GlossaryTermPageFactory(title=title, slug=slug, key_questions=[], body=[])


def option_texts(box):
    return box.page.locator(f"#{box.get_attribute('aria-controls')} .site-search__title")


def test_the_keyboard_opens_the_highlighted_term_on_enter(live_server, browser):
    terms()
    tab = browser.new_page()
    tab.goto(f"{live_server.url}/search/")
    box = tab.get_by_role("combobox", name="Search the glossary")
    assert box.get_attribute("aria-expanded") == "false"
    listbox_id = box.get_attribute("aria-controls")
    assert box.get_attribute("aria-autocomplete") == "list"

    box.press_sequentially("capac")
    listbox = tab.get_by_role("listbox", name="Suggestions")
    listbox.wait_for()
    assert listbox.get_attribute("id") == listbox_id
    assert box.get_attribute("aria-expanded") == "true"
    # Names that start with the query first, shortest first.
    assert option_texts(box).all_inner_texts() == [
        "Capacity model",
        "Capacity planning",
        "Lean Capacity 83",
    ]
    status = tab.locator(".site-search [role=status]")
    assert status.inner_text().startswith("3 suggestions")
    assert box.get_attribute("aria-activedescendant") is None  # nothing chosen yet

    options = listbox.get_by_role("option")
    box.press("ArrowDown")
    assert box.get_attribute("aria-activedescendant") == options.nth(0).get_attribute("id")
    assert options.nth(0).get_attribute("aria-selected") == "true"
    box.press("ArrowDown")
    assert box.get_attribute("aria-activedescendant") == options.nth(1).get_attribute("id")
    assert options.nth(0).get_attribute("aria-selected") == "false"
    box.press("End")
    assert box.get_attribute("aria-activedescendant") == options.nth(2).get_attribute("id")
    box.press("ArrowDown")  # wraps round to the first
    assert box.get_attribute("aria-activedescendant") == options.nth(0).get_attribute("id")
    box.press("Home")
    assert box.get_attribute("aria-activedescendant") == options.nth(0).get_attribute("id")
    box.press("ArrowUp")  # and back to the last
    assert options.nth(2).get_attribute("aria-selected") == "true"
    assert box.evaluate("element => document.activeElement === element")  # focus stays put

    box.press("Escape")
    assert box.get_attribute("aria-expanded") == "false"
    assert box.get_attribute("aria-activedescendant") is None
    assert listbox.is_hidden()
    assert box.input_value() == "capac"

    box.press("ArrowDown")  # opens again on the first
    assert box.get_attribute("aria-expanded") == "true"
    chosen = options.nth(0).locator(".site-search__title").inner_text()
    box.press("Enter")
    tab.wait_for_url(f"{live_server.url}/glossary/{chosen.lower().replace(' ', '-')}/")
    assert tab.locator("h1").inner_text() == chosen


def test_enter_with_nothing_highlighted_searches(live_server, browser):
    terms()
    tab = browser.new_page()
    tab.goto(f"{live_server.url}/glossary/")
    box = tab.get_by_role("combobox", name="Search the glossary")
    box.press_sequentially("capac")
    tab.get_by_role("listbox", name="Suggestions").wait_for()
    box.press("Enter")
    tab.wait_for_url(f"{live_server.url}/search/?q=capac")
    assert tab.locator("h1").inner_text() == "Search"


def test_a_suggestion_opens_with_the_pointer(live_server, browser):
    terms()
    tab = browser.new_page()
    tab.goto(f"{live_server.url}/glossary/")
    tab.locator("#site-search-q").press_sequentially("lean cap")
    option = tab.get_by_role("option", name="Lean Capacity 83")
    option.click()
    tab.wait_for_url(f"{live_server.url}/glossary/lean-capacity-83/")


def test_without_the_script_the_box_is_a_plain_search_form(live_server, browser):
    terms()
    tab = browser.new_page()
    tab.route("**/search-suggest*.js", lambda route: route.abort())
    tab.goto(f"{live_server.url}/glossary/")
    box = tab.get_by_role("searchbox", name="Search the glossary")
    assert box.get_attribute("role") is None
    box.fill("capacity planing")
    box.press("Enter")
    tab.wait_for_url("**/search/?q=capacity+planing")
    tab.get_by_role("link", name="Capacity planning").first.wait_for()


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_the_open_list_has_no_accessibility_violations(live_server, browser, scheme):
    need(("axe-core (npm)", AXE.exists()))
    terms()
    tab = browser.new_page()
    tab.add_init_script(path=str(AXE))  # not governed by the page's CSP
    tab.emulate_media(color_scheme=scheme)
    for width, height in ((390, 844), (1280, 900)):
        tab.set_viewport_size({"width": width, "height": height})
        tab.goto(f"{live_server.url}/glossary/")
        box = tab.get_by_role("combobox", name="Search the glossary")
        box.press_sequentially("capac")
        tab.get_by_role("listbox", name="Suggestions").wait_for()
        box.press("ArrowDown")
        result = tab.evaluate(AXE_RUN, RULE_SETS)
        assert [violation["id"] for violation in result["violations"]] == [], width
