"""The file-based cache the site uses without Redis: development and tests only.

Django's ``FileBasedCache`` lists its whole folder on every ``set`` and, past ``MAX_ENTRIES``,
deletes a third of it: with a page cache of thousands of pages that made storing a page slow,
and a visitor sending many distinct URLs could make every request pay for a cull. Here
no ``set`` ever culls: every entry has a timeout (pages a day, ``PAGE_CACHE_TIMEOUT``) and an
expired file is deleted when it is next read; ``manage.py cull_file_cache`` runs Django's cull
(expired files, then a third of the rest past ``MAX_ENTRIES``) outside any request, for a
development machine that wants its folder small. Production uses Redis, whose memory
``deploy/redis.conf`` bounds (``maxmemory`` with ``allkeys-lru``). Reading, writing and expiry
are Django's; the override of Django's private cull is ``core.internals.ManualCullMixin``,
with the other private parts the site relies on and their version check.
"""

from django.core.cache.backends.filebased import FileBasedCache

from .internals import ManualCullMixin


class NoRequestCullFileCache(ManualCullMixin, FileBasedCache):
    """Django's file cache, culled by ``manage.py cull_file_cache`` only."""
