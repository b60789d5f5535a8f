from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "core"
    verbose_name = "Site"

    def ready(self):
        from django.db.models.signals import post_delete, post_save

        from wagtail.models import Site

        from .internals import forget_sites, require_checked_versions

        require_checked_versions()
        from . import signals

        signals.connect()  # content events to the dispatcher (core.events)
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
