from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "core"
    verbose_name = "Site"

    def ready(self):
        from django.db.models.signals import post_delete, post_save

        from wagtail.models import Site

        from .internals import forget_sites, require_checked_versions

        require_checked_versions()
        post_save.connect(forget_sites, sender=Site, dispatch_uid="forget_sites_saved")
        post_delete.connect(forget_sites, sender=Site, dispatch_uid="forget_sites_deleted")
