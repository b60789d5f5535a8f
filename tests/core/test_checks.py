"""The base's system checks."""

from django.core import checks
from django.db import connection
from django.db.migrations.recorder import MigrationRecorder
from django.test import TestCase

from core.checks import (
    core_migrations_whole,
    replaced_core_migrations,
    snippets_send_content_events,
)


class CoreMigrationsWholeTests(TestCase):
    databases = {"default"}

    def test_a_database_that_applied_all_of_core_0001_to_0008_passes(self):
        # A fresh database records the squash and every migration it replaces.
        self.assertEqual(core_migrations_whole(databases=["default"]), [])

    def test_a_database_part_way_through_them_is_stopped_with_a_hint(self):
        MigrationRecorder(connection).migration_qs.filter(
            app="core", name="0008_page_creation_keys"
        ).delete()
        (error,) = core_migrations_whole(databases=["default"])
        self.assertEqual(error.id, "core.E001")
        self.assertIn("0008_page_creation_keys", error.msg)
        self.assertIn("previous release", error.hint)

    def test_migrate_runs_it(self):
        """Registered as a database check: ``migrate`` runs those on its database."""
        registered = checks.registry.registry.get_checks(include_deployment_checks=False)
        self.assertIn(core_migrations_whole, registered)
        self.assertIn(checks.Tags.database, core_migrations_whole.tags)

    def test_it_knows_the_eight_replaced_migrations(self):
        self.assertEqual(len(replaced_core_migrations()), 8)


class SnippetEventsCheckTests(TestCase):
    def test_every_registered_snippet_sends_content_events(self):
        self.assertEqual(snippets_send_content_events(), [])

    def test_a_snippet_registered_too_late_is_named(self):
        from wagtail.snippets.models import get_snippet_models

        from core import signals

        model = get_snippet_models()[0]
        signals.CONNECTED_SNIPPETS.discard(model)
        try:
            (error,) = snippets_send_content_events()
        finally:
            signals.CONNECTED_SNIPPETS.add(model)
        self.assertEqual((error.id, error.obj), ("core.E002", model))
