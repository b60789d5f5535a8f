"""Editors and Moderators read the reader feedback inbox and accept or decline what is in
it (``view_feedback``, ``change_feedback``). Idempotent."""

from importlib import import_module

from django.db import migrations

# The helper that made core's permissions (a migration module: imported by name).
permission = import_module("core.migrations.0001_squashed_0008_page_creation_keys").permission


def grant(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    for group_name in ("Editors", "Moderators"):
        group, _ = Group.objects.get_or_create(name=group_name)
        for action in ("view", "change"):
            group.permissions.add(
                permission(
                    apps, "feedback", "feedback", f"{action}_feedback", f"Can {action} feedback"
                )
            )


class Migration(migrations.Migration):
    dependencies = [
        ("feedback", "0001_initial"),
        ("core", "0001_squashed_0008_page_creation_keys"),
    ]

    operations = [migrations.RunPython(grant, migrations.RunPython.noop)]
