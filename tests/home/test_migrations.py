"""A database made before the home page had an app of its own is taken over by home.0001."""

from importlib import import_module

from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.test import TestCase, TransactionTestCase

from wagtail.models import Page

from glossary.models import GlossaryTermPage
from home.models import HomePage, HomePageFeaturedTerm
from tests.factories import GlossaryTermPageFactory

home_initial = import_module("home.migrations.0001_initial")


class UpgradeTests(TransactionTestCase):
    """The old layout is made by the migration's own reverse (tables ``core_homepage*``,
    content types ``core.homepage*``, as core's old migrations left them); the forward
    function must then give back a working home page with its rows."""

    serialized_rollback = True  # the site tree, for the tests that follow

    def run_home_initial(self, function):
        state = MigrationExecutor(connection).loader.project_state(("home", "0001_initial"))
        with connection.schema_editor() as editor:
            function(state.apps, editor)
        ContentType.objects.clear_cache()
        if function is home_initial.adopt_or_create:
            # The cache full again, from the rows as they are now: a serialized rollback that
            # follows builds pages and tasks whose ``__init__`` (Wagtail's) asks for their
            # content type before those rows are back; from an empty cache that made new
            # rows, which then clashed with the saved ones.
            ContentType.objects.get_for_models(*apps.get_models())

    def test_the_core_tables_and_content_types_become_the_home_apps(self):
        term = GlossaryTermPageFactory(title="Kanban", slug="kanban")
        home = HomePage.objects.get()
        HomePageFeaturedTerm.objects.create(page=home, term=term, sort_order=0)
        home.save_revision().publish()

        self.run_home_initial(home_initial.give_back)
        try:
            tables = set(connection.introspection.table_names())
            self.assertTrue({"core_homepage", "core_homepagefeaturedterm"} <= tables)
            self.assertFalse({"home_homepage", "home_homepagefeaturedterm"} & tables)
            self.assertEqual(Page.objects.get(pk=home.pk).content_type.app_label, "core")
        finally:
            self.run_home_initial(home_initial.adopt_or_create)

        root = Page.objects.get(pk=home.pk)
        self.assertEqual(
            (root.content_type.app_label, root.content_type.model), ("home", "homepage")
        )
        self.assertFalse(ContentType.objects.filter(app_label="core", model="homepage").exists())
        self.assertEqual(
            [item.term for item in root.specific.featured_terms.all()],
            [GlossaryTermPage.objects.get(pk=term.pk)],
        )
        response = self.client.get("/")
        self.assertContains(response, 'href="/glossary/kanban/"')


class SiteTreeReverseTests(TestCase):
    def test_undoing_the_site_tree_keeps_a_site_with_content(self):
        """``home.0002`` made nothing on an upgraded database, so undoing it must delete
        nothing there: only the three pages it made, when they are all there is."""
        GlossaryTermPageFactory(title="Kanban", slug="kanban")
        pages = Page.objects.count()
        site_tree = import_module("home.migrations.0002_site_tree")
        site_tree.remove_tree(apps, None)
        self.assertEqual(Page.objects.count(), pages)
