"""The neighbourhood recompute at scale: the whole glossary, and one change followed term by
term (what the worker does after each publish).

    python -m bench.neighbourhood [--sizes 10000 100000] [--changes 20] [--write]

Runs on PostgreSQL (``DATABASE_URL``, or a throwaway database made and dropped here). Terms
are written with the importer's bulk path and a vocabulary shaped like a real glossary's
(a few common words, many rare ones: log-uniform draws), so related lists are not empty as
they are with ``bench.corpus``'s 32 words. Each size grows the same database. For each
change (a rename, an unpublish, a publish again, a new term) it times ``record_changes`` +
``drain`` and counts their queries. ``--write`` replaces the section of bench/RESULTS.md.
"""

import argparse
import datetime
import os
import platform
import random
import statistics
import subprocess
import time
from contextlib import ExitStack

PG = os.environ.get("BENCH_POSTGRES", "postgres://postgres@127.0.0.1:5432")


def vocabulary(size):
    """``size`` made-up words of letters only (4 letters or more)."""
    letters = "abcdefghijklmnopqrstuvwxyz"
    words = []
    for number in range(size):
        word, value = "", number + 26**3
        while value:
            value, digit = divmod(value, 26)
            word = letters[digit] + word
        words.append("q" + word)
    return words


def draw(rng, words):
    """A word, the first ones far more often (log-uniform rank)."""
    return words[int(len(words) ** rng.random()) - 1]


def synthetic_terms(count, seed=1, start=0, glossary=None):
    """Unsaved terms numbered from ``start``: names of two words and a number, a description
    and two questions, from a vocabulary sized for a ``glossary`` of that many terms."""
    from glossary.alphabet import letter_for
    from glossary.models import GlossaryTermPage

    rng = random.Random(seed * 1_000_003 + start)  # noqa: S311 - test data
    words = vocabulary(max(2_000, (glossary or start + count) // 2))
    terms = []
    for number in range(start, start + count):
        title = f"{draw(rng, words).capitalize()} {draw(rng, words)} {number}"
        terms.append(
            GlossaryTermPage(
                title=title,
                slug=f"term-{number}",
                term_id=f"n{number:08d}",
                letter=letter_for(title),
                description=" ".join(draw(rng, words) for _ in range(15)).capitalize() + ".",
                key_questions=[
                    ("question", f"How does {draw(rng, words)} {draw(rng, words)} work?")
                    for _ in range(2)
                ],
                body=[],
            )
        )
    return terms


def add_terms(count, start, batch=2_000):
    from django.db import transaction

    from glossary.models import GlossaryIndexPage
    from importer.bulk import create_pages

    parent = GlossaryIndexPage.objects.get()
    for offset in range(0, count, batch):
        with transaction.atomic():
            create_pages(parent, synthetic_terms(min(batch, count - offset), start=start + offset))


def timed_change(change):
    """Apply ``change`` (returns the changed term ids), then catch up as the worker does."""
    from django.db import connection, transaction
    from django.test.utils import CaptureQueriesContext

    from glossary import related

    with transaction.atomic():
        term_ids = change()
        related.record_changes(term_ids)
    with CaptureQueriesContext(connection) as queries:
        started = time.perf_counter()
        changed = related.drain()
        seconds = time.perf_counter() - started
    return seconds, len(queries), len(changed)


def changes(rng, size, count):
    """Editors' changes: renames, unpublishing, publishing again and new terms."""
    from glossary.models import GlossaryTermPage
    from importer.bulk import create_pages

    ids = list(GlossaryTermPage.objects.order_by("pk").values_list("pk", flat=True))
    picked = rng.sample(ids, count)
    made = []
    for number, term_id in enumerate(picked):
        kind = ("rename", "unpublish", "publish", "new")[number % 4]
        if kind == "rename":

            def change(term_id=term_id, number=number):
                GlossaryTermPage.objects.filter(pk=term_id).update(title=f"Renamed term {number}")
                return [term_id]

        elif kind == "unpublish":

            def change(term_id=term_id):
                GlossaryTermPage.objects.filter(pk=term_id).update(live=False)
                made.append(term_id)
                return [term_id]

        elif kind == "publish":

            def change():
                term_id = made.pop()
                GlossaryTermPage.objects.filter(pk=term_id).update(live=True)
                return [term_id]

        else:

            def change(number=number):
                from glossary.models import GlossaryIndexPage

                (term,) = synthetic_terms(
                    1, seed=7, start=10_000_000 + size + number, glossary=size
                )
                create_pages(GlossaryIndexPage.objects.get(), [term])
                return [term.pk]

        yield kind, change


def measure(size, count):
    from glossary import related

    started = time.perf_counter()
    related.recompute()
    full = time.perf_counter() - started
    rows = []
    for kind, change in changes(random.Random(size), size, count):
        rows.append((kind, *timed_change(change)))
    return full, rows


def report(results, count):
    lines = [
        "## Related, previous and next terms: whole glossary and one change",
        "",
        f"- date: {datetime.datetime.now(datetime.UTC):%Y-%m-%d %H:%M} UTC; machine: "
        f"{platform.machine()}, {os.cpu_count()} cores (shared), Python {platform.python_version()}",
        "- PostgreSQL; synthetic terms (log-uniform vocabulary, see bench/neighbourhood.py); "
        f"{count} changes per size (renames, unpublishes, publishes again, new terms), each "
        "timed from `related.drain()` as the worker runs it",
        "",
        "| terms | full recompute s | change p50 ms | change p95 ms | change max ms "
        "| queries per change (min–max) | lists rewritten per change (median) |",
        "|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for size, (full, rows) in results.items():
        times = sorted(seconds * 1000 for _, seconds, _, _ in rows)
        queries = [count for _, _, count, _ in rows]
        p95 = times[min(len(times) - 1, int(len(times) * 0.95))]
        lines.append(
            f"| {size:,} | {full:.1f} | {statistics.median(times):.0f} | {p95:.0f} "
            f"| {times[-1]:.0f} | {min(queries)}–{max(queries)} "
            f"| {statistics.median(changed for *_, changed in rows):.0f} |"
        )
    return "\n".join(lines)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000])
    parser.add_argument("--changes", type=int, default=20)
    parser.add_argument("--write", action="store_true")
    args = parser.parse_args()
    with ExitStack() as stack:
        if not os.environ.get("DATABASE_URL"):
            name = f"glossary_neighbourhood_{os.getpid()}"
            subprocess.run(["psql", f"{PG}/postgres", "-qc", f"CREATE DATABASE {name}"], check=True)  # noqa: S603, S607
            stack.callback(
                subprocess.run,
                ["psql", f"{PG}/postgres", "-qc", f"DROP DATABASE IF EXISTS {name} WITH (FORCE)"],  # noqa: S607
            )
            os.environ["DATABASE_URL"] = f"{PG}/{name}"
        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")
        import django

        django.setup()
        from django.core.management import call_command

        from glossary.models import GlossaryTermPage

        call_command("migrate", verbosity=0)
        results = {}
        for size in sorted(args.sizes):
            have = GlossaryTermPage.objects.count()
            started = time.perf_counter()
            add_terms(size - have, start=have)
            print(f"# {size:,} terms written in {time.perf_counter() - started:.0f} s", flush=True)
            results[size] = measure(size, args.changes)
            print(report({size: results[size]}, args.changes).splitlines()[-1], flush=True)
        text = report(results, args.changes)
        print(text)
        if args.write:
            from bench.results import write_section

            write_section("neighbourhood", text)


if __name__ == "__main__":
    main()
