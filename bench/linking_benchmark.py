"""Cost of linked terms with a large glossary: building the matcher, and linking one article.

    python -m bench.linking_benchmark [--terms 10000] [--repeat 200]

The article is the seed Pulse article's text (about 1,300 words) as rendered paragraphs.
No database: the matcher is built from synthetic terms shaped like the benchmark corpus.
"""

import argparse
import datetime
import os
import platform
import random
import statistics
import time
from pathlib import Path

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")
django.setup()

from django.utils.html import escape  # noqa: E402

from devkit.corpus import WORDS  # noqa: E402
from glossary.linked_html import build_automaton, linked_body  # noqa: E402

ARTICLE = (
    Path(__file__).resolve().parent.parent
    / "fixtures"
    / "pulse"
    / "what-is-process-strategy-in-operations-management.md"
)


def synthetic_terms(count, rng):
    seen = set()
    while len(seen) < count:
        seen.add(
            " ".join(rng.choice(WORDS) for _ in range(rng.choice((1, 2, 2, 3)))) + f" {len(seen)}"
        )
    # Real names too, so the article has matches to link.
    names = [
        "process strategy",
        "workflow",
        "approval",
        "governance",
        "service level",
        *sorted(seen),
    ]
    return [
        (number, name, "", f"/glossary/t{number}/", "A definition.")
        for number, name in enumerate(names)
    ]


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--terms", type=int, default=10_000)
    parser.add_argument("--repeat", type=int, default=200)
    args = parser.parse_args()
    rng = random.Random(1)  # noqa: S311 - test data
    text = ARTICLE.read_text(encoding="utf-8").split("---\n", 2)[2]
    article = "".join(f"<p>{escape(p.strip())}</p>" for p in text.split("\n\n") if p.strip())

    start = time.perf_counter()
    machine = build_automaton(synthetic_terms(args.terms, rng))
    build_seconds = time.perf_counter() - start

    timings = []
    for _ in range(args.repeat):
        start = time.perf_counter()
        body = linked_body(article, machine=machine)
        timings.append(time.perf_counter() - start)

    print(f"# linked terms benchmark, {datetime.datetime.now(datetime.UTC):%Y-%m-%d %H:%M} UTC")
    print(
        f"# machine: {platform.node()} {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}"
    )
    print(f"# {args.terms} terms; article of {len(text.split())} words; {args.repeat} runs\n")
    print("| build matcher (ms) | link one article, median (ms) | p95 (ms) | terms linked |")
    print("|--------------------|-------------------------------|----------|--------------|")
    p95 = sorted(timings)[int(0.95 * (len(timings) - 1))]
    print(
        f"| {build_seconds * 1000:18.0f} | {statistics.median(timings) * 1000:29.2f} | {p95 * 1000:8.2f} "
        f"| {len(body.terms):12d} |"
    )


if __name__ == "__main__":
    main()
