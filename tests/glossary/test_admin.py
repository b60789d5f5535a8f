"""The snippet listings and reports editors use."""

import re
import threading
import uuid

import pytest

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.db import connection, transaction
from django.test import TestCase, TransactionTestCase

from glossary.models import RelatedArticleCard
from tests.factories import (
    GlossaryTermPageFactory,
    PulseArticlePageFactory,
    RelatedArticleCardFactory,
    add_cards,
)


class AdminTestCase(TestCase):
    def login(self, group=None):
        User = get_user_model()
        if group is None:
            user = User.objects.create_superuser("boss", "boss@example.com", "pw")
        else:
            user = User.objects.create_user(group.lower(), f"{group}@example.com", "pw")
            user.groups.add(Group.objects.get(name=group))
        self.client.force_login(user)


class SnippetListingTests(AdminTestCase):
    def test_card_listing_shows_how_many_terms_use_each_card_and_searches(self):
        shared = RelatedArticleCardFactory(title="Shared card")
        RelatedArticleCardFactory(title="Lonely card")
        add_cards(GlossaryTermPageFactory(title="One"), shared)
        add_cards(GlossaryTermPageFactory(title="Two"), shared)
        self.login("Editors")
        response = self.client.get("/admin/snippets/glossary/relatedarticlecard/")
        self.assertContains(response, "Used by terms")
        rows = response.content.decode().split("<tr")
        shared_row = next(row for row in rows if "Shared card" in row)
        self.assertIn(">2<", shared_row.replace(" ", "").replace("\n", ""))
        found = self.client.get("/admin/snippets/glossary/relatedarticlecard/", {"q": "lonely"})
        self.assertContains(found, "Lonely card")
        self.assertNotContains(found, "Shared card")

    def test_card_usage_lists_the_terms_from_the_reference_index(self):
        card = RelatedArticleCardFactory(title="Shared card")
        term = GlossaryTermPageFactory(title="Capacity planning")
        add_cards(term, card)
        term.save_revision().publish()  # publishing writes the reference index
        self.login()
        response = self.client.get(f"/admin/snippets/glossary/relatedarticlecard/usage/{card.pk}/")
        self.assertContains(response, "Capacity planning")


class ReportTests(AdminTestCase):
    def test_cards_without_an_article(self):
        article = PulseArticlePageFactory(title="Present", slug="present")
        RelatedArticleCardFactory(title="Linked card", target_page=article)
        waiting = RelatedArticleCardFactory(title="Waiting card", target_slug="not-yet-written")
        add_cards(GlossaryTermPageFactory(title="Uses it"), waiting)
        self.login("Moderators")
        response = self.client.get("/admin/reports/glossary/cards-without-article/")
        self.assertContains(response, "Waiting card")
        self.assertContains(response, "not-yet-written")
        self.assertNotContains(response, "Linked card")
        self.assertContains(
            self.client.get("/admin/"), "Cards without an article"
        )  # the Reports menu

    def test_terms_needing_work(self):
        complete = GlossaryTermPageFactory(title="Complete term")
        add_cards(complete, RelatedArticleCardFactory())
        GlossaryTermPageFactory(title="No body term", body=[])
        self.login()
        response = self.client.get("/admin/reports/glossary/terms-needing-work/")
        self.assertContains(response, "No body term")
        self.assertContains(response, "body, related articles")
        self.assertNotContains(response, "Complete term")
        export = self.client.get("/admin/reports/glossary/terms-needing-work/", {"export": "csv"})
        self.assertIn(
            b"No body term",
            b"".join(export.streaming_content) if export.streaming else export.content,
        )

    def export_csv(self, url):
        export = self.client.get(url, {"export": "csv"})
        return (b"".join(export.streaming_content) if export.streaming else export.content).decode(
            "utf-8-sig"
        )

    def test_terms_needing_work_is_only_for_page_editors(self):
        GlossaryTermPageFactory(title="No body term", body=[])
        user = get_user_model().objects.create_user("visitor", "v@example.com", "pw")
        user.user_permissions.add(
            Permission.objects.get(codename="access_admin", content_type__app_label="wagtailadmin")
        )
        self.client.force_login(user)
        self.assertEqual(self.client.get("/admin/").status_code, 200)
        self.assertNotContains(self.client.get("/admin/"), "Terms needing work")
        for url in (
            "/admin/reports/glossary/terms-needing-work/",
            "/admin/reports/glossary/terms-needing-work/?export=csv",
        ):
            with self.subTest(url=url):
                response = self.client.get(url)
                self.assertIn(response.status_code, (302, 403))
                self.assertNotIn(b"No body term", response.content)

    def test_csv_exports_cannot_carry_formulas(self):
        GlossaryTermPageFactory(title='=HYPERLINK("http://evil.example","x")', body=[])
        waiting = RelatedArticleCardFactory(title="@SUM(1+1)", target_slug="not-yet")
        add_cards(GlossaryTermPageFactory(title="Uses the card"), waiting)
        GlossaryTermPageFactory(title="-2+3", body=[])
        self.login()
        terms = self.export_csv("/admin/reports/glossary/terms-needing-work/")
        cards = self.export_csv("/admin/reports/glossary/cards-without-article/")
        self.assertIn("'=HYPERLINK", terms)
        self.assertIn("'-2+3", terms)
        self.assertIn("'@SUM(1+1)", cards)
        for line in (terms + cards).splitlines():
            self.assertFalse(line.startswith(("=", "+", "-", "@")), line)


