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

        # The site's search: terms, found forgivingly by name (glossary.names).
        from core import searchables

        from . import names
        from .models import GlossaryTermPage

        searchables.register(
            GlossaryTermPage,
            fields=("description", "key_questions", "synonyms"),
            description="description",
            names=searchables.Names(
                match=names.match_names,
                database_settings=names.database_settings,
                warm=names.warm,
            ),
        )
