"""Cards made while writing a term, in a real browser (issue 21): each exists once, and the
one the term shows is the one a moderator publishes."""

import pytest

from django.core.cache import cache

from glossary.models import GlossaryTermPage, RelatedArticleCard
from tests.e2e.test_editorial_flow import log_in, make_user, open_actions_menu
from tests.factories import GlossaryTermPageFactory

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def approve(tab, url):
    tab.goto(url)
    open_actions_menu(tab)
    tab.get_by_role("button", name="Approve and Publish", exact=True).click()
    tab.wait_for_load_state()


def test_a_card_made_while_writing_a_term_exists_once_and_is_published(live_server, browser):
    cache.clear()
    term = GlossaryTermPageFactory(title="Capacity model", slug="capacity-model")
    term.save_revision().publish()
    make_user("editor", "Editors")
    make_user("moderator", "Moderators")
    base = live_server.url
    writing = browser.new_page()
    log_in(writing, base, "editor")
    writing.goto(f"{base}/admin/pages/{term.pk}/edit/")

    # A second tab: the full card form, submitted while its autosave is on its way (before
    # the fix, autosave and the click made a card each).
    second = browser.new_page()
    second.goto(f"{base}/admin/snippets/glossary/relatedarticlecard/add/")
    second.fill("#id_title", "Lean flow")
    second.wait_for_timeout(3000)
    second.fill("#id_title", "Lean flow at work")
    second.fill("#id_target_slug", "lean-flow-at-work")
    open_actions_menu(second)
    second.get_by_role("button", name="Submit to Editorial review").click()
    second.wait_for_url(f"{base}/admin/snippets/glossary/relatedarticlecard/")
    second.wait_for_timeout(1000)  # a late autosave, if any, has landed
    [made_in_tab] = RelatedArticleCard.objects.filter(title="Lean flow at work")
    assert made_in_tab.current_workflow_state.status == "in_progress"
    second.close()

    # Back in the term: the chooser shows the card with its target, and creates another.
    writing.get_by_role("tab", name="Related").click()
    writing.locator("#id_related_cards-ADD").click()
    writing.get_by_role("button", name="Choose related-article card").last.click()
    modal = writing.locator(".modal-content")
    row = modal.locator("tr", has_text="Lean flow at work")
    assert "lean-flow-at-work" in row.inner_text()
    assert "Not written yet" in row.inner_text()
    row.locator("a[data-chooser-modal-choice]").click()
    modal.wait_for(state="hidden")
    writing.get_by_role("button", name="Add Card").click()
    writing.get_by_role("button", name="Choose related-article card").last.click()
    modal.get_by_role("tab", name="Create card").click()
    modal.locator("input[name=title]").fill("Capacity at work")
    modal.locator("input[name=target_slug]").fill("capacity-at-work")
    modal.get_by_role("button", name="Create card").click()
    modal.wait_for(state="hidden")
    open_actions_menu(writing)
    writing.get_by_role("button", name="Submit to Editorial review").click()
    writing.wait_for_load_state()
    [made_in_chooser] = RelatedArticleCard.objects.filter(title="Capacity at work")
    assert made_in_chooser.current_workflow_state.status == "in_progress"
    assert RelatedArticleCard.objects.count() == 2
    latest = GlossaryTermPage.objects.get(pk=term.pk).get_latest_revision_as_object()
    assert [placement.card_id for placement in latest.related_cards.all()] == [
        made_in_tab.pk,
        made_in_chooser.pk,
    ]

    # A moderator approves both cards and the term; a visitor sees both cards.
    log_in(writing, base, "moderator")
    for card in (made_in_tab, made_in_chooser):
        approve(writing, f"{base}/admin/snippets/glossary/relatedarticlecard/edit/{card.pk}/")
    approve(writing, f"{base}/admin/pages/{term.pk}/edit/")
    assert all(card.live for card in RelatedArticleCard.objects.all())
    writing.context.clear_cookies()
    writing.goto(f"{base}/glossary/capacity-model/")
    assert writing.locator(".card__title, .pending-cards__title").all_inner_texts() == [
        "Lean flow at work",
        "Capacity at work",
    ]
