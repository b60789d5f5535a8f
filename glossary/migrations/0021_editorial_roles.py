"""Editors and Moderators may work on the related-article cards and sections: editors add,
change and view them, moderators delete them too.

Once part of core's editorial roles (core 0004, before the base stopped naming the apps):
databases that ran it have these already, so this adds only what is missing. Idempotent.
"""

from importlib import import_module

from django.db import migrations

# The helper that made core's permissions (a migration module: imported by name).
permission = import_module("core.migrations.0001_squashed_0008_page_creation_keys").permission

SNIPPETS = ["relatedarticlecard", "relatedarticlessection"]
GROUP_ACTIONS = {
    "Editors": ["add", "change", "view"],
    "Moderators": ["add", "change", "delete", "view"],
}


def grant(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    for group_name, actions in GROUP_ACTIONS.items():
        group, _ = Group.objects.get_or_create(name=group_name)
        for model in SNIPPETS:
            for action in actions:
                group.permissions.add(
                    permission(
                        apps, "glossary", model, f"{action}_{model}", f"Can {action} {model}"
                    )
                )


class Migration(migrations.Migration):
    dependencies = [
        ("glossary", "0020_term_sort_key"),
        ("core", "0001_squashed_0008_page_creation_keys"),
    ]

    operations = [migrations.RunPython(grant, migrations.RunPython.noop)]
