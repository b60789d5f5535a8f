from django.apps import AppConfig


class SearchConfig(AppConfig):
    """The site's search: its results page, the search box's suggestions and the API's search.

    Label ``search``: Wagtail's own search app is ``wagtailsearch`` and modelsearch's is
    ``modelsearch``, so the two never clash. The page types it finds are registered by the
    apps that own them (``core.searchables``).
    """

    name = "search"
    label = "search"
    verbose_name = "Search"
