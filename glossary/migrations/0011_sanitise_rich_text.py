"""Terms' rich text stored before it was sanitised on save is reduced to what the editor
allows (core.rich_text), in the pages and in their revisions. Run again, it changes nothing."""

from django.db import migrations

from core.rich_text import sanitise_stored_pages
from glossary.blocks import TermBodyBlock


def sanitise_rich_text(apps, schema_editor):
    sanitise_stored_pages(apps, "glossary", "GlossaryTermPage", {"body": TermBodyBlock()})


class Migration(migrations.Migration):
    dependencies = [
        ("glossary", "0010_snippets_in_editorial_review"),
        ("wagtailcore", "0098_apitoken"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(sanitise_rich_text, migrations.RunPython.noop)]
