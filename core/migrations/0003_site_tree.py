"""Create the page tree every install starts with: Home, with the Glossary and Pulse indexes.

Pages are written with historical models, so tree paths are set by hand as Wagtail's own
project template does.
"""

from django.db import migrations

TREE = [
    # (app, model, title, slug, path, depth, numchild, url_path)
    ("core", "homepage", "Glossary", "home", "00010001", 2, 2, "/home/"),
    (
        "glossary",
        "glossaryindexpage",
        "Glossary",
        "glossary",
        "000100010001",
        3,
        0,
        "/home/glossary/",
    ),
    ("pulse", "pulseindexpage", "Pulse", "pulse", "000100010002", 3, 0, "/home/pulse/"),
]

INTRODUCTIONS = {
    "homepage": "Plain-language definitions of operations and strategy terms, with Pulse insights.",
    "glossaryindexpage": "Every term, A to Z, each with a short definition.",
    "pulseindexpage": "Insight articles that put glossary terms to work.",
}


def create_tree(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    Page = apps.get_model("wagtailcore", "Page")
    Site = apps.get_model("wagtailcore", "Site")
    Locale = apps.get_model("wagtailcore", "Locale")

    # Wagtail's initial data makes a plain "Welcome" page at depth 2; Home replaces it.
    Page.objects.filter(depth=2, content_type__app_label="wagtailcore").delete()
    locale = Locale.objects.order_by("pk").first()
    home = None
    for app, model, title, slug, path, depth, numchild, url_path in TREE:
        content_type, _ = ContentType.objects.get_or_create(app_label=app, model=model)
        page = apps.get_model(app, model).objects.create(
            title=title,
            draft_title=title,
            slug=slug,
            content_type=content_type,
            path=path,
            depth=depth,
            numchild=numchild,
            url_path=url_path,
            locale=locale,
            live=True,
            introduction=INTRODUCTIONS[model],
        )
        home = home or page
    Page.objects.filter(depth=1).update(numchild=1)
    Site.objects.update_or_create(
        is_default_site=True,
        defaults={
            "hostname": "localhost",
            "port": 80,
            "root_page_id": home.pk,
            "site_name": "Glossary",
        },
    )


def remove_tree(apps, schema_editor):
    Page = apps.get_model("wagtailcore", "Page")
    Page.objects.filter(path__startswith="00010001", depth__gte=2).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0002_initial"),
        ("glossary", "0002_initial"),
        ("pulse", "0001_initial"),
        ("wagtailcore", "0098_apitoken"),
    ]

    operations = [migrations.RunPython(create_tree, remove_tree)]
