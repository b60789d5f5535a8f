"""Cost of the ways out at full size: the downloads, the read API and the export, on PostgreSQL.

    python -m bench.content_out [--terms 10000] [--articles 1000] [--repeat 5]

Imports a generated corpus into a throwaway database, then times each download and API
response cold (every cache emptied: for a download, the newest build streamed from media
storage while a rebuild is asked for) and warm, with their query counts; the
background rebuild of the downloads and the request after it; and the export of every page.
"""

import os
import shutil
import statistics
import tempfile
import time
from pathlib import Path

from bench._common import (
    child_env,
    header,
    measuring_arguments,
    migrate_and_import,
    run_module,
    throwaway_database,
)
from bench.results import write_section
from devkit.corpus import write_corpus

URLS = [
    "/glossary/download/glossary.csv",
    "/glossary/download/glossary.ttl",
    "/glossary/download/glossary.jsonld",
    "/api/v2/pages/?type=glossary.GlossaryTermPage&limit=100",
    "/api/v2/pages/?type=glossary.GlossaryTermPage&limit=100&fields=*",
    "/api/v2/pages/?type=glossary.GlossaryTermPage&letter=C&limit=100&offset=100",
    "/api/v2/search/?q=cycle+backlog",
]


def measure(repeat):
    """Runs inside the benchmark database's Django (a child process)."""
    import django

    django.setup()
    from django.core.cache import cache
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext, override_settings

    from glossary import downloads
    from importer.exporting import export

    client = Client()
    rows = []
    downloads.rebuild()  # a request never builds: "cold" serves the newest build, behind
    with override_settings(
        DOWNLOAD_RATE_LIMIT="100000/60", API_RATE_LIMIT="100000/60", SEARCH_RATE_LIMIT="100000/60"
    ):
        for url in URLS:
            cold, warm, queries, size = [], [], 0, 0
            for _ in range(repeat):
                cache.clear()
                with CaptureQueriesContext(connection) as captured:
                    start = time.perf_counter()
                    response = client.get(url)
                    cold.append((time.perf_counter() - start) * 1000)
                assert response.status_code == 200, (url, response.status_code)
                queries, size = len(captured), len(response.getvalue())  # downloads stream
                start = time.perf_counter()
                client.get(url)
                warm.append((time.perf_counter() - start) * 1000)
            rows.append(
                (url, statistics.median(cold), max(cold), statistics.median(warm), queries, size)
            )
    # What a change costs: the background rebuild of every download, then a visitor's request
    # for a file it built (the page cache empty, as after the change).
    rebuilds, served = [], []
    for _ in range(repeat):
        cache.clear()
        start = time.perf_counter()
        downloads.rebuild()
        rebuilds.append(time.perf_counter() - start)
        for url in URLS[:3]:
            start = time.perf_counter()
            assert client.get(url).status_code == 200
            served.append((time.perf_counter() - start) * 1000)
    out = Path(tempfile.mkdtemp(prefix="export-bench-"))
    start = time.perf_counter()
    report = export(out)
    export_seconds = time.perf_counter() - start
    shutil.rmtree(out)
    print("| URL | cold median ms | cold max ms | warm median ms | queries (cold) | bytes |")
    print("|---|---|---|---|---|---|")
    for url, median, slowest, warm_median, queries, size in rows:
        print(
            f"| `{url}` | {median:.0f} | {slowest:.0f} | {warm_median:.1f} | {queries} | {size:,} |"
        )
    print(
        f"\nBackground rebuild of the three downloads after a term change (off the request "
        f"path): median {statistics.median(rebuilds):.1f} s, max {max(rebuilds):.1f} s; a "
        f"download requested after it: median {statistics.median(served):.0f} ms, "
        f"max {max(served):.0f} ms."
    )
    print(
        f"\nexport_fixtures of every page: {export_seconds:.1f} s "
        f"({report.counts['as imported']} files as imported, "
        f"{report.counts['from the page']} from the page)"
    )


def main():
    parser = measuring_arguments(__doc__.splitlines()[0], out=True)
    parser.add_argument("--terms", type=int, default=10_000)
    parser.add_argument("--articles", type=int, default=1_000)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    if args.measure:
        return measure(args.repeat)
    workdir = Path(tempfile.mkdtemp(prefix="content-out-"))
    try:
        with throwaway_database(f"content_out_{os.getpid()}") as url:
            env = child_env(url, workdir)  # media and scratch files of its own
            corpus = write_corpus(workdir / "corpus", args.terms, args.articles)
            migrate_and_import(env, corpus, "--format", "json")
            corpus_line = f"corpus: {args.terms} terms, {args.articles} articles, PostgreSQL"
            head = header("content out", corpus_line) + "\n"
            measured = run_module(
                "bench.content_out", "--measure", "--repeat", str(args.repeat), env=env
            )
        print(head + measured)
        if args.out:
            write_section("content out", "## Content out\n\n```\n" + head + "```\n\n" + measured)
    finally:
        shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    main()