class PageHistoryTests(AdminTestCase):
    def test_revisions_compare_revert_and_lock(self):
        term = GlossaryTermPageFactory(title="Capacity model", description="First definition.")
        first = term.save_revision()
        first.publish()
        term.description = "Second definition."
        second = term.save_revision()
        second.publish()
        self.login()
        compare = self.client.get(
            f"/admin/pages/{term.pk}/revisions/compare/{first.pk}...{second.pk}/"
        )
        self.assertContains(
            compare, '<span class="deletion">First</span><span class="addition">Second</span>'
        )
        revert = self.client.get(f"/admin/pages/{term.pk}/revisions/{first.pk}/revert/")
        self.assertContains(revert, "First definition.")

        self.client.post(f"/admin/pages/{term.pk}/lock/")
        term.refresh_from_db()
        self.assertTrue(term.locked)


class CardEditorTests(AdminTestCase):
    def test_card_points_at_a_pulse_page_by_chooser_and_listing_filters(self):
        article = PulseArticlePageFactory(title="Present", slug="present")
        RelatedArticleCardFactory(title="Linked card", target_page=article)
        waiting = RelatedArticleCardFactory(title="Waiting card")
        self.login()
        edit = self.client.get(f"/admin/snippets/glossary/relatedarticlecard/edit/{waiting.pk}/")
        self.assertContains(edit, "Choose a page")
        filtered = self.client.get(
            "/admin/snippets/glossary/relatedarticlecard/", {"target_page__isnull": "true"}
        )
        self.assertContains(filtered, "Waiting card")
        self.assertNotContains(filtered, "Linked card")


