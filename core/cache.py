"""The file-based cache the site uses when there is no Redis, made cheap to write to.

Django's ``FileBasedCache`` lists its whole folder on every ``set`` to decide whether to cull:
with a page cache of 10,000 pages that listing was most of the cost of storing a page (about
8 ms). This one looks at most once every ``CULL_EVERY`` writes (chosen at random, so that
separate processes need no shared counter); between looks the folder can exceed
``MAX_ENTRIES`` by at most about ``CULL_EVERY`` entries per process. Reading, writing and
expiry are Django's.
"""

import random

from django.core.cache.backends.filebased import FileBasedCache

CULL_EVERY = 200


class AmortisedCullFileCache(FileBasedCache):
    def _cull(self):
        if random.randrange(CULL_EVERY) == 0:  # noqa: S311 - spreading work, not security
            super()._cull()
