from django.apps import AppConfig


class SearchConfig(AppConfig):
    """The site's search: its results page, the search box's suggestions and the API's search,
    the counting of searches (``search.log``) and the pinned results (``search.promotions``).

    Label ``search``: Wagtail's own search app is ``wagtailsearch`` and modelsearch's is
    ``modelsearch``, so the two never clash. The page types it finds are registered by the
    apps that own them (``core.searchables``).
    """

    name = "search"
    label = "search"
    verbose_name = "Search"

    def ready(self):
        """The worker flushes the counted searches and prunes old ones; a change of a pinned
        result makes the search's cached responses stale."""
        from core.tasks import register_periodic

        from . import promotions, tasks

        register_periodic(tasks.flush_search_log)
        register_periodic(tasks.prune_search_log, nightly=True)
        promotions.register()
