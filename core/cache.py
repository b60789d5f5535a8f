"""The file-based cache the site uses without Redis: development and tests only.

Django's ``FileBasedCache`` lists its whole folder on every ``set`` and, past ``MAX_ENTRIES``,
deletes a third of it: with a page cache of 10,000 pages that made storing a page cost about
8 ms, and a visitor sending many distinct URLs could make every request pay for a cull. Here
no ``set`` ever culls: every entry has a timeout (pages a day, ``PAGE_CACHE_TIMEOUT``) and an
expired file is deleted when it is next read; ``manage.py cull_file_cache`` runs Django's cull
(expired files, then a third of the rest past ``MAX_ENTRIES``) outside any request, for a
development machine that wants its folder small. Production uses Redis, whose memory
``deploy/redis.conf`` bounds (``maxmemory`` with ``allkeys-lru``). Reading, writing and expiry
are Django's.
"""

import contextlib

from django.core.cache.backends.filebased import FileBasedCache


class NoRequestCullFileCache(FileBasedCache):
    def _cull(self):
        """Called by ``set``/``add``/``touch``: do nothing there (see the module docstring)."""

    def cull(self):
        """Django's cull, for ``manage.py cull_file_cache``: expired files first, then a
        ``1/CULL_FREQUENCY`` share of the rest when there are more than ``MAX_ENTRIES``."""
        for path in self._list_cache_files():
            with contextlib.suppress(FileNotFoundError), open(path, "rb") as file:
                self._is_expired(file)  # deletes the file when it has expired
        super()._cull()
