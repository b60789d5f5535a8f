"""The base's tables, indexes and editorial roles, from a database of its own.

Replaces core 0001-0008: a database that applied all of them counts this as applied (Django
reads ``django_migrations``); a fresh one runs it. One that applied only some must first be
migrated fully with the previous release (the check ``core.E001`` stops ``migrate``). What named a feature app moved to that app:
the home page's tables and the site tree to ``home`` (0001, 0002), the snippets' permissions
to ``glossary`` (0021), the import permission to ``importer`` (0008), so the base depends
on no feature app.

- Editorial roles: the Editors and Moderators groups (Wagtail's initial data makes them
  with page permissions and image/document access) and the "Editorial review" workflow, in
  which editors submit and moderators approve or request changes. ``home.0002`` puts the
  sections under it when it creates them. Idempotent: re-running it changes nothing.
- A GIN index on ``title || body`` of the search index, on PostgreSQL: Wagtail's PostgreSQL
  backend matches a query against that expression, which no index served (each search read
  every entry). Nothing to do on other databases.
- Only Moderators change or delete the images in the library; Editors upload and choose
  them (an editor may still change an image they uploaded until a live page shows it,
  ``core.images.ReviewedImagePermissionPolicy``). Reversed, Editors get back what Wagtail
  gave them.
- ``StaleResponses`` (what a change made stale, for the worker) and ``PageCreationKey`` (the
  key a page's create form carried).
"""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

GROUPS = ["Editors", "Moderators"]
WORKFLOW = "Editorial review"
TASK = "Moderator review"
SEARCH_INDEX = "core_search_entry_text_gin"
IMAGE_GRANTS = {
    "Editors": ["add_image", "choose_image"],
    "Moderators": ["add_image", "change_image", "delete_image", "choose_image"],
}
TAKEN_FROM_EDITORS = ["change_image", "delete_image"]


def permission(apps, app_label, model, codename, name):
    """A permission, made now if missing: permissions are normally made after migrations
    run. The apps' role migrations use it too (a migration module: imported by name)."""
    ContentType = apps.get_model("contenttypes", "ContentType")
    Permission = apps.get_model("auth", "Permission")
    content_type, _ = ContentType.objects.get_or_create(app_label=app_label, model=model)
    found, _ = Permission.objects.get_or_create(
        content_type=content_type, codename=codename, defaults={"name": name}
    )
    return found


def create_roles(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    ContentType = apps.get_model("contenttypes", "ContentType")
    Workflow = apps.get_model("wagtailcore", "Workflow")
    WorkflowTask = apps.get_model("wagtailcore", "WorkflowTask")
    GroupApprovalTask = apps.get_model("wagtailcore", "GroupApprovalTask")

    for name in GROUPS:
        Group.objects.get_or_create(name=name)
    workflow, _ = Workflow.objects.get_or_create(name=WORKFLOW, defaults={"active": True})
    task = GroupApprovalTask.objects.filter(name=TASK).first()
    if task is None:
        task_type, _ = ContentType.objects.get_or_create(
            app_label="wagtailcore", model="groupapprovaltask"
        )
        task = GroupApprovalTask.objects.create(name=TASK, content_type=task_type, active=True)
    task.groups.add(Group.objects.get(name="Moderators"))
    WorkflowTask.objects.get_or_create(workflow=workflow, task=task, defaults={"sort_order": 0})


def create_search_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {SEARCH_INDEX} ON wagtailsearch_indexentry "
            "USING gin ((title || body))"
        )


def drop_search_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"DROP INDEX IF EXISTS {SEARCH_INDEX}")


def _root_and_image_permissions(apps):
    Collection = apps.get_model("wagtailcore", "Collection")
    codenames = {name for names in IMAGE_GRANTS.values() for name in names}
    permissions = {
        codename: permission(apps, "wagtailimages", "image", codename, f"Can {codename}")
        for codename in codenames
    }
    return Collection.objects.filter(depth=1).first(), permissions


def set_image_roles(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    GroupCollectionPermission = apps.get_model("wagtailcore", "GroupCollectionPermission")
    root, permissions = _root_and_image_permissions(apps)
    if root is None:
        return
    for group_name, codenames in IMAGE_GRANTS.items():
        group, _ = Group.objects.get_or_create(name=group_name)
        for codename in codenames:
            GroupCollectionPermission.objects.get_or_create(
                group=group, collection=root, permission=permissions[codename]
            )
    GroupCollectionPermission.objects.filter(
        group__name="Editors",
        permission__codename__in=TAKEN_FROM_EDITORS,
        permission__content_type__app_label="wagtailimages",
    ).delete()


def give_back_image_roles(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    GroupCollectionPermission = apps.get_model("wagtailcore", "GroupCollectionPermission")
    root, permissions = _root_and_image_permissions(apps)
    editors = Group.objects.filter(name="Editors").first()
    if root is None or editors is None:
        return
    for codename in TAKEN_FROM_EDITORS:
        GroupCollectionPermission.objects.get_or_create(
            group=editors, collection=root, permission=permissions[codename]
        )


class Migration(migrations.Migration):
    initial = True

    replaces = [
        ("core", "0001_initial"),
        ("core", "0002_initial"),
        ("core", "0003_site_tree"),
        ("core", "0004_editorial_roles"),
        ("core", "0005_search_text_index"),
        ("core", "0006_image_roles"),
        ("core", "0007_stale_responses"),
        ("core", "0008_page_creation_keys"),
    ]

    dependencies = [
        ("wagtailcore", "0098_apitoken"),
        migrations.swappable_dependency(settings.WAGTAIL_PAGE_MODEL),
        ("wagtailsearch", "0010_add_text_fields"),
        ("wagtailimages", "0027_image_description"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [
        migrations.RunPython(create_roles, migrations.RunPython.noop),
        migrations.RunPython(create_search_index, drop_search_index),
        migrations.RunPython(set_image_roles, give_back_image_roles),
        migrations.CreateModel(
            name="StaleResponses",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "purpose",
                    models.CharField(
                        choices=[("purge", "Purge from the front cache"), ("warm", "Render again")],
                        max_length=8,
                    ),
                ),
                (
                    "scopes",
                    models.JSONField(
                        default=list, help_text="Shared cache scopes (core.dependencies)."
                    ),
                ),
                (
                    "page_ids",
                    models.JSONField(default=list, help_text="Pages whose own responses changed."),
                ),
                (
                    "url_paths",
                    models.JSONField(
                        default=list, help_text="Addresses pages left (moved, renamed)."
                    ),
                ),
                ("created_at", models.DateTimeField(auto_now_add=True, db_index=True)),
            ],
            options={
                "verbose_name_plural": "stale responses",
                "indexes": [models.Index(fields=["purpose", "id"], name="core_stale_purpose_id")],
            },
        ),
        migrations.CreateModel(
            name="PageCreationKey",
            fields=[
                ("key", models.UUIDField(primary_key=True, serialize=False)),
                (
                    "page",
                    models.OneToOneField(
                        null=True,
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="creation_key",
                        to=settings.WAGTAIL_PAGE_MODEL,
                    ),
                ),
            ],
        ),
    ]
