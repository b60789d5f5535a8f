"""Memory and time of one build of the downloads (``glossary.downloads.rebuild``), on PostgreSQL.

    python -m bench.downloads_memory --terms 1000 10000 [--articles 100] [--out]

For each size: imports a generated corpus into a throwaway database, then builds the three
files in a fresh process twice: once plain (wall time, and the process's peak RSS above what
it held before the build) and once under tracemalloc (peak of Python allocations during the
build). Sizes of the files written are reported too. ``--compare`` measures the in-memory
builder it replaced the same way (its source read from git).
"""

import argparse
import os
import resource
import shutil
import subprocess
import tempfile
import time
from pathlib import Path

from bench._common import (
    child_env,
    header,
    migrate_and_import,
    rss_mb,
    run_module,
    throwaway_database,
)
from bench.results import write_section
from devkit.corpus import write_corpus

BEFORE = "4f45f2c"  # the commit before the downloads were built in chunks


def _old_rebuild():
    """The builder as it was before (every term in memory, one rdflib graph), for comparison:
    its source read from git and run as a module of the glossary package."""
    import types

    source = subprocess.run(
        ["git", "show", f"{BEFORE}:glossary/downloads.py"],  # noqa: S607 - our own repository
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    module = types.ModuleType("glossary._downloads_before")
    module.__package__ = "glossary"
    exec(compile(source, "downloads_before.py", "exec"), module.__dict__)  # noqa: S102
    terms = module._source()
    return {name: module.build(name, terms) for name in module.FORMATS}


def measure(traced, old=False):
    """Runs inside the benchmark database's Django (a child process)."""
    import django

    django.setup()
    import tracemalloc

    from django.core.cache import cache

    from glossary import downloads
    from glossary.models import GlossaryTermPage

    count = GlossaryTermPage.objects.count()
    cache.clear()  # new tokens: the build below is not skipped
    downloads._live_index().get_full_url()  # the Site, looked up before the measurement
    before = rss_mb()
    if traced:
        tracemalloc.start()
    start = time.perf_counter()
    build = _old_rebuild() if old else downloads.rebuild()
    seconds = time.perf_counter() - start
    label = "before (in memory)" if old else "chunked"
    if traced:
        _, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        print(f"{label} terms={count} tracemalloc_peak_mb={peak / 2**20:.1f}")
        return
    peak_rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    sizes = (
        ""
        if old
        else " files: "
        + ", ".join(f"{name} {entry['size'] / 2**20:.1f} MB" for name, entry in build.files.items())
    )
    print(
        f"{label} terms={count} seconds={seconds:.1f} rss_before_mb={before:.0f} "
        f"peak_rss_mb={peak_rss:.0f} rss_growth_mb={peak_rss - before:.0f}{sizes}"
    )


def run(terms, articles, compare):
    workdir = Path(tempfile.mkdtemp(prefix="downloads-mem-"))
    try:
        with throwaway_database(f"downloads_mem_{os.getpid()}_{terms}") as url:
            env = child_env(url, workdir, MEDIA_ROOT=str(workdir / "media"))
            migrate_and_import(
                env, write_corpus(workdir / "corpus", terms, articles), "--format", "json"
            )
            runs = [["--plain"], ["--traced"]]
            if compare:
                runs += [["--plain", "--old"], ["--traced", "--old"]]
            return [run_module("bench.downloads_memory", *flags, env=env).strip() for flags in runs]
    finally:
        shutil.rmtree(workdir, ignore_errors=True)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--terms", type=int, nargs="+", default=[1_000, 10_000])
    parser.add_argument("--articles", type=int, default=100)
    parser.add_argument("--plain", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--traced", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--old", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument(
        "--compare", action="store_true", help="also measure the in-memory builder it replaced"
    )
    parser.add_argument("--out", action="store_true", help="write bench/RESULTS.md")
    args = parser.parse_args()
    if args.plain or args.traced:
        measure(traced=args.traced, old=args.old)
        return
    head = header("downloads built in chunks")
    lines = [line for terms in args.terms for line in run(terms, args.articles, args.compare)]
    print(head + "\n".join(lines))
    if args.out:
        write_section(
            "downloads built in chunks",
            "## Downloads built in chunks\n\n```\n" + head + "\n".join(lines) + "\n```\n",
        )


if __name__ == "__main__":
    main()
