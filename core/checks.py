"""System checks of the base: what would otherwise fail silently at run time."""

from importlib import import_module

from django.core import checks
from django.db import connections
from django.db.migrations.recorder import MigrationRecorder

CORE_SQUASH = "0001_squashed_0008_page_creation_keys"


def replaced_core_migrations():
    """The names of core's old migrations the squash stands for (their files are gone)."""
    squash = import_module(f"core.migrations.{CORE_SQUASH}")
    return {name for _app, name in squash.Migration.replaces}


@checks.register(checks.Tags.database)
def core_migrations_whole(app_configs=None, databases=None, **kwargs):
    """A database that applied some of core 0001-0008 but not all cannot be carried on: the
    squash counts only when all or none are applied, and without the old files Django then
    sees no core migration at all and reports nothing to do (so ``PageCreationKey`` would
    never be made). ``migrate`` runs this check on its database first."""
    replaced = replaced_core_migrations()
    errors = []
    for alias in databases or ():
        recorder = MigrationRecorder(connections[alias])
        if not recorder.has_table():
            continue
        applied = set(
            recorder.migration_qs.filter(app="core", name__in=replaced).values_list(
                "name", flat=True
            )
        )
        if applied and applied != replaced:
            errors.append(
                checks.Error(
                    f"Database {alias!r} applied only some of core's migrations 0001-0008 "
                    f"(missing: {', '.join(sorted(replaced - applied))}).",
                    hint="Migrate it fully with the previous release first, then migrate "
                    "with this one (docs/deployment-and-operations.md, Upgrading).",
                    id="core.E001",
                )
            )
    return errors


@checks.register()
def snippets_send_content_events(app_configs=None, **kwargs):
    """A snippet registered after Wagtail's snippets app was ready (``SnippetsConfig``) would
    be saved without a content event, so no page showing it would be made stale."""
    from wagtail.snippets.models import get_snippet_models

    from .signals import CONNECTED_SNIPPETS

    return [
        checks.Error(
            f"The snippet {model._meta.label} was registered after content events were "
            "connected: its changes would leave pages stale.",
            hint="Register it with @register_snippet on the model or in wagtail_hooks.py.",
            obj=model,
            id="core.E002",
        )
        for model in get_snippet_models()
        if model not in CONNECTED_SNIPPETS
    ]
