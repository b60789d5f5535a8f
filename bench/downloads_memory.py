"""Memory and time of one build of the downloads (``glossary.downloads.rebuild``), on PostgreSQL.

    python -m bench.downloads_memory --terms 1000 10000 [--articles 100] [--out]

For each size: imports a generated corpus into a throwaway database, then builds the three
files in a fresh process twice: once plain (wall time, and the process's peak RSS above what
it held before the build) and once under tracemalloc (peak of Python allocations during the
build). Sizes of the files written are reported too. ``--compare`` measures the in-memory
builder it replaced the same way (its source read from git).
"""

import argparse
import datetime
import os
import platform
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

PG = "postgres://postgres@127.0.0.1:5432"


def _rss_mb():
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return 0.0


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
    before = _rss_mb()
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
    from bench.corpus import write_corpus

    name = f"downloads_mem_{os.getpid()}_{terms}"
    workdir = Path(tempfile.mkdtemp(prefix="downloads-mem-"))
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.test",
        "DATABASE_URL": f"{PG}/{name}",
        "TEST_SHARED_CACHE": "1",
        "CACHE_DIR": str(workdir / "cache"),
        "MEDIA_ROOT": str(workdir / "media"),
        "TMPDIR": str(workdir),
    }
    subprocess.run(["psql", f"{PG}/postgres", "-qc", f"CREATE DATABASE {name}"], check=True)
    try:
        corpus = write_corpus(workdir / "corpus", terms, articles)
        manage = [sys.executable, "manage.py"]
        subprocess.run([*manage, "migrate", "-v0"], env=env, check=True)
        subprocess.run(
            [*manage, "import_fixtures", str(corpus), "--format", "json"],
            env=env,
            check=True,
            stdout=subprocess.DEVNULL,
        )
        lines = []
        runs = [["--plain"], ["--traced"]]
        if compare:
            runs += [["--plain", "--old"], ["--traced", "--old"]]
        for flags in runs:
            lines.append(
                subprocess.run(
                    [sys.executable, "-m", "bench.downloads_memory", *flags],
                    env=env,
                    check=True,
                    capture_output=True,
                    text=True,
                ).stdout.strip()
            )
        return lines
    finally:
        subprocess.run(["psql", f"{PG}/postgres", "-qc", f"DROP DATABASE {name}"], check=False)
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
    header = (
        f"# downloads built in chunks, {datetime.datetime.now(datetime.UTC):%Y-%m-%d %H:%M} UTC\n"
        f"# machine: {platform.node()} {platform.machine()}, {os.cpu_count()} cores\n"
    )
    lines = [line for terms in args.terms for line in run(terms, args.articles, args.compare)]
    print(header + "\n".join(lines))
    if args.out:
        from bench.results import write_section

        write_section(
            "downloads built in chunks",
            "## Downloads built in chunks\n\n```\n" + header + "\n".join(lines) + "\n```\n",
        )


if __name__ == "__main__":
    main()
