"""The suite's own rules: nothing depends on the machine's speed or on another run."""

import os

from hypothesis import settings as hypothesis_settings

from django.conf import settings


def test_hypothesis_has_no_deadline_and_no_shared_example_database():
    assert hypothesis_settings.default.deadline is None
    assert hypothesis_settings.default.database is None


def test_each_run_has_its_own_database_file_and_cache_folder():
    run = settings.TEST_RUN_ID
    assert os.environ["GLOSSARY_TEST_RUN"] == run
    if settings.DATABASES["default"]["ENGINE"].endswith("sqlite3"):
        assert run in settings.DATABASES["default"]["TEST"]["NAME"]
    if "CACHE_DIR" not in os.environ:
        assert run in str(settings.CACHE_DIR)