class SnippetReviewTests(AdminTestCase):
    """Cards and sections go through "Editorial review" like pages: an editor's change waits
    for a moderator, and visitors see the published version until then."""

    def edit(self, card, title, **action):
        data = {
            "title": title,
            "subheading": card.subheading,
            "button_text": card.button_text,
            "target_slug": card.target_slug,
            **action,
        }
        return self.client.post(
            f"/admin/snippets/glossary/relatedarticlecard/edit/{card.pk}/", data
        )

    def test_an_editors_card_change_waits_for_a_moderator(self):
        term = GlossaryTermPageFactory(title="Kanban", slug="kanban")
        card = RelatedArticleCardFactory(title="Flow at work", target_slug="flow-at-work")
        add_cards(term, card)
        self.assertEqual(card.get_workflow().name, "Editorial review")

        self.login("Editors")
        self.edit(card, "Flow at work, rewritten", **{"action-publish": "1"})  # not theirs to do
        card.refresh_from_db()
        self.assertEqual(card.title, "Flow at work")
        self.assertEqual(
            self.edit(card, "Flow at work, rewritten", **{"action-submit": "1"}).status_code, 302
        )
        card.refresh_from_db()
        self.assertEqual(card.current_workflow_state.status, "in_progress")
        self.assertEqual(card.title, "Flow at work")  # the live version visitors see
        self.client.logout()
        page = self.client.get(term.url).content.decode()
        self.assertIn("Flow at work", page)
        self.assertNotIn("rewritten", page)

        self.login("Moderators")
        self.edit(
            card,
            "Flow at work, rewritten",
            **{"action-workflow-action": "true", "workflow-action-name": "approve"},
        )
        card.refresh_from_db()
        self.assertEqual(card.title, "Flow at work, rewritten")
        self.assertTrue(card.live)
        self.client.logout()
        self.assertContains(self.client.get(term.url), "Flow at work, rewritten")

    def test_a_new_card_or_section_awaiting_review_is_not_shown(self):
        from glossary.models import RelatedArticlesSection

        term = GlossaryTermPageFactory(title="Kanban", slug="kanban")
        draft_card = RelatedArticleCardFactory(title="Unreviewed card", live=False)
        add_cards(term, draft_card)
        term.related_section = RelatedArticlesSection.objects.create(
            heading="Unreviewed heading", live=False
        )
        term.save_revision().publish()
        page = self.client.get(term.url).content.decode()
        self.assertNotIn("Unreviewed card", page)
        self.assertNotIn("Unreviewed heading", page)


class TermUsageTests(AdminTestCase):
    """A term's "Usage" counts the pages that link to it, by mention or by a rich-text link."""

    def setUp(self):
        self.term = GlossaryTermPageFactory(title="Capacity planning", slug="capacity-planning")
        self.login()

    def usage(self):
        return self.client.get(f"/admin/pages/{self.term.pk}/usage/")

    def edit_panel(self):
        return self.client.get(f"/admin/pages/{self.term.pk}/edit/")

    def test_an_article_mentioning_the_term_is_counted_and_listed(self):
        article = PulseArticlePageFactory(
            title="Planning ahead",
            body=[("paragraph", "<p>Good capacity planning avoids outages.</p>")],
        )
        self.assertContains(self.edit_panel(), "Referenced 1 time")
        response = self.usage()
        self.assertContains(response, "Planning ahead")
        self.assertContains(response, f"/admin/pages/{article.pk}/edit/")
        self.assertContains(response, "Linked mention in the body")

        # Wagtail re-indexing the article on a save that keeps the mention keeps the row.
        article.title = "Planning further ahead"
        article.save_revision().publish()
        self.assertContains(self.edit_panel(), "Referenced 1 time")

        # Without the mention, the reference goes.
        article = article.get_latest_revision_as_object()
        article.body = [("paragraph", "<p>Nothing about it now.</p>")]
        article.save_revision().publish()
        self.assertContains(self.edit_panel(), "Referenced 0 times")

    def test_a_rich_text_link_counts_once_with_a_mention(self):
        PulseArticlePageFactory(
            title="Linked by hand",
            body=[
                (
                    "paragraph",
                    f'<p>See <a linktype="page" id="{self.term.pk}">the term</a>'
                    " on capacity planning.</p>",
                )
            ],
        ).save_revision().publish()
        PulseArticlePageFactory(
            title="Linked only by hand",
            body=[("paragraph", f'<p><a linktype="page" id="{self.term.pk}">here</a></p>')],
        ).save_revision().publish()
        self.assertContains(self.edit_panel(), "Referenced 2 times")

    def test_relink_all_writes_them_again_after_a_rebuild_of_the_index(self):
        from io import StringIO

        from django.core.management import call_command

        PulseArticlePageFactory(body=[("paragraph", "<p>Capacity planning again.</p>")])
        call_command("rebuild_references_index", stdout=StringIO())
        self.assertContains(self.edit_panel(), "Referenced 0 times")
        call_command("relink_mentions", "--all", stdout=StringIO())
        self.assertContains(self.edit_panel(), "Referenced 1 time")

    def test_the_migration_indexes_mentions_stored_before_it(self):
        from importlib import import_module

        from django.apps import apps

        from wagtail.models import ReferenceIndex

        PulseArticlePageFactory(body=[("paragraph", "<p>Capacity planning again.</p>")])
        ReferenceIndex.objects.filter(model_path="term").delete()
        self.assertContains(self.edit_panel(), "Referenced 0 times")
        migration = import_module("glossary.migrations.0017_admin_labels_and_mention_references")
        migration.index_stored_mentions(apps, None)  # it reads no schema editor
        self.assertContains(self.edit_panel(), "Referenced 1 time")

    def test_deleting_the_article_removes_its_references(self):
        article = PulseArticlePageFactory(body=[("paragraph", "<p>Capacity planning again.</p>")])
        self.assertContains(self.edit_panel(), "Referenced 1 time")
        article.delete()
        self.assertContains(self.edit_panel(), "Referenced 0 times")


