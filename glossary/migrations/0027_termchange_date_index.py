"""The newest changes of the whole glossary (its feeds, What's new) read an index on
``(-date, -id)``; and ``whats-new``, now the address of What's new, is a reserved slug: a term
stored with it is renamed as migration 0012 renamed the others (``whats-new-term``)."""

from importlib import import_module

from django.db import migrations, models

NEWLY_RESERVED = {"whats-new"}  # written out: a migration must not read code later releases change


def rename_newly_reserved_slugs(apps, schema_editor):
    renaming = import_module("glossary.migrations.0012_rename_reserved_term_slugs")
    renaming.rename_terms_with_slugs(apps, NEWLY_RESERVED)


class Migration(migrations.Migration):
    dependencies = [("glossary", "0026_linking_switches")]

    operations = [
        migrations.AddIndex(
            model_name="termchange",
            index=models.Index(fields=["-date", "-id"], name="glossary_termchange_recent"),
        ),
        migrations.RunPython(rename_newly_reserved_slugs, migrations.RunPython.noop),
    ]
