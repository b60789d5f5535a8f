"""Imported records name any registered kind: the kinds registry, not choices, lists them."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("importer", "0008_editorial_roles"),
    ]

    operations = [
        migrations.AlterField(
            model_name="importedrecord",
            name="key",
            field=models.CharField(
                help_text="The record's key, unique within its kind.", max_length=255
            ),
        ),
        migrations.AlterField(
            model_name="importedrecord",
            name="kind",
            field=models.CharField(help_text="The record's kind (its name).", max_length=16),
        ),
    ]
