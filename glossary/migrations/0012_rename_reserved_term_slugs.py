"""Terms stored before reserved slugs were refused (made by code, or before the rule) are
renamed as the import renames them (``letter`` -> ``letter-term``, then ``-2``, ``-3``... if
taken), so that no term hides the glossary index's own pages. Run again, it changes nothing.

The reserved list is the one of this release, written out: a migration must not read code
that later releases change.
"""

from django.db import migrations
from django.db.models.functions import Lower

RESERVED = {
    "letter", "download", "feed", "topics", "search", "api", "new", "page", "category", "all",
    "random",
}  # fmt: skip
STEPLEN = 4  # treebeard's path step, as Wagtail sets it (historical models lack it)


def rename_reserved_slugs(apps, schema_editor):
    rename_terms_with_slugs(apps, RESERVED)


def rename_terms_with_slugs(apps, slugs):
    """Rename the terms whose slug (in any case) is one of ``slugs``; later migrations that
    reserve more slugs call it with theirs."""
    Page = apps.get_model("wagtailcore", "Page")
    Term = apps.get_model("glossary", "GlossaryTermPage")
    reserved = Term.objects.annotate(lowered=Lower("slug")).filter(lowered__in=slugs)
    for term in reserved:
        parent_path = term.url_path[: -len(term.slug) - 1]
        siblings = set(
            Page.objects.filter(path__startswith=term.path[:-STEPLEN], depth=term.depth)
            .exclude(pk=term.pk)
            .values_list("slug", flat=True)
        )
        slug, number = f"{term.slug}-term", 2
        while slug in siblings:
            slug, number = f"{term.slug}-term-{number}", number + 1
        Page.objects.filter(pk=term.pk).update(slug=slug, url_path=f"{parent_path}{slug}/")


class Migration(migrations.Migration):
    dependencies = [("glossary", "0011_sanitise_rich_text")]

    operations = [migrations.RunPython(rename_reserved_slugs, migrations.RunPython.noop)]
