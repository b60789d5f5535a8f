"""Pages that use the screen: the contents list beside the text on a desktop, above it on a
phone; the text at a readable measure; cards filling the row; a print layout."""

import pytest

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

TERM = "/glossary/operations-strategy/"
ARTICLE = "/pulse/what-is-process-strategy-in-operations-management/"
BOX = (
    "selector => { const r = document.querySelector(selector).getBoundingClientRect();"
    " return {left: r.left, right: r.right, top: r.top, width: r.width}; }"
)


def box(tab, selector):
    return tab.evaluate(BOX, selector)


def test_contents_beside_the_text_on_a_desktop_and_above_it_on_a_phone(
    live_server, site_content, browser
):
    tab = browser.new_page()
    for url in (TERM, ARTICLE):
        tab.set_viewport_size({"width": 1280, "height": 900})
        tab.goto(live_server.url + url)
        toc, body = box(tab, ".toc"), box(tab, ".body")
        assert toc["left"] > body["right"], url  # a side column
        assert tab.evaluate("getComputedStyle(document.querySelector('.toc')).position") == (
            "sticky"
        )
        tab.mouse.wheel(0, 1500)
        tab.wait_for_timeout(100)
        assert 0 <= box(tab, ".toc")["top"] < 100, url  # still in view after scrolling
        # A readable measure: about 70 characters a line.
        em = tab.evaluate("parseFloat(getComputedStyle(document.querySelector('.body')).fontSize)")
        assert 30 * em < body["width"] <= 45 * em, url

        tab.set_viewport_size({"width": 390, "height": 844})
        tab.goto(live_server.url + url)
        toc, body = box(tab, ".toc"), box(tab, ".body")
        assert toc["top"] < body["top"] and abs(toc["left"] - body["left"]) < 2, url


def test_without_a_contents_list_the_key_questions_take_the_side_column(
    live_server, site_content, browser
):
    from glossary.models import GlossaryTermPage

    term = next(t for t in GlossaryTermPage.objects.live() if len(t.table_of_contents) < 2)
    tab = browser.new_page()
    tab.set_viewport_size({"width": 1280, "height": 900})
    tab.goto(live_server.url + term.url)
    assert tab.locator(".toc").count() == 0
    assert box(tab, ".key-questions")["left"] > box(tab, ".body")["right"]


def test_a_lone_card_lies_across_the_row_on_a_desktop(live_server, site_content, browser):
    from pulse.models import PulseArticlePage

    for article in PulseArticlePage.objects.live().exclude(slug=ARTICLE.split("/")[2]):
        article.unpublish()
    tab = browser.new_page()
    tab.goto(live_server.url + "/")
    card, grid = box(tab, ".card-grid .card"), box(tab, ".card-grid")
    assert card["width"] == pytest.approx(grid["width"], abs=2)
    assert (
        box(tab, ".card-grid .card__body")["left"]
        > box(tab, ".card-grid .card__image")["right"] - 1
    )


def test_print_hides_navigation_and_shows_where_links_go(live_server, site_content, browser):
    tab = browser.new_page()
    tab.goto(live_server.url + "/glossary/")  # the A-Z: navigation and a list of links
    tab.emulate_media(media="print")
    for selector in (".site-header", ".site-footer", ".letter-nav"):
        shown = tab.evaluate(
            "s => { const e = document.querySelector(s); return !!e && getComputedStyle(e).display !== 'none'; }",
            selector,
        )
        assert not shown, selector
    after = tab.evaluate(
        """() => {
            const links = [...document.querySelectorAll('main a[href]:not([href^="#"])')];
            const link = links.find(a => a.offsetParent && !a.closest('.breadcrumb'));
            return getComputedStyle(link, '::after').content;
        }"""
    )
    assert after.startswith('" (/glossary/') and after.endswith(')"'), after
