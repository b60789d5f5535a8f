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

import json
import os
import shutil
import tempfile
import time
from pathlib import Path

from bench._common import (
    child_env,
    header,
    manage,
    measuring_arguments,
    rss_mb,
    run_module,
    throwaway_database,
)
from bench.results import write_section
from devkit.corpus import write_corpus

GOAL_MB = 60


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
    corpus = write_corpus(workdir / f"corpus-{terms}", terms=terms, articles=max(5, terms // 20))
    try:
        with throwaway_database(f"web_memory_{os.getpid()}_{terms}") as url:
            # The web process's own cache (local memory), as each test process has.
            env = child_env(
                url,
                workdir,
                CACHE_DIR=str(workdir / f"cache-{terms}"),
                TEST_SHARED_CACHE="0",
                LINKS_RELINK="inline",
            )
            manage(env, "migrate", "--noinput")
            started = time.monotonic()
            manage(env, "import_fixtures", str(corpus))
            imported = time.monotonic() - started
            relink = manage(env, "relink_mentions", "--all").strip()
            result = json.loads(run_module("bench.web_memory", "--measure", env=env).strip())
    finally:
        shutil.rmtree(corpus, ignore_errors=True)
    result.update(terms=terms, import_s=round(imported, 1), relink=relink)
    return result


def main():
    parser = measuring_arguments(__doc__.splitlines()[0], out=False)
    parser.add_argument("--terms", type=int, nargs="+", default=[100, 10_000])
    args = parser.parse_args()
    if args.measure:
        return measure()
    with tempfile.TemporaryDirectory(prefix="web-memory-", ignore_cleanup_errors=True) as tmp:
        rows = [run(terms, Path(tmp)) for terms in args.terms]
    base = rows[0]["served_mb"]
    text = header("web process memory", "PostgreSQL") + (
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
        write_section("web-memory", f"## Web process memory\n\n```\n{text}```\n")


if __name__ == "__main__":
    main()
