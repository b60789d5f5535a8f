"""The fixture import in the admin's Settings menu, for users allowed to import."""

from django.urls import path

from wagtail import hooks

from core.menus import PermittedMenuItem

from . import views


@hooks.register("register_admin_urls")
def register_import_url():
    return [
        path("import-fixtures/", views.upload, name="importer_upload"),
        path("import/jobs/<int:job_id>/", views.job, name="importer_job"),
        path(
            "import/jobs/<int:job_id>/progress/", views.job_progress, name="importer_job_progress"
        ),
        path("import/jobs/<int:job_id>/confirm/", views.confirm, name="importer_job_confirm"),
    ]


@hooks.register("register_settings_menu_item")
def register_import_menu_item():
    return PermittedMenuItem.for_permission(
        "importer.import_fixtures",
        "Import fixtures",
        "importer_upload",
        icon_name="upload",
        order=900,
    )
