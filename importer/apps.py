from django.apps import AppConfig


class ImporterConfig(AppConfig):
    name = "importer"
    verbose_name = "Fixture import"

    def ready(self):
        from core.internals import require_checked_versions

        from .bulk import CHECKED_VERSIONS

        # importer/bulk.py writes rows as Wagtail would, through private APIs: refuse to start
        # on versions nobody has checked it against.
        require_checked_versions("importer/bulk.py", CHECKED_VERSIONS)
