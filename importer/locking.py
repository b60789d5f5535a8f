"""One import at a time: a second one waits for the first, then runs (or gives up clearly).

The lock dies with its holder (a PostgreSQL session lock, or an OS file lock beside the SQLite
file), so an import killed half-way never leaves a stale lock behind.
"""

import contextlib
import fcntl
import tempfile
import time
import zlib
from pathlib import Path

from django.db import connection

LOCK_ID = zlib.crc32(b"glossary.import_fixtures")


class ImportLocked(Exception):
    pass


@contextlib.contextmanager
def import_lock(timeout=300.0, poll=0.2):
    deadline = time.monotonic() + timeout
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            while True:
                cursor.execute("SELECT pg_try_advisory_lock(%s)", [LOCK_ID])
                if cursor.fetchone()[0]:
                    break
                if time.monotonic() > deadline:
                    raise ImportLocked(
                        f"another import is still running after {timeout:.0f} s; try again later"
                    )
                time.sleep(poll)
            try:
                yield
            finally:
                cursor.execute("SELECT pg_advisory_unlock(%s)", [LOCK_ID])
        return
    name = str(connection.settings_dict["NAME"])
    if name == ":memory:" or "mode=memory" in name:
        name = str(Path(tempfile.gettempdir()) / "glossary-test-db")
    with open(f"{name}.import.lock", "w") as handle:  # noqa: PTH123
        while True:
            try:
                fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() > deadline:
                    raise ImportLocked(
                        f"another import is still running after {timeout:.0f} s; try again later"
                    ) from None
                time.sleep(poll)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)
