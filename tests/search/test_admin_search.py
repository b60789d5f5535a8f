"""The admin's page search forgives what the public search forgives."""

import re

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission

from tests.factories import (
    GlossaryTermPageFactory,
)
from tests.glossary.editors import AdminTestCase


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
