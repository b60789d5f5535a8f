"""Admin menu items for the apps' own admin views."""

from django.urls import reverse

from wagtail.admin.menu import MenuItem


class PermittedMenuItem(MenuItem):
    """A menu item shown only to a user ``is_allowed(user)`` says may open it (Wagtail's
    ``MenuItem`` shows itself to everyone who reaches the admin)."""

    def __init__(self, label, url, is_allowed, **kwargs):
        super().__init__(label, url, **kwargs)
        self.is_allowed = is_allowed

    @classmethod
    def for_permission(cls, permission, label, url_name, **kwargs):
        """An item for the holders of one Django permission, opening the view ``url_name``."""
        return cls(label, reverse(url_name), lambda user: user.has_perm(permission), **kwargs)

    def is_shown(self, request):
        return self.is_allowed(request.user)
