"""The A–Z glossary: letters, groups, letter pages and the category filter."""

from unittest import mock

from wagtail.test.utils import WagtailPageTestCase

from glossary.models import GlossaryIndexPage
from tests.factories import GlossaryTermPageFactory


class AToZTests(WagtailPageTestCase):
    @classmethod
    def setUpTestData(cls):
        for title, category in [
            ("Agile delivery", "methods"),
            ("Audit trail", "governance"),
            ("Backlog", "methods"),
            ("Ärger management", "methods"),
            ("5S method", "methods"),
            ("数据治理", "governance"),
        ]:
            GlossaryTermPageFactory(title=title, category=category)
        for number in range(12):
            GlossaryTermPageFactory(title=f"Capacity {number:02d}", category="methods")

    def test_letters_with_terms_are_links_and_the_others_are_not(self):
        response = self.client.get("/glossary/")
        self.assertContains(response, 'href="/glossary/letter/a/"')
        self.assertContains(response, 'aria-label="A: 3 terms"')
        self.assertContains(response, 'href="/glossary/letter/0-9/"')
        self.assertContains(
            response, '<span class="letter-nav__empty" title="No terms">Q</span>', html=True
        )
        self.assertNotContains(response, 'href="/glossary/letter/q/"')

    def test_groups_show_a_preview_and_link_to_the_letter_page(self):
        response = self.client.get("/glossary/")
        self.assertContains(response, "Capacity 07")
        self.assertNotContains(response, "Capacity 08")
        self.assertContains(response, "All 12 terms under C")
        self.assertContains(response, '<h2 id="letter-0-9">#</h2>', html=True)
        content = response.content.decode()
        self.assertLess(content.index("Agile delivery"), content.index("Backlog"))

    def test_the_preview_reads_only_the_terms_it_shows(self):
        """The database keeps the first terms of each letter: C's last four never reach Python
        (at 10,000 terms, reading every term cost the cold index a third of a second)."""
        from django.db.models.signals import post_init

        from glossary.models import GlossaryTermPage

        built = []

        def count(sender, instance, **kwargs):
            built.append(instance.title)

        post_init.connect(count, sender=GlossaryTermPage)
        try:
            self.client.get("/glossary/")
        finally:
            post_init.disconnect(count, sender=GlossaryTermPage)
        self.assertEqual(sum(title.startswith("Capacity") for title in built), 8)

    def test_letter_page_lists_every_term_of_the_letter(self):
        response = self.client.get("/glossary/letter/c/")
        self.assertContains(response, "Terms starting with C")
        self.assertContains(response, "Capacity 11")
        self.assertNotContains(response, "Backlog")
        self.assertContains(
            response, '<link rel="canonical" href="http://localhost/glossary/letter/c/">'
        )
        other = self.client.get("/glossary/letter/0-9/")
        self.assertContains(other, "5S method")
        self.assertContains(other, "数据治理")
        self.assertNotContains(other, "Ärger")
        self.assertContains(self.client.get("/glossary/letter/a/"), "Ärger management")

    def test_unknown_letter_is_not_found(self):
        self.assertEqual(self.client.get("/glossary/letter/aa/").status_code, 404)
        self.assertEqual(self.client.get("/glossary/letter/%C3%A4/").status_code, 404)

    def test_letter_pages_paginate(self):
        with mock.patch.object(GlossaryIndexPage, "terms_per_page", 5):
            first = self.client.get("/glossary/letter/c/")
            second = self.client.get("/glossary/letter/c/?page=3")
        self.assertContains(first, "Page 1 of 3")
        self.assertContains(second, "Capacity 11")
        self.assertNotContains(second, "Capacity 00")

    def test_category_filter(self):
        response = self.client.get("/glossary/")
        self.assertContains(response, '<option value="governance">Governance</option>', html=True)
        filtered = self.client.get("/glossary/", {"category": "governance"})
        self.assertContains(filtered, "Audit trail")
        self.assertNotContains(filtered, "Agile delivery")
        self.assertContains(filtered, 'href="/glossary/letter/a/?category=governance"')
        self.assertContains(filtered, 'aria-label="A: 1 term"')

    def test_no_filter_with_a_single_category(self):
        GlossaryTermPageFactory._meta.model.objects.update(category="methods")
        self.assertNotContains(self.client.get("/glossary/"), 'id="category-filter"')
