"""The A–Z index as a visitor sees it, in Chromium: a compact reference index on a desktop and a
phone, on the same 350-term corpus the issue measured (issue 21: 18,000 px tall at 1280 px wide
and 27,000 px at 390 px before; the letter bar wrapped onto two rows at 1440 px)."""

import tempfile
from io import StringIO

import pytest

from django.core.cache import cache
from django.core.management import call_command

from devkit.corpus import write_corpus

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

# The index's height before the redesign, measured on this corpus with this test's code
# (the templates of main at d8d5932): {viewport width: document height in px}.
HEIGHT_BEFORE = {1280: 18_081, 390: 27_711}


@pytest.fixture
def corpus():
    with tempfile.TemporaryDirectory() as folder:
        write_corpus(folder, terms=350, articles=10, seed=3)
        call_command("import_fixtures", folder, stdout=StringIO(), stderr=StringIO())
    cache.clear()


def height(tab, url, width):
    tab.set_viewport_size({"width": width, "height": 900})
    tab.goto(url)
    return tab.evaluate("document.documentElement.scrollHeight")


def letter_rows(tab):
    """How many rows the letter bar's links take."""
    return tab.evaluate(
        "new Set([...document.querySelectorAll('.letter-nav li')]"
        ".map(item => Math.round(item.getBoundingClientRect().top))).size"
    )


def test_the_index_is_a_small_fraction_of_its_old_height(live_server, browser, corpus):
    tab = browser.new_page()
    url = f"{live_server.url}/glossary/"
    heights = {width: height(tab, url, width) for width in HEIGHT_BEFORE}
    print("index heights", heights)
    for width, before in HEIGHT_BEFORE.items():
        assert heights[width] < before / 4, (width, heights[width], before)


def test_the_letter_bar_is_one_row_and_stays_in_view(live_server, browser, corpus):
    tab = browser.new_page()
    for width in (1440, 1280, 390):
        tab.set_viewport_size({"width": width, "height": 900})
        tab.goto(f"{live_server.url}/glossary/")
        assert letter_rows(tab) == 1, width
    # On a phone the bar scrolls sideways inside itself; the page does not.
    assert tab.evaluate("document.documentElement.scrollWidth") <= 390
    bar = tab.locator(".letter-nav")
    tab.mouse.wheel(0, 3000)
    tab.wait_for_function("window.scrollY > 1000")
    top = bar.bounding_box()["y"]
    assert 0 <= top < 5, top
    # The last letter is reachable: scrolled into view inside the bar, it is on screen.
    last = tab.locator(".letter-nav li").last
    last.scroll_into_view_if_needed()
    box = last.bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= 390


def test_the_downloads_are_near_the_top(live_server, browser, corpus):
    tab = browser.new_page()
    tab.set_viewport_size({"width": 1280, "height": 900})
    tab.goto(f"{live_server.url}/glossary/")
    link = tab.get_by_role("link", name="CSV")
    assert link.bounding_box()["y"] < 900  # in the first screen, without scrolling
