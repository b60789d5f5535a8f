"""Editors and Moderators read the search reports (``view_searchqueryday``) and pin results
for a query (Wagtail's search promotions). Idempotent."""

from importlib import import_module

from django.db import migrations

# The helper that made core's permissions (a migration module: imported by name).
permission = import_module("core.migrations.0001_squashed_0008_page_creation_keys").permission

GRANTS = [
    ("search", "searchqueryday", "view"),
    ("wagtailsearchpromotions", "searchpromotion", "add"),
    ("wagtailsearchpromotions", "searchpromotion", "change"),
    ("wagtailsearchpromotions", "searchpromotion", "delete"),
]


def grant(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    for group_name in ("Editors", "Moderators"):
        group, _ = Group.objects.get_or_create(name=group_name)
        for app_label, model, action in GRANTS:
            group.permissions.add(
                permission(apps, app_label, model, f"{action}_{model}", f"Can {action} {model}")
            )


class Migration(migrations.Migration):
    dependencies = [
        ("search", "0001_search_query_day"),
        ("core", "0001_squashed_0008_page_creation_keys"),
        ("wagtailsearchpromotions", "0008_query_verbose_name"),
    ]

    operations = [migrations.RunPython(grant, migrations.RunPython.noop)]
