from django.apps import AppConfig


class GlossaryConfig(AppConfig):
    name = "glossary"
    verbose_name = "Glossary"

    def ready(self):
        from core import dependencies, page_cache

        from . import effects

        dependencies.declare(
            page_cache.DOWNLOADS,
            routes=[("glossary_download", {"format": name}) for name in ("csv", "ttl", "jsonld")],
            # Rebuilt by their own task (glossary.downloads), not rendered by the warmer.
            warm=False,
            help="The glossary as CSV, SKOS and JSON-LD: every live term.",
        )
        effects.register()