class AdminLabelTests(AdminTestCase):
    def test_the_home_page_and_the_glossary_index_have_distinct_labels(self):
        from glossary.models import GlossaryIndexPage

        index = GlossaryIndexPage.objects.get()
        self.assertEqual(index.get_parent().title, index.title)  # the reason for the label
        self.login()
        response = self.client.get(f"/admin/pages/{index.pk}/")
        self.assertContains(response, f"{index.title} (home page)")
        menu = self.client.get("/admin/api/main/pages/", {"child_of": "root"}).json()
        self.assertEqual(
            [item["admin_display_title"] for item in menu["items"]], [f"{index.title} (home page)"]
        )

    def test_the_card_help_text_names_the_menu_as_it_reads(self):
        from glossary.models import GlossaryTermRelatedCard

        help_text = GlossaryTermRelatedCard._meta.get_field("card").help_text
        self.assertIn("Related articles › Related-article cards", help_text)
        self.login()
        response = self.client.get("/admin/")
        self.assertContains(response, "Related articles")
        self.assertContains(response, "Related-article cards")


class AdminSearchTests(AdminTestCase):
    """The admin's page search forgives what the public search forgives."""

    def setUp(self):
        from django.core.cache import cache

        from glossary.models import GlossaryIndexPage

        cache.clear()  # the name index is kept per vocabulary version
        self.index = GlossaryIndexPage.objects.get()
        self.capacity = GlossaryTermPageFactory(
            title="Capacity planning",
            term_id="cap-0042",
            category="operations",
            description="Sizing resources to meet demand.",
        )
        self.sla = GlossaryTermPageFactory(
            title="Service level agreement",
            synonyms="SLA",
            description="A promise about how well a service performs.",
        )
        self.other = GlossaryTermPageFactory(title="Kanban", description="Cards on a board.")
        self.draft = GlossaryTermPageFactory(title="Capacity buffer", live=False)
        self.login()

    def titles(self, response):
        """The listed pages' titles, in the listing's order."""
        html = response.content.decode()
        return re.findall(r'<span id="page_\d+_title">\s*(.*?)\s*</span>', html)

    def explore(self, **params):
        response = self.client.get(f"/admin/pages/{self.index.pk}/", params)
        self.assertEqual(response.status_code, 200)
        return response

    def search(self, **params):
        response = self.client.get("/admin/pages/search/", params)
        self.assertEqual(response.status_code, 200)
        return response

    def test_a_typo_a_synonym_and_a_term_id_find_the_term(self):
        for query, expected in (
            ("capasity planing", "Capacity planning"),
            ("sla", "Service level agreement"),
            ("CAP-0042", "Capacity planning"),
        ):
            for response in (self.explore(q=query), self.search(q=query)):
                titles = self.titles(response)
                self.assertEqual(titles[:1], [expected], query)
                self.assertNotIn("Kanban", titles, query)

    def test_the_counts_and_page_types_are_of_what_was_found(self):
        response = self.search(q="capasity planing")
        self.assertContains(response, "There is one matching page")
        self.assertEqual(
            [
                (content_type.model, count)
                for content_type, count in response.context["content_types"]
            ],
            [("glossarytermpage", 1)],
        )

    def test_wagtails_own_matches_still_count_drafts_included(self):
        titles = self.titles(self.explore(q="capacity"))
        self.assertEqual(set(titles), {"Capacity planning", "Capacity buffer"})
        self.assertIn("Capacity buffer", self.titles(self.search(q="capacity buf")))

    def test_a_chosen_column_order_is_kept_while_searching(self):
        titles = self.titles(self.explore(q="capacity", ordering="title"))
        self.assertEqual(titles, ["Capacity buffer", "Capacity planning"])

    def test_search_stays_within_the_users_pages(self):
        from django.contrib.auth.models import Group

        from wagtail.models import GroupPagePermission, Page

        pulse = Page.objects.get(depth=3, slug="pulse")
        group = Group.objects.create(name="Pulse only")
        GroupPagePermission.objects.create(group=group, page=pulse, permission_type="change")
        group.permissions.add(Permission.objects.get(codename="access_admin"))
        user = get_user_model().objects.create_user("pulse", "p@example.com", "pw")
        user.groups.add(group)
        self.client.force_login(user)
        self.assertEqual(self.titles(self.search(q="capasity planing")), [])

    def test_the_term_listing_shows_category_and_term_id(self):
        response = self.explore()
        html = response.content.decode()
        self.assertIn("Category", html)
        self.assertIn("Term id", html)
        row = next(part for part in html.split("<tr") if "Capacity planning" in part)
        self.assertIn("operations", row)
        self.assertIn("cap-0042", row)


