"""One import at a time. The command waits for a running import, then runs (or gives up
clearly); the admin never waits (``timeout=0``): a web request answers at once.

The lock dies with its holder (a PostgreSQL session lock, or an OS file lock beside the SQLite
file), so an import killed half-way never leaves a stale lock behind. Dry runs only read and
take no lock.
"""

import contextlib
import fcntl
import tempfile
import time
import zlib
from pathlib import Path

from django.db import connection

LOCK_ID = zlib.crc32(b"glossary.import_fixtures")
# How long the command waits for an import that is running.
COMMAND_TIMEOUT = 300.0


class ImportLocked(Exception):
    pass


def _locked(timeout):
    if timeout <= 0:
        return ImportLocked("another import is running; try again when it has finished")
    return ImportLocked(f"another import is still running after {timeout:.0f} s; try again later")


@contextlib.contextmanager
def import_lock(timeout=COMMAND_TIMEOUT, poll=0.2):
    """Hold the import lock; wait at most ``timeout`` seconds for it (0: not at all)."""
    deadline = time.monotonic() + timeout
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            while True:
                cursor.execute("SELECT pg_try_advisory_lock(%s)", [LOCK_ID])
                if cursor.fetchone()[0]:
                    break
                if time.monotonic() >= deadline:
                    raise _locked(timeout)
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
                if time.monotonic() >= deadline:
                    raise _locked(timeout) from None
                time.sleep(poll)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)
