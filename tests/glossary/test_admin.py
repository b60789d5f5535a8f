"""The snippet listings and reports editors use."""

import re

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.test import TestCase

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
