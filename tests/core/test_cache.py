"""The file cache used without Redis: Django's, with the folder listed seldom, not on every write."""

import tempfile
from unittest import mock

from django.test import SimpleTestCase

from core import cache as file_cache
from core.cache import AmortisedCullFileCache


class AmortisedCullFileCacheTests(SimpleTestCase):
    def make(self, folder, max_entries):
        return AmortisedCullFileCache(folder, {"OPTIONS": {"MAX_ENTRIES": max_entries}})

    def test_reads_back_what_it_wrote(self):
        with tempfile.TemporaryDirectory() as folder:
            cache = self.make(folder, 100)
            cache.set("page", {"body": "ünïcode"})
            self.assertEqual(cache.get("page"), {"body": "ünïcode"})

    def test_lists_the_folder_about_once_in_cull_every_writes(self):
        with tempfile.TemporaryDirectory() as folder:
            cache = self.make(folder, 10_000)
            with mock.patch.object(
                cache, "_list_cache_files", wraps=cache._list_cache_files
            ) as listing:
                for number in range(2_000):
                    cache.set(f"key-{number}", number)
            # 10 expected; far from the 2,000 listings of Django's FileBasedCache.
            self.assertLess(listing.call_count, 40)

    def test_still_keeps_the_folder_near_its_limit(self):
        with (
            tempfile.TemporaryDirectory() as folder,
            mock.patch.object(file_cache, "CULL_EVERY", 5),
        ):
            cache = self.make(folder, 50)
            for number in range(1_000):
                cache.set(f"key-{number}", number)
            self.assertLess(len(cache._list_cache_files()), 50 + 5 * 10)
