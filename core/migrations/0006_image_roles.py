"""Only Moderators change or delete the images in the library; Editors upload and choose them.

Wagtail's initial data lets both groups change and delete any image, so an editor could
replace the picture on a published page without review. Editors keep "add" (upload) and
"choose"; an editor may still change an image they uploaded until a live page shows it
(``core.images.ReviewedImagePermissionPolicy``). Idempotent; reversed, Editors get back what
Wagtail gave them.
"""

from django.db import migrations

GRANTS = {
    "Editors": ["add_image", "choose_image"],
    "Moderators": ["add_image", "change_image", "delete_image", "choose_image"],
}
TAKEN_FROM_EDITORS = ["change_image", "delete_image"]


def _root_and_permissions(apps):
    Collection = apps.get_model("wagtailcore", "Collection")
    Permission = apps.get_model("auth", "Permission")
    ContentType = apps.get_model("contenttypes", "ContentType")
    image_type, _ = ContentType.objects.get_or_create(app_label="wagtailimages", model="image")
    permissions = {}
    for codename in {name for names in GRANTS.values() for name in names}:
        permissions[codename], _ = Permission.objects.get_or_create(
            content_type=image_type, codename=codename, defaults={"name": f"Can {codename}"}
        )
    return Collection.objects.filter(depth=1).first(), permissions


def set_image_roles(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    GroupCollectionPermission = apps.get_model("wagtailcore", "GroupCollectionPermission")
    root, permissions = _root_and_permissions(apps)
    if root is None:
        return
    for group_name, codenames in GRANTS.items():
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


def give_back(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    GroupCollectionPermission = apps.get_model("wagtailcore", "GroupCollectionPermission")
    root, permissions = _root_and_permissions(apps)
    editors = Group.objects.filter(name="Editors").first()
    if root is None or editors is None:
        return
    for codename in TAKEN_FROM_EDITORS:
        GroupCollectionPermission.objects.get_or_create(
            group=editors, collection=root, permission=permissions[codename]
        )


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0005_search_text_index"),
        ("wagtailimages", "0027_image_description"),
        ("wagtailcore", "0098_apitoken"),
        ("auth", "0012_alter_user_first_name_max_length"),
    ]

    operations = [migrations.RunPython(set_image_roles, give_back)]
