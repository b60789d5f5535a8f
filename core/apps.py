from django.apps import AppConfig

from wagtail.snippets import apps as wagtail_snippets


class CoreConfig(AppConfig):
    name = "core"
    verbose_name = "Site"
    default = True  # the app config of "core"; SnippetsConfig is Wagtail's snippets app's

    def ready(self):
        from django.db.models.signals import post_delete, post_save

        from wagtail.models import Site

        from .internals import forget_sites, require_checked_versions

        require_checked_versions()
        from . import checks, signals  # noqa: F401 - checks registers the system checks

        signals.connect()  # content events to the dispatcher (core.events); snippets below
        post_save.connect(forget_sites, sender=Site, dispatch_uid="forget_sites_saved")
        post_delete.connect(forget_sites, sender=Site, dispatch_uid="forget_sites_deleted")

        from wagtail.images import get_image_model
        from wagtail.permissions import register_permission_policy

        from .images import ReviewedImagePermissionPolicy

        # Exact class: found before the policy wagtail.images registers in its own ready().
        register_permission_policy(
            get_image_model(),
            ReviewedImagePermissionPolicy(
                get_image_model(),
                auth_model="wagtailimages.Image",
                owner_field_name="uploaded_by_user",
            ),
            exact_class=True,
        )


class SnippetsConfig(wagtail_snippets.WagtailSnippetsAppConfig):
    """Wagtail's snippets app (INSTALLED_APPS names this instead of "wagtail.snippets"), then
    the snippets' content events: Wagtail registers the snippets of every app in this app's
    ``ready`` (deferred ``register_snippet`` calls, then the wagtail_hooks.py modules), which
    runs after the core's, so the list is complete only here (``core.signals``)."""

    default = False

    def ready(self):
        super().ready()
        from . import signals

        signals.connect_snippets()
