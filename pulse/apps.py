from django.apps import AppConfig


class PulseConfig(AppConfig):
    name = "pulse"
    verbose_name = "Pulse"

    def ready(self):
        # The base imports no app: Pulse hands it its feeds, its sitemap file, its effects,
        # its searchable articles and its models' images (shown to visitors).
        from core.dependencies import declare
        from core.images import show_images_of
        from core.page_cache import FEEDS
        from core.searchables import register as register_searchable
        from core.sitemaps import register_section

        from .effects import register as register_effects
        from .models import PulseArticlePage

        declare(
            FEEDS,
            routes=["pulse_feed", "pulse_feed_atom"],
            help="The RSS and Atom feeds of the latest articles.",
        )
        register_section("pulse", PulseArticlePage)
        register_effects()
        show_images_of(self.label)  # its articles' images

        # The site's search: articles, suggested by the start of their titles.
        # Its summary ranks with a term's description (tier 2), after the title.
        register_searchable(
            PulseArticlePage,
            fields=((), ("summary",)),
            description="summary",
            suggest_titles=True,
        )
