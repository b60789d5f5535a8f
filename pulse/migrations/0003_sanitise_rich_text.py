"""Articles' rich text stored before it was sanitised on save is reduced to what the editor
allows (core.rich_text), in the pages and in their revisions. Run again, it changes nothing."""

from django.db import migrations

from core.rich_text import sanitise_stored_pages
from pulse.blocks import ArticleBodyBlock


def sanitise_rich_text(apps, schema_editor):
    sanitise_stored_pages(apps, "pulse", "PulseArticlePage", {"body": ArticleBodyBlock()})


class Migration(migrations.Migration):
    dependencies = [
        ("pulse", "0002_block_previews"),
        ("wagtailcore", "0098_apitoken"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(sanitise_rich_text, migrations.RunPython.noop)]
