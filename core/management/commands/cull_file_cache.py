"""Cull the development file cache outside any request (core/cache.py)."""

from django.core.cache import caches
from django.core.management.base import BaseCommand, CommandError

from core.cache import NoRequestCullFileCache


class Command(BaseCommand):
    help = "Delete expired files of the file cache, then a share of the rest past MAX_ENTRIES."

    def handle(self, *args, **options):
        cache = caches["default"]
        if not isinstance(cache, NoRequestCullFileCache):
            raise CommandError("The cache is not the file cache: nothing to cull.")
        before = cache.entry_count()
        cache.cull()
        after = cache.entry_count()
        self.stdout.write(f"File cache: {before} entries, {after} kept.")
