from django.apps import AppConfig


class HomeConfig(AppConfig):
    """The home page, the site's navigation and the page tree every install starts with."""

    name = "home"
    verbose_name = "Home"

    def ready(self):
        from core import events

        from . import navigation

        events.on_everything(navigation.forget)
