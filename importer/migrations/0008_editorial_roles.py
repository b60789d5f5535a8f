"""Moderators may import fixture files from the admin; Editors may not.

Once part of core's editorial roles (core 0004, before the base stopped naming the apps):
databases that ran it have this already. Idempotent.
"""

from importlib import import_module

from django.db import migrations

# The helper that made core's permissions (a migration module: imported by name).
permission = import_module("core.migrations.0001_squashed_0008_page_creation_keys").permission


def grant(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    moderators, _ = Group.objects.get_or_create(name="Moderators")
    moderators.permissions.add(
        permission(
            apps,
            "importer",
            "importedrecord",
            "import_fixtures",
            "Can import fixture files from the admin",
        )
    )


class Migration(migrations.Migration):
    dependencies = [
        ("importer", "0007_import_job"),
        ("core", "0001_squashed_0008_page_creation_keys"),
    ]

    operations = [migrations.RunPython(grant, migrations.RunPython.noop)]
