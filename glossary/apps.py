from django.apps import AppConfig


class GlossaryConfig(AppConfig):
    name = "glossary"
    verbose_name = "Glossary"

    def ready(self):
        """Tell the base what the glossary adds to the site: its downloads' cache scope, its
        sitemap section, its answers to content events and its nightly recompute."""
        from core import dependencies, page_cache, sitemaps
        from core.tasks import register_periodic

        from . import effects, tasks
        from .models import GlossaryTermPage

        dependencies.declare(
            page_cache.DOWNLOADS,
            routes=[("glossary_download", {"format": name}) for name in ("csv", "ttl", "jsonld")],
            # Rebuilt by their own task (glossary.downloads), not rendered by the warmer.
            warm=False,
            help="The glossary as CSV, SKOS and JSON-LD: every live term.",
        )
        sitemaps.register_section("glossary", GlossaryTermPage)
        effects.register()
        register_periodic(tasks.recompute_all_neighbourhoods, nightly=True)
