"""Time import_fixtures on a synthetic corpus, on SQLite and PostgreSQL.

    python -m bench.import_benchmark [--terms 10000] [--articles 1000] [--repeat 3]
                                     [--databases sqlite,postgresql]

Each run imports into a new database, thrown away afterwards. Prints a table with the machine
and date: the first import (median and slowest of the runs: on the development machine the
same import took from 34 to 53 s in one day), the unchanged re-run, and the peak memory.
Targets (issue 3): 10,000 terms in 60 s, unchanged re-run in 10 s, peak memory under 500 MB.
"""

import argparse
import datetime
import json
import os
import platform
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench._common import ROOT, manage, throwaway
from devkit.corpus import write_corpus
from importer.report import VERBS


def timed_import(corpus, env):
    """Seconds and peak resident memory (MB) of one import, in a process of its own."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    start = time.perf_counter()
    result = subprocess.run(
        [sys.executable, "manage.py", "import_fixtures", str(corpus), "--format", "json"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
    )
    seconds = time.perf_counter() - start
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    if result.returncode != 0:
        raise SystemExit(result.stdout[-2000:] + result.stderr[-2000:])
    counts = json.loads(result.stdout)["counts"]
    shown = " | ".join(str(counts[verb]) for verb in (*VERBS, "warnings"))
    return seconds, max(peak, before) / 1024, shown


def run(database, corpus, workdir):
    """One first import and its unchanged re-run, in a new database and media folder."""
    scratch = Path(tempfile.mkdtemp(prefix=f"{database}-", dir=workdir))
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.dev",
        "MEDIA_ROOT": str(scratch / "media"),
    }
    try:
        with throwaway(database, f"glossary_bench_{os.getpid()}", scratch) as url:
            env["DATABASE_URL"] = url
            manage(env, "migrate", "--noinput")
            return timed_import(corpus, env), timed_import(corpus, env)
    finally:
        shutil.rmtree(scratch, ignore_errors=True)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--terms", type=int, default=10_000)
    parser.add_argument("--articles", type=int, default=1_000)
    parser.add_argument("--repeat", type=int, default=3, help="imports per database")
    parser.add_argument("--databases", default="sqlite,postgresql")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="glossary-bench-") as tmp:
        workdir = Path(tmp)
        corpus = write_corpus(workdir / "corpus", args.terms, args.articles)
        print(
            f"# import_fixtures benchmark, {datetime.datetime.now(datetime.UTC):%Y-%m-%d %H:%M} UTC"
        )
        machine = f"{platform.node()} {platform.machine()}, {os.cpu_count()} cores"
        print(f"# machine: {machine}, Python {platform.python_version()}")
        print(f"# corpus: {args.terms} terms, {args.articles} articles\n")
        print(
            "| database   | runs | first import, median (s) | slowest (s) | terms/s "
            "| re-run, slowest (s) | peak MB | first run counts |"
        )
        print(
            "|------------|------|--------------------------|-------------|---------"
            "|---------------------|---------|------------------|"
        )
        for database in args.databases.split(","):
            runs = [run(database, corpus, workdir) for _ in range(args.repeat)]
            firsts = [first[0] for first, _ in runs]
            agains = [again[0] for _, again in runs]
            peak = max(max(first[1], again[1]) for first, again in runs)
            counts = {" ".join(first[2].split()) for first, _ in runs}
            if len(counts) != 1:
                raise SystemExit(f"{database}: runs imported different things: {counts}")
            counts = counts.pop()
            median = statistics.median(firsts)
            print(
                f"| {database:<10} | {len(runs):4} | {median:24.1f} | {max(firsts):11.1f} "
                f"| {args.terms / median:7.0f} | {max(agains):19.1f} | {peak:7.0f} | {counts} |"
            )


if __name__ == "__main__":
    main()
