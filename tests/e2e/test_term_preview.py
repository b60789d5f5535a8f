"""Previews of linked terms as a visitor meets them (WCAG 2.2 SC 1.4.13, issue 21): they stay
while the pointer moves onto them, close on Escape, stay inside the text column (off the side
column, in both colour schemes), and on a phone the first tap shows one, the second opens the
term."""

import pytest

from django.core.cache import cache

from tests.checks.conftest import AXE, need
from tests.checks.test_accessibility import AXE_RUN, RULE_SETS
from tests.factories import GlossaryTermPageFactory, PulseArticlePageFactory

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

FILLER = "Teams weigh demand against what they can make in a week, a month and a year. " * 3
TERMS = ("Capacity planning", "Throughput", "Bottleneck")


def article():
    cache.clear()
    for title in TERMS:
        GlossaryTermPageFactory(
            title=title,
            slug=title.lower().replace(" ", "-"),
            description=f"What {title.lower()} means for operations, in a sentence or two of text.",
            key_questions=[],
            body=[],
        )
    text = (
        f"<p>{FILLER}Then comes capacity planning</p><p>{FILLER}and throughput</p>"
        f"<p>{FILLER}and at last the bottleneck</p>"
    )
    return PulseArticlePageFactory(title="Planning a plant", body=[("paragraph", text)])


def box(locator):
    return locator.bounding_box()


def test_the_preview_stays_while_hovered_and_closes_on_escape(live_server, browser):
    page = article()
    tab = browser.new_page()
    tab.goto(f"{live_server.url}{page.url}")
    link = tab.locator("a.term-link", has_text="Capacity planning")
    preview = tab.locator(f"#{link.get_attribute('aria-describedby')}")
    assert preview.get_attribute("role") == "tooltip"

    link.hover()
    assert preview.bounding_box()["width"] > 100  # shown
    # The pointer travels from the link down onto the preview, through the gap between them.
    start, end = box(link), box(preview)
    tab.mouse.move(end["x"] + 20, start["y"] + start["height"] / 2)
    tab.mouse.move(end["x"] + 20, end["y"] + end["height"] / 2, steps=10)
    assert preview.bounding_box()["width"] > 100
    assert preview.evaluate("element => element.matches(':hover')")

    tab.keyboard.press("Escape")  # dismissed where it stands, the pointer still on it
    assert preview.bounding_box()["width"] <= 1
    tab.mouse.move(5, 5)
    link.hover()  # back on the link: shown again
    assert preview.bounding_box()["width"] > 100

    # The keyboard: focus shows it, Escape hides it, the link keeps the focus.
    tab.mouse.move(5, 5)
    link.focus()
    assert preview.bounding_box()["width"] > 100
    tab.keyboard.press("Escape")
    assert preview.bounding_box()["width"] <= 1
    assert link.evaluate("element => document.activeElement === element")


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_previews_stay_in_the_text_column(live_server, browser, scheme):
    need(("axe-core (npm)", AXE.exists()))
    page = article()
    tab = browser.new_page()
    tab.add_init_script(path=str(AXE))  # not governed by the page's CSP
    tab.emulate_media(color_scheme=scheme)
    tab.set_viewport_size({"width": 1280, "height": 900})
    tab.goto(f"{live_server.url}{page.url}")
    # Each mention at the end of a line, where a preview has least room on its right.
    tab.locator(".body p").evaluate_all("all => all.forEach(p => { p.style.textAlign = 'right'; })")
    side = box(tab.locator("aside.mentioned-terms"))
    column = box(tab.locator(".body"))
    assert side["x"] > column["x"] + column["width"]  # the side column is beside the text
    for title in TERMS:
        link = tab.locator("a.term-link", has_text=title)
        preview = tab.locator(f"#{link.get_attribute('aria-describedby')}")
        tab.mouse.move(0, 0)  # off the last preview, which stays while hovered
        link.scroll_into_view_if_needed()
        link.hover()
        shown, side = box(preview), box(tab.locator("aside.mentioned-terms"))
        assert shown["width"] > 100, title
        assert shown["x"] + shown["width"] <= side["x"], title
        assert shown["x"] >= column["x"] - 1, title
        under = box(link)
        assert 0 <= shown["y"] - (under["y"] + under["height"]) <= 12, title  # just under it
    # The last one still shown: readable in this scheme.
    result = tab.evaluate(AXE_RUN, RULE_SETS)
    assert [violation["id"] for violation in result["violations"]] == []


def test_on_a_phone_the_first_tap_previews_and_the_second_opens(live_server, browser):
    page = article()
    tab = browser.new_page()
    tab.set_viewport_size({"width": 390, "height": 844})
    cdp = browser.new_cdp_session(tab)
    cdp.send("Emulation.setTouchEmulationEnabled", {"enabled": True, "maxTouchPoints": 1})
    tab.goto(f"{live_server.url}{page.url}")
    link = tab.locator("a.term-link", has_text="Throughput")
    link.scroll_into_view_if_needed()
    preview = tab.locator(f"#{link.get_attribute('aria-describedby')}")

    def tap(locator):
        area = box(locator)
        point = {"x": area["x"] + area["width"] / 2, "y": area["y"] + area["height"] / 2}
        cdp.send("Input.dispatchTouchEvent", {"type": "touchStart", "touchPoints": [point]})
        cdp.send("Input.dispatchTouchEvent", {"type": "touchEnd", "touchPoints": []})

    tap(link)
    go = preview.get_by_role("link", name="Open the term")
    go.wait_for()
    assert tab.url == f"{live_server.url}{page.url}"  # still here
    shown = box(preview)
    assert shown["x"] >= 0 and shown["x"] + shown["width"] <= 390
    tap(link)
    tab.wait_for_url(f"{live_server.url}/glossary/throughput/")
