"""Admin menu items for the apps' own admin views."""

from wagtail.admin.menu import MenuItem


class PermittedMenuItem(MenuItem):
    """A menu item shown only to a user ``is_allowed(user)`` says may open it (Wagtail's
    ``MenuItem`` shows itself to everyone who reaches the admin)."""

    def __init__(self, label, url, is_allowed, **kwargs):
        super().__init__(label, url, **kwargs)
        self.is_allowed = is_allowed

    def is_shown(self, request):
        return self.is_allowed(request.user)
