"""The command as an operator runs it: a progress bar on terminals, and runs that are killed."""

import io
import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from contextlib import closing
from pathlib import Path

import pytest

from django.core.management import call_command

from devkit.corpus import write_corpus

ROOT = Path(__file__).resolve().parents[2]


class Terminal(io.StringIO):
    def isatty(self):
        return True


@pytest.mark.django_db
def test_progress_bar_only_on_a_terminal(tmp_path, settings):
    settings.FIXTURES_DIR = tmp_path
    write_corpus(tmp_path / "one", terms=4, articles=2, seed=1)
    write_corpus(tmp_path / "two", terms=4, articles=2, seed=2)
    plain, terminal = io.StringIO(), Terminal()
    call_command("import_fixtures", str(tmp_path / "one" / "glossary"), stdout=plain)
    call_command(
        "import_fixtures",
        str(tmp_path / "two" / "pulse"),
        str(tmp_path / "two" / "glossary"),
        stdout=terminal,
    )
    assert "\r[" not in plain.getvalue()
    assert "\r[##############################] 6/6" in terminal.getvalue()


def manage(env, *args, **kwargs):
    return subprocess.run(  # noqa: S603 - our own interpreter and manage.py
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        **kwargs,
    )


def imported_count(database):
    """Records the running import has committed so far (0 while the database is busy)."""
    try:
        with closing(sqlite3.connect(f"file:{database}?mode=ro", uri=True, timeout=0.05)) as db:
            return db.execute("SELECT count(*) FROM importer_importedrecord").fetchone()[0]
    except sqlite3.OperationalError:
        return 0


# The import in batches of BATCH pages instead of 500 (``importer.bulk.BATCH_SIZE``): the same
# batches, savepoints and records, eight of them in 400 terms instead of 1,500 for three.
BATCH, TERMS, ARTICLES = 50, 400, 10
IMPORT_IN_SMALL_BATCHES = (
    "import sys, django; django.setup(); import importer.bulk, importer.pipeline; "
    f"importer.bulk.BATCH_SIZE = importer.pipeline.BATCH_SIZE = {BATCH}; "
    "from django.core.management import execute_from_command_line; "
    "execute_from_command_line(['manage.py', *sys.argv[1:]])"
)


def test_a_killed_import_leaves_a_sound_tree_and_the_next_run_completes(tmp_path):
    """Kill an import half-way (SIGKILL, no clean-up), then check the tree and import again."""
    corpus = write_corpus(tmp_path / "corpus", terms=TERMS, articles=ARTICLES)
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.dev",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'killed.sqlite3'}",
        "MEDIA_ROOT": str(tmp_path / "media"),
    }
    assert manage(env, "migrate", "--noinput").returncode == 0
    process = subprocess.Popen(  # noqa: S603
        [sys.executable, "-c", IMPORT_IN_SMALL_BATCHES, "import_fixtures", str(corpus)],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    # Kill it once the articles and the first batch of terms are in: half-way, whatever the speed.
    deadline = time.monotonic() + 300
    while imported_count(tmp_path / "killed.sqlite3") < ARTICLES + BATCH:
        assert process.poll() is None, "the import ended before it could be killed"
        assert time.monotonic() < deadline, "the import wrote nothing in 300 s"
        time.sleep(0.05)
    process.send_signal(signal.SIGKILL)
    process.wait()

    fixtree = manage(env, "fixtree")
    assert fixtree.stdout.count("No problems found.") == 2, fixtree.stdout
    again = manage(env, "import_fixtures", str(corpus), "--format", "json", timeout=600)
    assert again.returncode == 0, again.stdout[-2000:] + again.stderr[-2000:]
    counts = json.loads(again.stdout)["counts"]
    created, updated, unchanged, skipped, failed = (
        counts[verb] for verb in ("created", "updated", "unchanged", "skipped", "failed")
    )
    assert created + unchanged == TERMS + ARTICLES and updated == skipped == failed == 0
    assert created > 0, "the kill came after the import had finished; kill it sooner"
    fixtree = manage(env, "fixtree")
    assert fixtree.stdout.count("No problems found.") == 2, fixtree.stdout