ADD_CARD = "/admin/snippets/glossary/relatedarticlecard/add/"
CARD_CHOOSER = "/admin/snippets/choose/glossary/relatedarticlecard/"


def card_form(title, key, **extra):
    return {
        "title": title,
        "subheading": "Article",
        "button_text": "Read Pulse",
        "target_slug": "",
        "creation_key": str(key),
        **extra,
    }


class CardCreatedOnceTests(AdminTestCase):
    """One create form makes one card, whichever of autosave and the editor's click reaches
    the server first (issue 21: two cards, the chosen one never published)."""

    def autosave(self, data):
        return self.client.post(ADD_CARD, data, headers={"accept": "application/json"})

    def test_the_click_after_the_autosave_continues_the_autosaved_card(self):
        self.login("Editors")
        key = uuid.uuid4()
        saved = self.autosave(card_form("Fresh card", key))
        self.assertEqual(saved.status_code, 200, saved.content)
        self.assertTrue(saved.json()["success"])
        submitted = self.client.post(
            ADD_CARD, card_form("Fresh card, final", key, **{"action-submit": "1"})
        )
        self.assertEqual(submitted.status_code, 302)
        card = RelatedArticleCard.objects.get()
        self.assertEqual(card.pk, saved.json()["pk"])
        self.assertEqual(card.current_workflow_state.status, "in_progress")
        self.assertEqual(card.get_latest_revision_as_object().title, "Fresh card, final")

    def test_an_autosave_after_the_click_makes_nothing(self):
        self.login("Editors")
        key = uuid.uuid4()
        submitted = self.client.post(
            ADD_CARD, card_form("Fresh card", key, **{"action-submit": "1"})
        )
        self.assertEqual(submitted.status_code, 302)
        late = self.autosave(card_form("Fresh card", key))
        self.assertEqual(late.status_code, 400)
        self.assertEqual(late.json()["error_code"], "invalid_revision")
        card = RelatedArticleCard.objects.get()
        self.assertEqual(card.revisions.count(), 1)
        self.assertEqual(card.current_workflow_state.status, "in_progress")

    def test_two_forms_make_two_cards(self):
        self.login("Editors")
        self.autosave(card_form("One", uuid.uuid4()))
        self.autosave(card_form("Two", uuid.uuid4()))
        self.assertEqual(RelatedArticleCard.objects.count(), 2)

    def test_the_add_form_carries_a_fresh_key_and_the_edit_form_none(self):
        self.login("Editors")
        first = self.client.get(ADD_CARD).content.decode()
        second = self.client.get(ADD_CARD).content.decode()
        keys = [
            re.search(r'name="creation_key" value="([^"]+)"', page)[1] for page in (first, second)
        ]
        self.assertNotEqual(keys[0], keys[1])
        card = RelatedArticleCardFactory()
        edit = self.client.get(f"/admin/snippets/glossary/relatedarticlecard/edit/{card.pk}/")
        self.assertNotContains(edit, 'name="creation_key"')

    def test_a_section_is_made_once_too(self):
        from glossary.models import RelatedArticlesSection

        self.login("Editors")
        url = "/admin/snippets/glossary/relatedarticlessection/add/"
        key = str(uuid.uuid4())
        data = {"heading": "In practice", "subheading": "", "description": "", "category": ""}
        self.client.post(url, data | {"creation_key": key}, headers={"accept": "application/json"})
        self.client.post(url, data | {"creation_key": key, "action-submit": "1"})
        section = RelatedArticlesSection.objects.get()
        self.assertEqual(section.current_workflow_state.status, "in_progress")

    def test_a_copied_card_is_a_new_card(self):
        original = RelatedArticleCardFactory(title="Original", creation_key=uuid.uuid4())
        self.login("Editors")
        copy = self.client.get(f"/admin/snippets/glossary/relatedarticlecard/copy/{original.pk}/")
        self.assertContains(copy, "Original")
        self.client.post(ADD_CARD, card_form("Copy", "", **{"action-submit": "1"}))
        self.assertEqual(RelatedArticleCard.objects.count(), 2)


