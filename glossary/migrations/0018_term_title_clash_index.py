"""An index on UPPER(title) of Wagtail's page table, on PostgreSQL.

A term's ``clean`` refuses a second term of the same name (``title__iexact``, which is
``UPPER(title) = UPPER(%s)`` on PostgreSQL). Without this index that check read every page
(figures: bench/RESULTS.md, scale), three times in each editor's publish. The title lives on
``wagtailcore_page``, so no model of ours can declare the index: it is created here. SQLite
(development) matches ``iexact`` with LIKE, which no index serves; it is left as it is.
"""

from django.db import migrations

INDEX = "glossary_page_upper_title"


def create(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {INDEX} ON wagtailcore_page (UPPER(title::text))"
        )


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"DROP INDEX IF EXISTS {INDEX}")


class Migration(migrations.Migration):
    dependencies = [
        ("glossary", "0017_admin_labels_and_mention_references"),
        ("wagtailcore", "0001_initial"),
    ]

    operations = [migrations.RunPython(create, drop, elidable=False)]
