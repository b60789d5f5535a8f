"""What a visitor does with the term page's cards, the breadcrumb and the search filters, in
Chromium on a phone (issue 21)."""

import pytest

from tests.factories import (
    GlossaryTermPageFactory,
    ImageFactory,
    PulseArticlePageFactory,
    RelatedArticleCardFactory,
    add_cards,
)

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

PHONE = {"width": 390, "height": 844}


def test_a_live_card_opens_from_anywhere_on_it_and_waiting_cards_take_a_line(live_server, browser):
    term = GlossaryTermPageFactory(title="Capacity planning", slug="capacity-planning")
    article = PulseArticlePageFactory(title="Optimized Outcomes", slug="optimized-outcomes")
    live = RelatedArticleCardFactory(
        title="Optimized Outcomes with AI", target_page=article, image=ImageFactory()
    )
    waiting = [
        RelatedArticleCardFactory(title=f"Waiting piece {number}", image=ImageFactory())
        for number in range(3)
    ]
    add_cards(term, live, *waiting)
    tab = browser.new_page()
    tab.set_viewport_size(PHONE)
    tab.goto(live_server.url + term.url)

    # One link for the card, named by its title.
    assert tab.get_by_role("link", name="Optimized Outcomes with AI", exact=True).count() == 1
    assert tab.locator(".card a").count() == 1
    # The three waiting cards: one line each, no image (a full card was about 430 px each).
    items = tab.locator(".pending-cards li")
    assert items.count() == 3
    for number in range(3):
        assert items.nth(number).bounding_box()["height"] < 60
    assert tab.locator(".pending-cards img").count() == 0

    # A click on the card's picture, not its title, opens the article.
    picture = tab.locator(".card .card__image")
    picture.scroll_into_view_if_needed()
    box = picture.bounding_box()
    tab.mouse.click(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    tab.wait_for_url(f"{live_server.url}/pulse/optimized-outcomes/")


def test_the_breadcrumb_keeps_to_one_line_on_a_phone(live_server, browser):
    term = GlossaryTermPageFactory(
        title="Sales and operations planning with constrained capacity and demand shaping",
        slug="sales-and-operations-planning",
    )
    tab = browser.new_page()
    tab.set_viewport_size(PHONE)
    tab.goto(live_server.url + term.url)
    crumbs = tab.locator(".breadcrumb li")
    middles = set()
    for number in range(crumbs.count()):
        box = crumbs.nth(number).bounding_box()
        middles.add(round(box["y"] + box["height"] / 2))
    assert len(middles) == 1, middles  # one line
    assert tab.locator(".breadcrumb ol").bounding_box()["height"] < 50
    assert tab.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    # The ancestors stay whole and reachable.
    home = tab.get_by_role("link", name="Home", exact=True)
    box = home.bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"]


def test_the_search_filters_show_their_labels(live_server, browser):
    GlossaryTermPageFactory(title="Capacity planning", category="methods")
    GlossaryTermPageFactory(title="Capacity buffer", category="lean")
    PulseArticlePageFactory(title="Capacity insights", slug="capacity-insights")
    tab = browser.new_page()
    for viewport in (PHONE, {"width": 1280, "height": 900}):
        tab.set_viewport_size(viewport)
        tab.goto(f"{live_server.url}/search/?q=capacity")
        for name in ("Kind", "Category"):
            label = tab.locator(".search-filters__label", has_text=name)
            assert label.is_visible()
            assert label.bounding_box()["width"] > 10
            # The chips' list is named by the label a visitor sees.
            chips = tab.get_by_role("list", name=name, exact=True)
            assert chips.count() == 1