class CardSlugErrorTests(AdminTestCase):
    def test_a_repeated_target_slug_is_an_error_on_the_field_in_words(self):
        RelatedArticleCardFactory(title="First", target_slug="lean-flow")
        self.login("Editors")
        response = self.client.post(
            ADD_CARD,
            card_form("Second", uuid.uuid4(), target_slug="lean-flow", **{"action-submit": "1"}),
        )
        self.assertEqual(response.status_code, 200)
        form = response.context["form"]
        self.assertEqual(
            form.errors["target_slug"],
            [
                "Another card already points at this slug: choose that card instead, "
                "or change the slug."
            ],
        )
        self.assertEqual(form.non_field_errors(), [])
        self.assertNotContains(response, "is violated")
        self.assertEqual(RelatedArticleCard.objects.count(), 1)

    def test_the_chooser_says_the_same(self):
        RelatedArticleCardFactory(title="First", target_slug="lean-flow")
        self.login("Editors")
        response = self.client.post(
            f"{CARD_CHOOSER}create/",
            {
                "title": "Second",
                "subheading": "",
                "button_text": "Read",
                "target_slug": "lean-flow",
            },
        )
        html = response.json()["htmlFragment"]
        self.assertIn("Another card already points at this slug", html)
        self.assertNotIn("is violated", html)
        self.assertEqual(RelatedArticleCard.objects.count(), 1)


