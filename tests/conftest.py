import os

import pytest
from hypothesis import settings as hypothesis_settings

from django.db import connections

from devkit.browser import CHROMIUM, CHROMIUM_ARGS  # one list of Chromium flags

# Speed belongs in benchmarks: no example fails for taking long on a busy machine. No example
# database either, so two runs on one machine share no folder.
hypothesis_settings.register_profile("suite", deadline=None, database=None)
hypothesis_settings.load_profile("suite")


@pytest.fixture(autouse=True)
def _media_root(request, settings, tmp_path):
    """Each test writes uploaded images to its own folder; the tests of a class whose
    ``setUpTestData`` made images share the run's folder (settings.test), where those files
    were written before any test's own folder existed."""
    from django.test import TestCase

    cls = request.node.cls
    has_class_data = (
        cls is not None
        and issubclass(cls, TestCase)
        and cls.setUpTestData.__func__ is not TestCase.setUpTestData.__func__
    )
    if has_class_data:
        return
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture(autouse=True)
def _fresh_cache():
    """The database is rolled back after each test; the cache (pages, tokens, the linked-terms
    version) must start empty too, or a page cached by one test would answer the next."""
    from django.core.cache import cache

    cache.clear()


@pytest.fixture
def browser(tmp_path, monkeypatch):
    """Debian's Chromium driven by Playwright (no browser download), in a fresh profile."""
    if not CHROMIUM.exists():
        message = "needs Chromium at /usr/bin/chromium (apt-get install chromium; CI installs it)"
        if os.environ.get("REQUIRE_CHECKERS") == "1":
            pytest.fail(message)
        pytest.skip(message)
    from playwright.sync_api import sync_playwright

    # Playwright's sync API runs an event loop in this thread; the test's own ORM calls are
    # still synchronous, so Django's async-safety guard is lifted for browser tests only.
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    with sync_playwright() as playwright:
        context = playwright.chromium.launch_persistent_context(
            str(tmp_path / "profile"),
            executable_path=str(CHROMIUM),
            args=CHROMIUM_ARGS,
            viewport={"width": 1280, "height": 1000},
        )
        context.set_default_timeout(20_000)
        # Every page the test opens, admin included, runs under the site's
        # Content-Security-Policy: a violation in the console fails the test.
        violations = []

        def record_violation(message):
            if "Content Security Policy" in message.text:
                violations.append(message.text)

        context.on("console", record_violation)
        yield context
        context.close()
        assert violations == [], "CSP violations in the browser console"
        # The test's ORM calls ran in Playwright's context, with connections of their own:
        # close them here, or PostgreSQL cannot drop the test database at the end.
        connections.close_all()


def pytest_xdist_make_scheduler(config, log):
    """pytest-xdist hands out a test class whole (its ``setUpTestData`` runs once) and any
    other test alone, in the order pytest-django sorted them: transactional tests, which
    empty the database, run on each worker after the tests that need its migrated content.
    xdist's own ``loadscope`` groups a module's functions, which mixes the two kinds."""
    from xdist.scheduler import LoadScopeScheduling

    class ClassScheduling(LoadScopeScheduling):
        def _split_scope(self, nodeid):
            path, *names = nodeid.split("::")
            return "::".join([path, names[0]]) if len(names) > 1 else nodeid

    config.option.loadscopereorder = False
    return ClassScheduling(config, log)


# What a browser, a checker or a server of its own reads does not depend on the database
# behind the site, nor does a test that makes a database of its own: CI runs these once, on
# PostgreSQL (``make test TEST_ARGS='-m "not external"'`` on SQLite). ``make test`` alone runs
# everything.
EXTERNAL_FOLDERS = ("tests/checks/", "tests/e2e/")
EXTERNAL_MODULES = ("tests/core/test_serving.py",)
EXTERNAL_TESTS = (
    # Kills an import into an SQLite file of its own, whatever the suite's database.
    "tests/importer/test_command_runs.py::test_a_killed_import_leaves_a_sound_tree_and_the_next_run_completes",
)

# The tests that run for tens of seconds (``pytest --durations=25`` on CI), handed out first
# (longest processing time first): started last, one of them would keep a worker busy while
# the others have finished. pytest-django then sorts them into their kind (database tests,
# transactional tests, the rest) without changing their order inside it.
LONG_TESTS = (
    "tests/checks/test_accessibility.py::",
    "tests/importer/test_import_killed.py::test_an_import_killed_at_random_points",
    "tests/importer/test_command_runs.py::test_a_killed_import",
    "tests/checks/test_linkcheck.py::",
    "tests/e2e/test_cards.py::",
    "tests/importer/test_export.py::GeneratedCorpusExportTests::",
)


@pytest.hookimpl(tryfirst=True)  # before pytest-django's sort, which keeps this order
def pytest_collection_modifyitems(config, items):
    for item in items:
        path = item.nodeid.split("::")[0]
        if (
            path.startswith(EXTERNAL_FOLDERS)
            or path in EXTERNAL_MODULES
            or item.nodeid in EXTERNAL_TESTS
        ):
            item.add_marker(pytest.mark.external)
    items.sort(key=lambda item: not item.nodeid.startswith(LONG_TESTS))
