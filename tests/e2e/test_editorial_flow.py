"""Editors and moderators in a real browser, against a live server.

An editor writes a term with a body and two related cards, previews it and submits it to the
"Editorial review" workflow; a moderator approves; a visitor finds it. And a moderator imports
fixture files through the admin.
"""

import shutil
from io import StringIO
from pathlib import Path

import pytest

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.cache import cache
from django.core.management import call_command

from glossary.models import GlossaryIndexPage, GlossaryTermPage

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures"
PASSWORD = "a-long-test-password"


def make_user(name, group):
    user = get_user_model().objects.create_user(name, f"{name}@example.com", PASSWORD)
    user.groups.add(Group.objects.get(name=group))
    return user


def log_in(tab, base, name):
    tab.context.clear_cookies()
    tab.goto(f"{base}/admin/login/")
    tab.fill("#id_username", name)
    tab.fill("#id_password", PASSWORD)
    tab.click("button[type=submit]")
    tab.wait_for_url(f"{base}/admin/")


def open_actions_menu(tab):
    tab.locator("footer [data-w-dropdown-target=toggle]").last.click()


def choose_card(tab, title):
    tab.get_by_role("button", name="Choose related-article card").last.click()
    tab.locator(".modal-content a[data-chooser-modal-choice]").filter(has_text=title).click()
    tab.locator(".modal-content").wait_for(state="hidden")


def test_write_preview_submit_approve_and_find(live_server, browser, settings, tmp_path):
    cache.clear()
    settings.FIXTURES_DIR = FIXTURES
    # Autosave off: its timing varies from run to run, and in Wagtail 8.0 submitting a new
    # page while its first autosave is still creating it fails. The flow is the same without.
    settings.WAGTAIL_AUTOSAVE_INTERVAL = 0
    call_command("import_fixtures", str(FIXTURES), stdout=StringIO())  # the seed's three cards
    make_user("editor", "Editors")
    make_user("moderator", "Moderators")
    index = GlossaryIndexPage.objects.get()
    base = live_server.url
    tab = browser.new_page()

    # The editor writes the term.
    log_in(tab, base, "editor")
    tab.goto(f"{base}/admin/pages/add/glossary/glossarytermpage/{index.pk}/")
    tab.fill("#id_title", "Capacity model")
    tab.fill("#id_description", "How much work a team can take on without slowing down.")
    tab.locator('#panel-child-content-body-content button[title="Insert a block"]').first.click()
    tab.get_by_role("option", name="Heading").click()
    tab.locator('input[name="body-0-value-heading_text"]').fill("Why capacity matters")
    tab.get_by_role("tab", name="Related").click()
    tab.locator("#id_related_cards-ADD").click()
    choose_card(tab, "Optimized Outcomes")
    tab.get_by_role("button", name="Add Card").click()
    choose_card(tab, "Maven Transforming")

    # Preview shows the page as visitors will see it.
    tab.get_by_role("button", name="Toggle preview").click()
    preview = tab.frame_locator(
        "iframe.preview-iframe, .w-preview__iframe, [data-w-preview-target=iframe]"
    ).first
    preview.locator("h1", has_text="Capacity model").wait_for()
    # A card whose article is live, or one line under "Coming soon" while it is not.
    preview.locator(".card__title, .pending-cards__title", has_text="Maven Transforming").wait_for()

    # Submitted to the "Editorial review" workflow.
    open_actions_menu(tab)
    tab.get_by_role("button", name="Submit to Editorial review").click()
    tab.wait_for_url(f"{base}/admin/pages/{index.pk}/")  # back to the glossary's listing
    assert "Page 'Capacity model' created and submitted for moderation." in tab.content()
    term = GlossaryTermPage.objects.get(title="Capacity model")
    assert not term.live
    assert term.current_workflow_state.status == "in_progress"
    assert [card.title for card in term.get_latest_revision_as_object().cards()] == [
        "Optimized Outcomes with AI-Enabled Solutions",
        "Maven Transforming the Landscape of Autonomous Vehicles",
    ]

    # The moderator approves; the last task of the workflow publishes.
    log_in(tab, base, "moderator")
    tab.goto(f"{base}/admin/pages/{term.pk}/edit/")
    open_actions_menu(tab)
    assert tab.get_by_role("button", name="Request changes").is_visible()
    tab.get_by_role("button", name="Approve and Publish", exact=True).click()
    tab.wait_for_url(f"{base}/admin/pages/{index.pk}/")  # back to the glossary's listing
    term.refresh_from_db()
    assert term.live

    # A visitor finds it in the A–Z, in search and on its page.
    tab.context.clear_cookies()
    tab.goto(f"{base}/glossary/")
    tab.get_by_role("link", name="Capacity model").first.wait_for()
    # The search box suggests titles as a visitor types (progressive enhancement).
    tab.fill("#site-search-q", "capa")
    tab.get_by_role("option", name="Capacity model").wait_for()
    tab.goto(f"{base}/search/?q=capacity")
    tab.get_by_role("link", name="Capacity model").first.click()
    tab.wait_for_url(f"{base}/glossary/capacity-model/")
    assert tab.locator("h1").inner_text() == "Capacity model"
    assert tab.locator(".card__title, .pending-cards__title").all_inner_texts() == [
        "Optimized Outcomes with AI-Enabled Solutions",
        "Maven Transforming the Landscape of Autonomous Vehicles",
    ]


def test_moderator_imports_fixtures_through_the_admin(live_server, browser, settings, tmp_path):
    cache.clear()
    fixtures = tmp_path / "fixtures"
    shutil.copytree(FIXTURES, fixtures)
    settings.FIXTURES_DIR = fixtures
    make_user("moderator", "Moderators")
    base = live_server.url
    tab = browser.new_page()
    log_in(tab, base, "moderator")
    tab.goto(f"{base}/admin/import-fixtures/")
    tab.set_input_files(
        "input[type=file]",
        [
            str(fixtures / "glossary" / "000_54b8be97246d5048.txt"),
            str(fixtures / "pulse" / "what-is-process-strategy-in-operations-management.md"),
        ],
    )
    tab.get_by_role("button", name="Check these files").click()
    tab.get_by_text("What the import would do").wait_for()
    assert tab.get_by_text("would be created").count() == 2
    tab.get_by_role("button", name="Confirm import").click()
    tab.get_by_text("What the import did").wait_for()
    tab.context.clear_cookies()
    tab.goto(f"{base}/glossary/operations-strategy/")
    assert tab.locator("h1").inner_text() == "Operations strategy"
    assert (
        tab.locator("#defining-operations-strategy").inner_text() == "Defining Operations Strategy"
    )
