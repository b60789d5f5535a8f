"""Create the page tree every install starts with: Home, with the Glossary and Pulse indexes,
both under the "Editorial review" workflow (made by core's migration).

Pages are written with historical models, so tree paths are set by hand as Wagtail's own
project template does. Skipped when a home page exists: a database made before the home
page had an app of its own has its tree (made by core 0003), perhaps edited since.
"""

from django.db import migrations

TREE = [
    # (app, model, title, slug, path, depth, numchild, url_path)
    ("home", "homepage", "Glossary", "home", "00010001", 2, 2, "/home/"),
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
WORKFLOW = "Editorial review"


def create_tree(apps, schema_editor):
    if apps.get_model("home", "HomePage").objects.exists():
        return
    ContentType = apps.get_model("contenttypes", "ContentType")
    Page = apps.get_model("wagtailcore", "Page")
    Site = apps.get_model("wagtailcore", "Site")
    Locale = apps.get_model("wagtailcore", "Locale")

    # Wagtail's initial data makes a plain "Welcome" page at depth 2; Home replaces it.
    Page.objects.filter(depth=2, content_type__app_label="wagtailcore").delete()
    locale = Locale.objects.order_by("pk").first()
    pages = []
    for app, model, title, slug, path, depth, numchild, url_path in TREE:
        content_type, _ = ContentType.objects.get_or_create(app_label=app, model=model)
        pages.append(
            apps.get_model(app, model).objects.create(
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
        )
    home, *sections = pages
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
    workflow = apps.get_model("wagtailcore", "Workflow").objects.filter(name=WORKFLOW).first()
    if workflow is not None:
        WorkflowPage = apps.get_model("wagtailcore", "WorkflowPage")
        for section in sections:
            WorkflowPage.objects.update_or_create(
                page_id=section.pk, defaults={"workflow": workflow}
            )


def remove_tree(apps, schema_editor):
    """Undo only what ``create_tree`` made: the three pages, while nothing else lives under
    them. A site with content (an upgraded database skipped the creation) keeps its tree."""
    Page = apps.get_model("wagtailcore", "Page")
    tree = Page.objects.filter(path__startswith="00010001", depth__gte=2)
    if tree.count() <= 3 and not tree.filter(depth__gt=3).exists():
        tree.delete()


class Migration(migrations.Migration):
    dependencies = [
        ("home", "0001_initial"),
        ("glossary", "0001_initial"),
        ("pulse", "0001_initial"),
        ("core", "0001_squashed_0008_page_creation_keys"),
        ("wagtailcore", "0098_apitoken"),
    ]

    operations = [migrations.RunPython(create_tree, remove_tree)]
