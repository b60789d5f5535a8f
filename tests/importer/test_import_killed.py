"""An import killed at random points (SIGKILL: no cleanup of any kind) leaves no half page, a
page tree ``fixtree`` finds clean, and derived state (letters, related terms, the A–Z) that
the next run puts right. The kill points are random, after the process has started (a kill
while Python loads Django proves nothing); the seed is printed for a replay."""

import os
import random
import signal
import subprocess
import sys
import time
from io import StringIO

import pytest

from django.core.management import call_command

from devkit.corpus import write_corpus
from glossary.models import GlossaryTermPage, TermNeighbour
from importer.models import ImportedRecord, ImportRun
from pulse.models import PulseArticlePage
from tests.servers import ROOT, server_env

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

# The size of the corpus proves nothing here: what matters is where the kills land. The killed
# runs update every term one by one (Wagtail's path), then do the work after the writes; the
# kills are spread over all of such a run after start-up (a process of its own, most of a
# kill's cost, while Python loads Django).
TERMS, ARTICLES, KILLS = 20, 6, 5


def start_import(folder, env, *options):
    return subprocess.Popen(  # noqa: S603 - fixed arguments
        [sys.executable, "manage.py", "import_fixtures", *options, str(folder)],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )


def assert_no_half_pages():
    for model in (GlossaryTermPage, PulseArticlePage):
        pages = model.objects.all()
        assert not pages.filter(latest_revision__isnull=True).exists(), model
        assert not pages.filter(live=True, live_revision__isnull=True).exists(), model
        # Every page the import wrote is on record, so a later run updates instead of adding.
        assert (
            pages.count()
            == ImportedRecord.objects.filter(
                kind="term" if model is GlossaryTermPage else "article"
            ).count()
        )
    out = StringIO()
    call_command("fixtree", "--noinput", stdout=out)
    assert "No problems found." in out.getvalue(), out.getvalue()


def rewrite_descriptions(folder, round_number):
    """Change every term, so the next runs update pages (Wagtail's own path) as well."""
    for path in (folder / "glossary").glob("*.txt"):
        text = path.read_text(encoding="utf-8")
        path.write_text(text.replace("description: ", f"description: (r{round_number}) ", 1))


def test_an_import_killed_at_random_points_leaves_a_clean_site(tmp_path):
    seed = int(os.environ.get("KILL_SEED", random.randrange(1_000_000)))  # noqa: S311
    rng = random.Random(seed)  # noqa: S311 - kill points, not security
    print(f"kill points from seed {seed} (KILL_SEED={seed} replays them)")
    folder = tmp_path / "corpus"
    write_corpus(folder, TERMS, ARTICLES)
    env = server_env({"CACHE_DIR": str(tmp_path / "cache")})

    # How long the command takes to start (Django loaded, nothing read), and a whole run that
    # updates every term (what the killed runs do), to spread the kills over all the rest.
    started = time.monotonic()
    idle = start_import(folder, env, "--help")
    assert idle.wait(timeout=300) == 0, idle.stderr.read().decode()
    idle.stderr.close()
    startup = time.monotonic() - started
    for round_number in (0, 1):
        started = time.monotonic()
        whole = start_import(folder, env)
        assert whole.wait(timeout=300) == 0, whole.stderr.read().decode()
        whole.stderr.close()
        whole_run = time.monotonic() - started
        rewrite_descriptions(folder, round_number)
    print(f"start-up {startup:.1f} s, a whole run {whole_run:.1f} s")

    kills = completed = 0
    while kills < KILLS:
        started = time.monotonic()
        process = start_import(folder, env)
        try:
            process.wait(timeout=rng.uniform(startup, max(startup, whole_run) * 1.1))
        except subprocess.TimeoutExpired:
            process.send_signal(signal.SIGKILL)
            process.wait(timeout=30)
            kills += 1
        else:
            assert process.returncode == 0, process.stderr.read().decode()
            completed += 1
            # A whole run as long as the machine takes now (a busy moment passed, or came).
            whole_run = time.monotonic() - started
        process.stderr.close()
        assert_no_half_pages()
        # Every term changed again: the next run, recovering, is a whole run too.
        rewrite_descriptions(folder, 2 + kills + completed)
    print(f"{kills} runs killed, {completed} finished between them")

    final = start_import(folder, env)
    assert final.wait(timeout=300) == 0, final.stderr.read().decode()
    assert_no_half_pages()
    assert GlossaryTermPage.objects.live().count() == TERMS
    assert PulseArticlePage.objects.live().count() == ARTICLES
    # Whatever a killed run left undone after its writes, the next run finished.
    assert not ImportRun.objects.filter(finished_at__isnull=True).exists()
    last = GlossaryTermPage.objects.order_by("title").last()
    assert TermNeighbour.objects.filter(term=last, kind=TermNeighbour.PREVIOUS).exists()
    assert not GlossaryTermPage.objects.filter(letter="").exists()


def test_a_run_after_a_killed_one_finishes_its_work_even_with_nothing_to_write(tmp_path):
    """The kill the random test may not hit: after the last batch, before what follows it."""
    folder = tmp_path / "corpus"
    write_corpus(folder, 12, 2)
    call_command("import_fixtures", str(folder), stdout=StringIO())
    # What a run killed after its writes leaves: pages in place, nothing derived from them.
    TermNeighbour.objects.all().delete()
    killed = ImportRun.objects.create()

    call_command("import_fixtures", str(folder), stdout=StringIO())  # every file unchanged

    assert TermNeighbour.objects.filter(kind=TermNeighbour.PREVIOUS).count() == 11
    killed.refresh_from_db()
    assert killed.status == ImportRun.Status.INTERRUPTED
    assert ImportRun.objects.latest("started_at").status == ImportRun.Status.FINISHED
