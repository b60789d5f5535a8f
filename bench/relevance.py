"""Search relevance on throwaway databases of each kind, as a figure for bench/RESULTS.md.

    python -m bench.relevance [--filler 300] [--databases sqlite postgresql]

Imports the named terms of ``devkit.relevance`` among ``--filler`` generated ones (whose names
share words with them, as real glossaries do) into a throwaway database of each kind, runs
every query of its set through the site's search and prints the first-result hit rate and the
misses. ``tests/search/test_relevance.py`` holds the same set to ``GOAL`` on the test database.
"""

import os
import tempfile
from pathlib import Path

from bench._common import (
    child_env,
    header,
    measuring_arguments,
    migrate_and_import,
    run_module,
    throwaway,
)
from bench.results import write_section
from devkit.relevance import NAMED_TERMS, QUERIES, evaluate, report, write_relevance_corpus


def measure():
    """Runs inside the throwaway database's Django (a child process)."""
    import django

    django.setup()
    print(report(*evaluate()))


def run(database, workdir):
    """The relevance report on a new database of kind ``database``."""
    name = f"relevance_{os.getpid()}"
    with throwaway(database, name, workdir) as url:
        env = child_env(url, workdir, CACHE_DIR=str(workdir / f"cache-{database}"))
        migrate_and_import(env, workdir / "corpus", "--format", "json")
        return run_module("bench.relevance", "--measure", env=env)


def main():
    parser = measuring_arguments(__doc__.splitlines()[0], out=True)
    parser.add_argument("--filler", type=int, default=300)
    parser.add_argument(
        "--databases", nargs="+", default=["sqlite", "postgresql"], choices=["sqlite", "postgresql"]
    )
    args = parser.parse_args()
    if args.measure:
        return measure()
    with tempfile.TemporaryDirectory(prefix="relevance-", ignore_cleanup_errors=True) as tmp:
        workdir = Path(tmp)
        write_relevance_corpus(workdir / "corpus", args.filler)
        text = header(
            "search relevance",
            f"corpus: {len(NAMED_TERMS)} named terms among {args.filler} generated, "
            f"{len(QUERIES)} queries",
        )
        for database in args.databases:
            text += f"\n{database}: {run(database, workdir)}"
        print(text)
        if args.out:
            write_section("relevance", f"## Search relevance\n\n```\n{text}```\n")


if __name__ == "__main__":
    main()
