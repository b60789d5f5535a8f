"""A GIN index on ``title || body`` of the search index, on PostgreSQL.

Wagtail's PostgreSQL backend matches a query against ``title || body``, an expression no
index served: each search read every entry (and with stale statistics chose a nested loop
that took 20 s at 10,000 terms). ``search.candidates`` matches the same expression, now an index
lookup. Nothing to do on other databases.
"""

from django.db import migrations

INDEX = "core_search_entry_text_gin"


def create(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {INDEX} ON wagtailsearch_indexentry "
            "USING gin ((title || body))"
        )


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"DROP INDEX IF EXISTS {INDEX}")


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0004_editorial_roles"),
        ("wagtailsearch", "0010_add_text_fields"),
    ]

    operations = [migrations.RunPython(create, drop)]
