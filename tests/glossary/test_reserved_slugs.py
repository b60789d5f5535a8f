"""A term's slug never hides the glossary index's own pages (/glossary/letter/<x>/, …)."""

from unittest import mock

import pytest

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.urls import get_resolver

from wagtail.test.utils import WagtailPageTestCase
from wagtail.test.utils.form_data import inline_formset, nested_form_data, streamfield

from glossary.models import GlossaryIndexPage, GlossaryTermPage
from tests.factories import GlossaryTermPageFactory


class ReservedSlugTests(WagtailPageTestCase):
    def setUp(self):
        GlossaryTermPageFactory(title="Agile delivery")

    def test_a_term_named_letter_cannot_hide_the_letter_pages(self):
        """A term at /glossary/letter/ took the index's letter pages: routing goes to the
        deepest page it finds, and every /glossary/letter/<x>/ was that term's 404."""
        try:
            GlossaryTermPageFactory(title="Letter")
        except ValidationError as refused:
            assert "slug" in refused.message_dict
        self.assertEqual(self.client.get("/glossary/letter/a/").status_code, 200)
        assert not GlossaryTermPage.objects.filter(slug="letter").exists()

    def test_the_routes_are_read_once_per_process(self):
        """The import asks for every term; Wagtail compiles the routes on each call."""
        GlossaryIndexPage.reserved_slugs.cache_clear()
        with mock.patch.object(
            GlossaryIndexPage, "get_subpage_urls", wraps=GlossaryIndexPage.get_subpage_urls
        ) as routes:
            first = GlossaryIndexPage.reserved_slugs()
            self.assertEqual(GlossaryIndexPage.reserved_slugs(), first)
        self.assertEqual(routes.call_count, 1)
        self.assertIn("letter", first)

    def test_every_route_of_the_index_is_reserved(self):
        reserved = GlossaryIndexPage.reserved_slugs()
        assert {"letter", "download", "feed", "topics", "search", "api"} <= reserved
        for route in GlossaryIndexPage.get_subpage_urls():
            first = str(route.pattern).lstrip("^").split("/")[0]
            assert not first or first in reserved
        # Django views under the index's address (config/urls.py) are reserved too.
        index_path = GlossaryIndexPage.objects.get().url_path.split("/")[2]
        for pattern in get_resolver().url_patterns:
            parts = str(pattern.pattern).lstrip("^").split("/")
            if parts[0] == index_path and len(parts) > 1 and parts[1]:
                assert parts[1] in reserved

    def test_reserved_whatever_the_case(self):
        term = GlossaryTermPageFactory.build(title="Downloads", slug="Download", term_id="x9")
        term.path, term.depth = "0001000100019997", 4
        with pytest.raises(ValidationError) as caught:
            term.full_clean()
        assert "reserved" in " ".join(caught.value.message_dict["slug"])


class ReservedSlugEditorTests(WagtailPageTestCase):
    def setUp(self):
        self.client.force_login(
            get_user_model().objects.create_superuser("boss", "b@example.com", "pw")
        )

    def test_the_editor_refuses_a_reserved_slug_on_the_slug_field(self):
        index = GlossaryIndexPage.objects.get()
        data = nested_form_data(
            {
                "title": "Letter",
                "slug": "letter",
                "description": "A letter of the alphabet.",
                "synonyms": "",
                "category": "glossary",
                "status": "current",
                "body": streamfield([]),
                "key_questions": streamfield([]),
                "related_cards": inline_formset([]),
                "pinned_related_terms": inline_formset([]),
                "sources": inline_formset([]),
                "broader_terms": inline_formset([]),
            }
        )
        response = self.client.post(f"/admin/pages/add/glossary/glossarytermpage/{index.pk}/", data)
        self.assertEqual(response.status_code, 200)  # the form again, with the error
        errors = response.context["form"].errors
        self.assertIn("slug", errors)
        self.assertIn("reserved for the glossary", errors["slug"][0])
        self.assertFalse(GlossaryTermPage.objects.filter(slug="letter").exists())


class ReservedSlugMigrationTests(WagtailPageTestCase):
    """A term stored with a reserved slug before the rule (or by code) is renamed."""

    def test_stored_reserved_slugs_are_renamed_and_the_letter_pages_come_back(self):
        import importlib

        from django.db import connection
        from django.db.migrations.executor import MigrationExecutor

        name = "0012_rename_reserved_term_slugs"
        migration = importlib.import_module(f"glossary.migrations.{name}")
        later = importlib.import_module("glossary.migrations.0027_termchange_date_index")
        self.assertLessEqual(
            GlossaryIndexPage.reserved_slugs(), migration.RESERVED | later.NEWLY_RESERVED
        )
        GlossaryTermPageFactory(title="Kanban", slug="kanban")
        letter = GlossaryTermPageFactory(title="Lettering", slug="lettering")
        taken = GlossaryTermPageFactory(title="Feed term", slug="feed-term")
        feed = GlossaryTermPageFactory(title="Feedstock", slug="feedstock")
        for page, slug in ((letter, "letter"), (feed, "feed")):  # as code could store them
            GlossaryTermPage.objects.filter(pk=page.pk).update(
                slug=slug, url_path=page.url_path.replace(page.slug, slug)
            )
        self.assertEqual(self.client.get("/glossary/letter/k/").status_code, 404)

        state = MigrationExecutor(connection).loader.project_state(("glossary", name))
        migration.rename_reserved_slugs(state.apps, None)

        letter.refresh_from_db()
        feed.refresh_from_db()
        self.assertEqual((letter.slug, feed.slug), ("letter-term", "feed-term-2"))
        self.assertEqual(feed.url_path, taken.url_path.replace("feed-term", "feed-term-2"))
        self.assertEqual(self.client.get("/glossary/letter/k/").status_code, 200)
        self.assertEqual(self.client.get(letter.url).status_code, 200)

    def test_a_term_stored_as_whats_new_is_renamed_and_whats_new_is_the_glossarys(self):
        """/glossary/whats-new/ is a Django view (glossary.urls): a term there was unreachable."""
        import importlib

        from django.db import connection
        from django.db.migrations.executor import MigrationExecutor

        from glossary import urls

        for pattern in urls.urlpatterns:  # every Django view under the index's address
            self.assertIn(str(pattern.pattern).split("/")[0], GlossaryIndexPage.reserved_slugs())
        name = "0027_termchange_date_index"
        migration = importlib.import_module(f"glossary.migrations.{name}")
        term = GlossaryTermPageFactory(title="Whatsnew", slug="whatsnew")
        GlossaryTermPage.objects.filter(pk=term.pk).update(
            slug="whats-new", url_path=term.url_path.replace("whatsnew", "whats-new")
        )

        state = MigrationExecutor(connection).loader.project_state(("glossary", name))
        migration.rename_newly_reserved_slugs(state.apps, None)

        term.refresh_from_db()
        self.assertEqual(term.slug, "whats-new-term")
        self.assertEqual(self.client.get(term.url).status_code, 200)
        self.assertContains(self.client.get("/glossary/whats-new/"), "<h1>What's new</h1>")
