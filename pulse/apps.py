from django.apps import AppConfig


class PulseConfig(AppConfig):
    name = "pulse"
    verbose_name = "Pulse"

    def ready(self):
        from core import dependencies, page_cache

        from . import effects

        dependencies.declare(
            page_cache.FEEDS,
            routes=["pulse_feed", "pulse_feed_atom"],
            help="The RSS and Atom feeds of the latest articles.",
        )
        effects.register()

        # The site's search: articles, suggested by the start of their titles.
        from core import searchables

        from .models import PulseArticlePage

        searchables.register(
            PulseArticlePage, fields=("summary",), description="summary", suggest_titles=True
        )
