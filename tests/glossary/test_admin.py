"""The snippet listings and reports editors use, page history and the admin's labels."""

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission

from tests.factories import (
    GlossaryTermPageFactory,
    PulseArticlePageFactory,
    RelatedArticleCardFactory,
    add_cards,
)
from tests.glossary.editors import AdminTestCase


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
