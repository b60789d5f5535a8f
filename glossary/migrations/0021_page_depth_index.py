"""An index on the depth of Wagtail's page table.

Every publish of a term or an article invalidates the pages that list it, the home page and
the section indexes, found as the pages at depth 2 and 3 (``core.navigation.listing_pages``).
Wagtail's table has no index on ``depth``, so that lookup read every page: about 9,000
buffers at 100,000 terms, in each editor's publish (bench/RESULTS.md, "Issue 20: where the
publish and import time grows"). The table is Wagtail's, so no model of ours can declare the
index: Django's schema editor adds it here, on every database.
"""

from django.db import migrations, models

INDEX = models.Index(fields=["depth"], name="glossary_page_depth")


def create(apps, schema_editor):
    schema_editor.add_index(apps.get_model("wagtailcore", "Page"), INDEX)


def drop(apps, schema_editor):
    schema_editor.remove_index(apps.get_model("wagtailcore", "Page"), INDEX)


class Migration(migrations.Migration):
    dependencies = [
        ("glossary", "0020_term_sort_key"),
        ("wagtailcore", "0001_initial"),
    ]

    operations = [migrations.RunPython(create, drop, elidable=False)]
