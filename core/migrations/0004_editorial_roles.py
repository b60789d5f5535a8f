"""Editors and Moderators, and the "Editorial review" workflow on the glossary and Pulse.

Wagtail's own initial data makes both groups with page permissions and image/document access;
this adds what the glossary needs: snippet permissions, the import permission (Moderators only)
and a review workflow in which editors submit and moderators approve or request changes.
Idempotent: re-running it changes nothing.
"""

from django.db import migrations

SNIPPETS = [("glossary", "relatedarticlecard"), ("glossary", "relatedarticlessection")]
GROUP_SNIPPET_ACTIONS = {
    "Editors": ["add", "change", "view"],
    "Moderators": ["add", "change", "delete", "view"],
}
WORKFLOW = "Editorial review"
TASK = "Moderator review"


def permission(apps, app_label, model, codename, name):
    ContentType = apps.get_model("contenttypes", "ContentType")
    Permission = apps.get_model("auth", "Permission")
    content_type, _ = ContentType.objects.get_or_create(app_label=app_label, model=model)
    # Permissions are normally made after migrations run; make the ones needed here now.
    found, _ = Permission.objects.get_or_create(
        content_type=content_type, codename=codename, defaults={"name": name}
    )
    return found


def create_roles(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    groups = {name: Group.objects.get_or_create(name=name)[0] for name in GROUP_SNIPPET_ACTIONS}
    for group_name, actions in GROUP_SNIPPET_ACTIONS.items():
        for app_label, model in SNIPPETS:
            for action in actions:
                groups[group_name].permissions.add(
                    permission(apps, app_label, model, f"{action}_{model}", f"Can {action} {model}")
                )
    groups["Moderators"].permissions.add(
        permission(
            apps,
            "importer",
            "importedrecord",
            "import_fixtures",
            "Can import fixture files from the admin",
        )
    )

    ContentType = apps.get_model("contenttypes", "ContentType")
    Workflow = apps.get_model("wagtailcore", "Workflow")
    WorkflowTask = apps.get_model("wagtailcore", "WorkflowTask")
    WorkflowPage = apps.get_model("wagtailcore", "WorkflowPage")
    GroupApprovalTask = apps.get_model("wagtailcore", "GroupApprovalTask")
    Page = apps.get_model("wagtailcore", "Page")

    workflow, _ = Workflow.objects.get_or_create(name=WORKFLOW, defaults={"active": True})
    task = GroupApprovalTask.objects.filter(name=TASK).first()
    if task is None:
        task_type, _ = ContentType.objects.get_or_create(
            app_label="wagtailcore", model="groupapprovaltask"
        )
        task = GroupApprovalTask.objects.create(name=TASK, content_type=task_type, active=True)
    task.groups.add(groups["Moderators"])
    WorkflowTask.objects.get_or_create(workflow=workflow, task=task, defaults={"sort_order": 0})
    for section in Page.objects.filter(
        content_type__app_label__in=["glossary", "pulse"],
        content_type__model__in=["glossaryindexpage", "pulseindexpage"],
    ):
        WorkflowPage.objects.update_or_create(page=section, defaults={"workflow": workflow})


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0003_site_tree"),
        ("glossary", "0005_pinned_related_terms"),
        ("importer", "0003_import_permission"),
        ("wagtailcore", "0098_apitoken"),
        ("auth", "0012_alter_user_first_name_max_length"),
    ]

    operations = [migrations.RunPython(create_roles, migrations.RunPython.noop)]
