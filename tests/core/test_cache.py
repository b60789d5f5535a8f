"""The file cache used without Redis: Django's, never culled by a request."""

import tempfile
from io import StringIO
from unittest import mock

from django.core.cache import cache as default_cache
from django.core.management import CommandError, call_command
from django.test import SimpleTestCase, override_settings

from core.cache import NoRequestCullFileCache


class NoRequestCullFileCacheTests(SimpleTestCase):
    def make(self, folder, max_entries):
        return NoRequestCullFileCache(folder, {"OPTIONS": {"MAX_ENTRIES": max_entries}})

    def test_reads_back_what_it_wrote(self):
        with tempfile.TemporaryDirectory() as folder:
            cache = self.make(folder, 100)
            cache.set("page", {"body": "ünïcode"})
            self.assertEqual(cache.get("page"), {"body": "ünïcode"})

    def test_a_set_never_lists_the_folder_nor_culls(self):
        with tempfile.TemporaryDirectory() as folder:
            cache = self.make(folder, 10)
            with mock.patch.object(
                cache, "_list_cache_files", wraps=cache._list_cache_files
            ) as listing:
                for number in range(500):
                    cache.set(f"key-{number}", number)
                    cache.add(f"other-{number}", number)
            self.assertEqual(listing.call_count, 0)
            self.assertEqual(len(cache._list_cache_files()), 1_000)

    def test_the_command_culls_expired_entries_then_past_max_entries(self):
        with tempfile.TemporaryDirectory() as folder:
            location = {"BACKEND": "core.cache.NoRequestCullFileCache", "LOCATION": folder}
            options = {"OPTIONS": {"MAX_ENTRIES": 30, "CULL_FREQUENCY": 2}}
            with override_settings(CACHES={"default": {**location, **options}}):
                for number in range(20):
                    default_cache.set(f"gone-{number}", number, timeout=-1)
                for number in range(40):
                    default_cache.set(f"kept-{number}", number)
                out = StringIO()
                call_command("cull_file_cache", stdout=out)
                self.assertIn("60 entries, 20 kept", out.getvalue())

    def test_the_command_refuses_another_cache(self):
        with self.assertRaisesMessage(CommandError, "not the file cache"):
            call_command("cull_file_cache", stdout=StringIO())
