"""Tests: fast hashing, local-memory cache, plain static storage, throwaway media."""

import os
import secrets
import tempfile
from pathlib import Path

from .base import *  # noqa: F403

DEBUG = False
SECRET_KEY = "test-only-secret"  # noqa: S105
ALLOWED_HOSTS = ["localhost", "127.0.0.1", "testserver"]

# One name per test run, shared by the processes of that run (pytest-xdist's workers and the
# servers a test starts inherit it): two runs on one machine never share a database file or a
# cache folder.
TEST_RUN_ID = os.environ.setdefault("GLOSSARY_TEST_RUN", f"{os.getpid()}-{secrets.token_hex(4)}")
RUN_DIR = Path(tempfile.gettempdir()) / f"glossary-test-{TEST_RUN_ID}"
if "CACHE_DIR" not in os.environ:
    CACHE_DIR = RUN_DIR / "cache"
    if CACHES["default"]["BACKEND"] == "core.cache.NoRequestCullFileCache":  # noqa: F405
        CACHES["default"]["LOCATION"] = str(CACHE_DIR)  # noqa: F405
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
if os.environ.get("TEST_SHARED_CACHE") != "1":
    # One test process: local memory. Servers a test starts (gunicorn, another process that
    # edits) set TEST_SHARED_CACHE=1 and share base.py's cache (REDIS_URL or CACHE_DIR), as
    # production processes do.
    CACHES["default"] = {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}  # noqa: F405
# Tests set their own folder per test (tests/conftest.py); this is the fallback.
MEDIA_ROOT = RUN_DIR / "media"
WAGTAILADMIN_BASE_URL = "http://testserver"
WHITENOISE_AUTOREFRESH = True
# A background rebuild would read the database outside the test's transaction; the tests that
# check the rebuild ask for it.
DOWNLOADS_REBUILD = env_choice("DOWNLOADS_REBUILD", "off", ["task", "inline", "off"])  # noqa: F405
# Tasks run where they are enqueued, and the neighbourhood inside the change's transaction
# (a TestCase never commits); the tests of the queue itself ask for the worker's way.
TASKS = tasks_setting(env_choice("TASKS_BACKEND", "immediate", TASKS_BACKENDS))  # noqa: F405
RELATED_RECOMPUTE = env_choice("RELATED_RECOMPUTE", "inline", ["task", "inline"])  # noqa: F405
# Warming renders pages after each commit: the tests of warming ask for it.
WARM_MAX_PAGES = int(os.environ.get("WARM_MAX_PAGES", "0"))
# Linked mentions found in the change's transaction too (glossary.linking.relink_after_commit).
LINKS_RELINK = env_choice("LINKS_RELINK", "inline", ["task", "inline"])  # noqa: F405
WHITENOISE_USE_FINDERS = True
SERVE_MEDIA = True

if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":  # noqa: F405
    # A file, not memory: the browser tests' live server answers requests in several threads,
    # and in-memory SQLite shared between threads locks whole tables.
    test_db = Path(tempfile.gettempdir()) / f"glossary-test-{TEST_RUN_ID}.sqlite3"
    DATABASES["default"]["TEST"] = {"NAME": str(test_db)}  # noqa: F405

# The search time limit is a production guard; tests that check it set their own (100 ms).
# A busy CI machine must not turn a slow but correct search in another test into a 503.
SEARCH_TIME_LIMIT_MS = 20_000