class CardChooserTests(AdminTestCase):
    def test_the_chooser_lists_target_article_and_status(self):
        article = PulseArticlePageFactory(title="Lean flow in practice", slug="lean-flow")
        RelatedArticleCardFactory(title="Linked card", target_page=article, target_slug="")
        RelatedArticleCardFactory(title="Waiting card", target_slug="not-yet-written")
        self.login("Editors")
        response = self.client.get(CARD_CHOOSER)
        html = response.json()["html"]
        for text in ("Target", "Article", "Status", "Lean flow in practice", "not-yet-written"):
            self.assertIn(text, html)
        self.assertIn("Not written yet", html)
        self.assertIn("Create card", html)  # the "Create" tab

    def test_an_editor_creates_a_card_in_the_chooser_and_it_goes_to_review(self):
        article = PulseArticlePageFactory(title="Lean flow in practice", slug="lean-flow")
        self.login("Editors")
        response = self.client.post(
            f"{CARD_CHOOSER}create/",
            {"title": "Lean flow", "subheading": "Article", "button_text": "Read Pulse"}
            | {"target_slug": "lean-flow"},
        )
        self.assertEqual(response.json()["step"], "chosen")
        card = RelatedArticleCard.objects.get()
        self.assertEqual(response.json()["result"]["id"], str(card.pk))
        self.assertFalse(card.live)
        self.assertEqual(card.target_page.specific, article)
        self.assertEqual(card.current_workflow_state.status, "in_progress")
        self.assertEqual(card.revisions.count(), 1)

    def test_a_moderator_creates_a_published_card(self):
        self.login("Moderators")
        self.client.post(
            f"{CARD_CHOOSER}create/",
            {"title": "Lean flow", "subheading": "", "button_text": "Read", "target_slug": ""},
        )
        card = RelatedArticleCard.objects.get()
        self.assertTrue(card.live)
        self.assertIsNone(card.current_workflow_state)


class CardHistoryTests(AdminTestCase):
    """Autosave keeps one revision per editing session (Wagtail overwrites it); its history
    row is one too, and every explicit save still adds its own."""

    def edit_rows(self, card):
        history = self.client.get(f"/admin/snippets/glossary/relatedarticlecard/history/{card.pk}/")
        return [entry.action for entry in history.context["object_list"]].count("wagtail.edit")

    def test_autosaves_of_one_session_are_one_history_row(self):
        self.login("Editors")
        json = {"accept": "application/json"}
        created = self.client.post(ADD_CARD, card_form("Card", uuid.uuid4()), headers=json).json()
        revision = created["revision_id"]
        for n in range(6):
            saved = self.client.post(
                created["url"],
                card_form(f"Card, take {n}", "", overwrite_revision_id=revision),
                headers=json,
            )
            self.assertEqual(saved.json()["revision_id"], revision)
        card = RelatedArticleCard.objects.get()
        self.assertEqual(card.revisions.count(), 1)
        self.assertEqual(card.get_latest_revision_as_object().title, "Card, take 5")
        self.assertEqual(self.edit_rows(card), 1)

        self.client.post(created["url"], card_form("Card, kept", ""))  # "Save draft"
        self.assertEqual(card.revisions.count(), 2)
        self.assertEqual(self.edit_rows(card), 2)


@pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks of PostgreSQL")
class CardCreatedOnceConcurrentTests(TransactionTestCase):
    """The autosave and the click at the same moment: the click's insert waits on the unique
    index for the autosave's transaction, fails when it commits, and continues its card."""

    serialized_rollback = True

    def test_the_second_insert_continues_the_first_card(self):
        user = get_user_model().objects.create_user("editor", "e@example.com", "pw")
        user.groups.add(Group.objects.get(name="Editors"))
        self.client.force_login(user)
        key = uuid.uuid4()
        inserted, release = threading.Event(), threading.Event()

        def autosave_in_flight():
            try:
                with transaction.atomic():
                    RelatedArticleCard.objects.create(
                        title="Fresh card", button_text="Read", creation_key=key, live=False
                    )
                    inserted.set()
                    release.wait(timeout=30)
            finally:
                connection.close()

        thread = threading.Thread(target=autosave_in_flight)
        thread.start()
        inserted.wait(timeout=30)
        # The click's insert blocks on the uncommitted row; let that transaction commit soon.
        threading.Timer(1.0, release.set).start()
        response = self.client.post(
            ADD_CARD, card_form("Fresh card, final", key, **{"action-submit": "1"})
        )
        thread.join()
        self.assertEqual(response.status_code, 302)
        card = RelatedArticleCard.objects.get()
        self.assertEqual(card.creation_key, key)
        self.assertEqual(card.current_workflow_state.status, "in_progress")
        self.assertEqual(card.get_latest_revision_as_object().title, "Fresh card, final")
