"""A web process's memory as the glossary grows: it must hold nothing glossary-sized.

    python -m bench.web_memory [--terms 100 10000 100000] [--out]

For each size: a throwaway PostgreSQL database (``BENCH_POSTGRES``), the corpus of
``bench.corpus`` imported (``import_fixtures``, which also stores every page's linked mentions,
as the worker does), then a fresh process serves a term page, an article, a search, the search
box's suggestions, the A–Z index and a letter page through Django's test client, and reports
its resident memory (``VmRSS``). For comparison it then builds what every web process held
before (the linking automaton and the name index) and reports the memory again.

Goal (issue 20): at 100,000 terms a web process within 60 MB of its size at 100 terms.
"""

import argparse
import datetime
import json
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

PG = os.environ.get("BENCH_POSTGRES", "postgres://postgres@127.0.0.1:5432")
GOAL_MB = 60


def rss_mb():
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


def measure():
    """In a fresh process: serve one of each page, then report the memory (JSON)."""
    import django

    django.setup()
    from django.test import Client

    from glossary import linking, names
    from glossary.models import GlossaryTermPage
    from pulse.models import PulseArticlePage

    term = GlossaryTermPage.objects.live().order_by("pk")[5]
    article = PulseArticlePage.objects.live().order_by("pk").first()
    client = Client()
    urls = [
        term.url,
        article.url if article else "/",
        f"/search/?q={term.title.split()[0][:-1]}",
        f"/search/suggest/?q={term.title[:4]}",
        "/glossary/",
        f"/glossary/letter/{term.letter.lower()}/",
    ]
    statuses = {url: client.get(url).status_code for url in urls}
    served = rss_mb()
    built = dict(linking.builds)
    started = time.monotonic()
    linking.automaton()
    names.name_index()
    old_way = rss_mb()
    print(
        json.dumps(
            {
                "served_mb": round(served, 1),
                "statuses": statuses,
                "builds_while_serving": built,
                "with_old_structures_mb": round(old_way, 1),
                "old_build_s": round(time.monotonic() - started, 2),
            }
        )
    )


def run(terms, workdir):
    from bench.corpus import write_corpus

    name = f"web_memory_{os.getpid()}_{terms}"
    url = f"{PG}/{name}"
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.test",
        "DATABASE_URL": url,
        "CACHE_DIR": str(workdir / f"cache-{terms}"),
        "TMPDIR": str(workdir),
        "LINKS_RELINK": "inline",
    }
    corpus = workdir / f"corpus-{terms}"
    write_corpus(corpus, terms=terms, articles=max(5, terms // 20), seed=1)
    subprocess.run(["psql", f"{PG}/postgres", "-qc", f"CREATE DATABASE {name}"], check=True)
    try:
        manage = [sys.executable, "manage.py"]
        subprocess.run([*manage, "migrate", "-v0"], env=env, check=True)
        started = time.monotonic()
        subprocess.run(
            [*manage, "import_fixtures", str(corpus)],
            env=env,
            check=True,
            stdout=subprocess.DEVNULL,
        )
        imported = time.monotonic() - started
        relink = subprocess.run(
            [*manage, "relink_mentions", "--all"],
            env=env,
            check=True,
            stdout=subprocess.PIPE,
            text=True,
        ).stdout.strip()
        result = json.loads(
            subprocess.run(
                [sys.executable, "-m", "bench.web_memory", "--measure"],
                env=env,
                check=True,
                stdout=subprocess.PIPE,
                text=True,
            ).stdout.strip()
        )
        result.update(terms=terms, import_s=round(imported, 1), relink=relink)
        return result
    finally:
        subprocess.run(["psql", f"{PG}/postgres", "-qc", f"DROP DATABASE {name}"], check=False)
        shutil.rmtree(corpus, ignore_errors=True)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--terms", type=int, nargs="+", default=[100, 10_000])
    parser.add_argument("--measure", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument(
        "--out", action=argparse.BooleanOptionalAction, default=False, help="write bench/RESULTS.md"
    )
    args = parser.parse_args()
    if args.measure:
        measure()
        return
    workdir = Path(tempfile.mkdtemp(prefix="web-memory-"))
    try:
        rows = [run(terms, workdir) for terms in args.terms]
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
    base = rows[0]["served_mb"]
    text = (
        f"# web process memory, {datetime.datetime.now(datetime.UTC):%Y-%m-%d %H:%M} UTC\n"
        f"# machine: {platform.node()} {platform.machine()}, {os.cpu_count()} cores; PostgreSQL\n"
        f"{'terms':>8} {'RSS served':>11} {'vs first':>9} {'+old structures':>16} "
        f"{'import s':>9}  full relink\n"
    )
    for row in rows:
        text += (
            f"{row['terms']:>8} {row['served_mb']:>8.1f} MB {row['served_mb'] - base:>+6.1f} MB "
            f"{row['with_old_structures_mb']:>13.1f} MB {row['import_s']:>9.1f}  {row['relink']}\n"
        )
        bad = {url: status for url, status in row["statuses"].items() if status != 200}
        if bad or row["builds_while_serving"]:
            text += f"         not clean: {bad} builds {row['builds_while_serving']}\n"
    growth = rows[-1]["served_mb"] - base
    text += (
        f"goal: within {GOAL_MB} MB of the first size: "
        f"{'met' if growth <= GOAL_MB else 'MISSED'} ({growth:+.1f} MB)\n"
    )
    print(text)
    if args.out:
        from bench.results import write_section

        write_section("web-memory", f"## Web process memory\n\n```\n{text}```\n")


if __name__ == "__main__":
    main()
