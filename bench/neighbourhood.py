"""The neighbourhood recompute at scale: the whole glossary, and one change followed term by
term (what the worker does after each publish).

    python -m bench.neighbourhood [--sizes 10000 100000] [--changes 20] [--write]

Runs on PostgreSQL (``DATABASE_URL``, or a throwaway database made and dropped here). Terms
are written by ``devkit.terms``: the importer's bulk path and a vocabulary shaped like a real
glossary's, so related lists are not empty. Each size grows the same database. For each
change (a rename, an unpublish, a publish again, a new term) it times ``record_changes`` +
``drain`` and counts their queries. ``--write`` replaces the section of bench/RESULTS.md.
"""

import argparse
import datetime
import os
import platform
import random
import statistics
import time
from contextlib import ExitStack

from bench._common import throwaway_database
from bench.results import write_section
from devkit.terms import add_terms, synthetic_terms


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
            os.environ["DATABASE_URL"] = stack.enter_context(throwaway_database(name))
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
            write_section("neighbourhood", text)


if __name__ == "__main__":
    main()
