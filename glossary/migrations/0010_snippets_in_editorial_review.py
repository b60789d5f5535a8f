"""Cards and sections join the "Editorial review" workflow: an editor's change is a draft a
moderator approves and publishes. Moderators may publish and unlock them; editors may lock
what they are editing. Idempotent, like core.0001 which made the workflow."""

from importlib import import_module

from django.db import migrations

# The helper that made core's permissions (a migration module: imported by name).
permission = import_module("core.migrations.0001_squashed_0008_page_creation_keys").permission

MODELS = ["relatedarticlecard", "relatedarticlessection"]
WORKFLOW = "Editorial review"


def review_snippets(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    Group = apps.get_model("auth", "Group")
    Workflow = apps.get_model("wagtailcore", "Workflow")
    WorkflowContentType = apps.get_model("wagtailcore", "WorkflowContentType")
    workflow = Workflow.objects.filter(name=WORKFLOW).first()
    grants = {"Moderators": ["publish", "lock", "unlock"], "Editors": ["lock"]}
    for model in MODELS:
        content_type, _ = ContentType.objects.get_or_create(app_label="glossary", model=model)
        if workflow is not None:
            WorkflowContentType.objects.update_or_create(
                content_type=content_type, defaults={"workflow": workflow}
            )
        for group_name, actions in grants.items():
            group = Group.objects.filter(name=group_name).first()
            if group is None:
                continue
            for action in actions:
                group.permissions.add(
                    permission(
                        apps, "glossary", model, f"{action}_{model}", f"Can {action} {model}"
                    )
                )


class Migration(migrations.Migration):
    dependencies = [
        ("glossary", "0009_reviewed_snippets"),
        ("core", "0001_squashed_0008_page_creation_keys"),
    ]

    operations = [migrations.RunPython(review_snippets, migrations.RunPython.noop)]
