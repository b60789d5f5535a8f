"""Admin menu items shown only to the users allowed to open them (``core.menus``)."""

from types import SimpleNamespace

from django.test import RequestFactory, SimpleTestCase

from importer.wagtail_hooks import register_import_menu_item


def request_by(**user):
    request = RequestFactory().get("/admin/")
    request.user = SimpleNamespace(**user)
    return request


class PermittedMenuItemTests(SimpleTestCase):
    def test_the_import_item_shows_only_to_users_allowed_to_import(self):
        item = register_import_menu_item()
        allowed = request_by(has_perm=lambda name: name == "importer.import_fixtures")
        refused = request_by(has_perm=lambda name: False)
        self.assertTrue(item.is_shown(allowed))
        self.assertFalse(item.is_shown(refused))
