"""The home page's tables, taken over from ``core`` or made anew.

Until the home page had an app of its own its models were ``core.HomePage`` and
``core.HomePageFeaturedTerm`` (tables ``core_homepage*``, created by core 0001-0002, which
the base's squashed migration no longer names). So that both kinds of database end alike:

- the models' state is created here with no database operation of its own
  (``SeparateDatabaseAndState``), then
- ``adopt_or_create`` looks at the database with the schema editor: a database that ran the
  old core migrations has the tables, which are renamed to ``home_*`` (rows, sequences and
  constraints kept; Django finds constraints by introspection, so their old names do no
  harm), and the content types ``core.homepage*`` become ``home.homepage*``, so the existing
  home page keeps its page type, its revisions and its permissions (all refer to the content
  type by id). A fresh database gets the tables created from the state.

Reversed, the tables and content types go back to ``core``'s names: the layout the old code
expects (and an empty pair of tables on a fresh database, harmless).
"""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

import modelcluster.fields

# model name -> the table core's migrations made for it
OLD_TABLES = {
    "homepage": "core_homepage",
    "homepagefeaturedterm": "core_homepagefeaturedterm",
}


def _move_content_types(apps, from_label, to_label):
    ContentType = apps.get_model("contenttypes", "ContentType")
    for model in OLD_TABLES:
        if not ContentType.objects.filter(app_label=to_label, model=model).exists():
            ContentType.objects.filter(app_label=from_label, model=model).update(app_label=to_label)


def adopt_or_create(apps, schema_editor):
    tables = set(schema_editor.connection.introspection.table_names())
    for model_name, old_table in OLD_TABLES.items():  # the page first: the term refers to it
        model = apps.get_model("home", model_name)
        if old_table in tables:
            schema_editor.alter_db_table(model, old_table, model._meta.db_table)
        else:
            schema_editor.create_model(model)
    _move_content_types(apps, "core", "home")


def give_back(apps, schema_editor):
    for model_name, old_table in reversed(OLD_TABLES.items()):
        model = apps.get_model("home", model_name)
        schema_editor.alter_db_table(model, model._meta.db_table, old_table)
    _move_content_types(apps, "home", "core")


class Migration(migrations.Migration):
    initial = True

    dependencies = [
        ("wagtailcore", "0098_apitoken"),
        migrations.swappable_dependency(settings.WAGTAIL_PAGE_MODEL),
        ("contenttypes", "0002_remove_content_type_name"),
        ("glossary", "0001_initial"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="HomePage",
                    fields=[
                        (
                            "page_ptr",
                            models.OneToOneField(
                                auto_created=True,
                                on_delete=django.db.models.deletion.CASCADE,
                                parent_link=True,
                                primary_key=True,
                                serialize=False,
                                to=settings.WAGTAIL_PAGE_MODEL,
                            ),
                        ),
                        (
                            "introduction",
                            models.TextField(
                                blank=True,
                                help_text=(
                                    "One or two sentences under the site name, "
                                    "saying what it offers."
                                ),
                            ),
                        ),
                    ],
                    options={"abstract": False},
                    bases=("wagtailcore.page",),
                ),
                migrations.CreateModel(
                    name="HomePageFeaturedTerm",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True,
                                primary_key=True,
                                serialize=False,
                                verbose_name="ID",
                            ),
                        ),
                        (
                            "sort_order",
                            models.IntegerField(blank=True, editable=False, null=True),
                        ),
                        (
                            "page",
                            modelcluster.fields.ParentalKey(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="featured_terms",
                                to="home.homepage",
                            ),
                        ),
                        (
                            "term",
                            models.ForeignKey(
                                help_text="A term to show on the home page.",
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="+",
                                to="glossary.glossarytermpage",
                            ),
                        ),
                    ],
                    options={"ordering": ["sort_order"], "abstract": False},
                ),
            ],
        ),
        migrations.RunPython(adopt_or_create, give_back),
    ]
