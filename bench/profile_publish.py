"""Where an editor's publish request spends its time: queries and Python, on a built database.

    python -m bench.profile_publish DATABASE_URL [--samples 10] [--json OUT.json]
        [--prof OUT.prof] [--top 30] [--explain 5] [--compare SMALL.json] [--static DIR]

Timings are noisy on a shared machine, so this counts: each publish (the admin's edit view
POSTed with the form's own data and "action-publish", as ``bench.scale`` does, but in-process
with Django's test client so that cProfile and ``CaptureQueriesContext`` see it) is recorded
query by query. Queries are grouped by their shape (literals replaced by ``?``), each with its
count per publish; each shape's slowest sample is run again under ``EXPLAIN (ANALYZE,
BUFFERS)`` (rolled back) for its plan and the shared buffers it touches, a measure of work
that other processes on the machine do not change. cProfile's tottime and cumtime of the POSTs
are printed. ``--compare`` lines the shapes up with those of a run at another size (its
``--json``), the growth in buffers first: what does more work at 100,000 terms than at 1,000.

The database is one ``bench.scale``'s import phase built (``--phase``, or ``import_fixtures``
of ``bench.corpus``'s corpus); a task worker (``manage.py worker``) runs beside the publishes,
and each publish waits up to ``--settle`` seconds for an empty queue (the downloads' rebuild
takes longer on a busy machine: waiting for it measures nothing more). ``--drain N``: the first
N publishes wait for an empty queue and report the worker's CPU seconds and tasks.
``--no-worker``: no worker at all, so a publish never shares the machine with one.
``--times-only``: neither cProfile nor EXPLAIN, for times (in-process times are about twice
the gunicorn figures: Django's test instrumentation and the captured queries).
"""

import argparse
import cProfile
import io
import json
import os
import pstats
import random
import re
import secrets
import statistics
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path

from bench.scale import ROOT, children, manage, process, site_env
from bench.serve_benchmark import percentile

LITERALS = [
    (re.compile(r"'(?:[^']|'')*'"), "?"),  # strings
    (re.compile(r"\b\d+(?:\.\d+)?\b"), "?"),  # numbers
    (re.compile(r"\((?:\s*\?\s*,)+\s*\?\s*\)"), "(?...)"),  # IN lists
    (re.compile(r"(?:\(\?(?:, \?)*\)(?:, )?)+"), "(?...)"),  # VALUES rows
]


def shape(sql):
    """The query with its literals replaced: one line per kind of query."""
    for pattern, replacement in LITERALS:
        sql = pattern.sub(replacement, sql)
    return sql


def publish_once(client, pk, marker, profiler=None):
    """GET the edit form, POST it back with "action-publish"; (queries, seconds) of the POST,
    which alone ``profiler`` (if any) sees."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext
    from django.urls import reverse

    from bench.admin_form import form_data

    url = reverse("wagtailadmin_pages:edit", args=[pk])
    response = client.get(url)
    data = form_data(response.context["form"])
    data["description"] = f"{marker} {data['description']}"
    data["action-publish"] = "action-publish"
    with CaptureQueriesContext(connection) as captured:
        if profiler:
            profiler.enable()
        start = time.perf_counter()
        response = client.post(url, data)
        seconds = time.perf_counter() - start
        if profiler:
            profiler.disable()
    if response.status_code != 302:
        raise SystemExit(f"publish {url}: {response.status_code}")
    return captured.captured_queries, seconds


def wait_for_queue(timeout):
    from django_tasks_db.models import DBTaskResult

    start = time.perf_counter()
    while DBTaskResult.objects.ready().exists() or DBTaskResult.objects.running().exists():
        if time.perf_counter() - start > timeout:
            return
        time.sleep(0.2)


def cpu_seconds(pid):
    """User and system CPU seconds of a process and its descendants, reaped ones included."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except FileNotFoundError:
        return 0.0
    ticks = sum(int(value) for value in fields[11:15])  # utime, stime, cutime, cstime
    return ticks / os.sysconf("SC_CLK_TCK") + sum(cpu_seconds(child) for child in children(pid))


def worker_cost(worker_pid, since, before, timeout):
    """After one publish, with the queue drained: the task worker's CPU seconds since
    ``before`` and each task it ran (wall seconds, the machine's load included)."""
    from django_tasks_db.models import DBTaskResult

    wait_for_queue(timeout)
    tasks = DBTaskResult.objects.filter(enqueued_at__gte=since, finished_at__isnull=False)
    return {
        "cpu_s": cpu_seconds(worker_pid) - before,
        "tasks": sorted(
            (
                (
                    task.task_path.rsplit(".", 1)[-1],
                    (task.finished_at - task.started_at).total_seconds(),
                )
                for task in tasks
            ),
            key=lambda item: -item[1],
        ),
    }


NOT_EXPLAINED = ("COMMIT", "BEGIN", "ROLLBACK", "SAVEPOINT", "RELEASE", "SET ")


def explain(sql):
    """EXPLAIN (ANALYZE, BUFFERS) of one statement, rolled back whatever it does: the plan, its
    execution ms and the shared buffers its top node touched (a count the machine's load does
    not change, unlike times)."""
    from django.db import connection, transaction

    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + sql)
        plan = "\n".join(row[0] for row in cursor.fetchall())
        transaction.set_rollback(True)
    executed = re.search(r"Execution Time: ([\d.]+)", plan)
    buffers = re.search(r"Buffers: shared((?: \w+=\d+)+)", plan)
    touched = sum(int(n) for n in re.findall(r"=(\d+)", buffers.group(1))) if buffers else 0
    return plan, float(executed.group(1)) if executed else 0.0, touched


def explain_all(shapes):
    """Each shape's slowest sample explained: ``buffers`` and ``exec_ms`` added to it."""
    for text, found in shapes.items():
        if text.lstrip().upper().startswith(NOT_EXPLAINED):
            continue
        try:
            found["plan"], found["exec_ms"], found["buffers"] = explain(found["sql"])
        except Exception as error:  # a statement that cannot be explained alone
            found["plan"] = f"not explained: {error}"


def measure(args, worker_pid):
    from django.contrib.auth import get_user_model
    from django.test import Client
    from django.utils import timezone

    from glossary.models import GlossaryTermPage

    user = get_user_model().objects.create_superuser(
        f"profile-{secrets.token_hex(3)}", "profile@example.com", secrets.token_urlsafe(16)
    )
    client = Client(HTTP_HOST="127.0.0.1")
    client.force_login(user)
    terms = list(GlossaryTermPage.objects.live().values_list("pk", flat=True))
    random.Random(args.seed).shuffle(terms)  # noqa: S311 - sampling, not security
    shapes = defaultdict(lambda: {"count": 0, "ms": 0.0, "max_ms": 0.0, "sql": ""})
    seconds, counts, costs = [], [], []
    profiler = None if args.times_only else cProfile.Profile()
    # The first publish warms what a long-running web worker holds: not measured. What the
    # import left queued is done before anything is measured (when worker costs are).
    for number, pk in enumerate(terms[: args.samples + 1]):
        marker = f"profmark{number}x{secrets.token_hex(3)}"
        if number == 0:
            publish_once(client, pk, marker)
            if worker_pid:
                wait_for_queue(args.drain_timeout if args.drain else args.settle)
            continue
        since, before = timezone.now(), worker_pid and cpu_seconds(worker_pid)
        queries, elapsed = publish_once(client, pk, marker, profiler)
        if worker_pid and number <= args.drain:
            costs.append(worker_cost(worker_pid, since, before, args.drain_timeout))
        seconds.append(elapsed * 1000)
        counts.append(len(queries))
        for query in queries:
            found = shapes[shape(query["sql"])]
            ms = float(query["time"]) * 1000
            found["count"] += 1
            found["ms"] += ms
            if ms >= found["max_ms"]:
                found["max_ms"], found["sql"] = ms, query["sql"]
        if worker_pid:
            wait_for_queue(args.settle)
    samples = len(seconds)
    for found in shapes.values():
        found["count"] /= samples
        found["ms"] /= samples
    if profiler:
        explain_all(shapes)
    calls = pstats.Stats(profiler).total_calls / samples if profiler else 0
    return {
        "terms": GlossaryTermPage.objects.count(),
        "calls": calls,
        "worker": costs,
        "publish_ms": seconds,
        "queries": counts,
        "shapes": dict(shapes),
    }, profiler


def buffers(shapes):
    return sum(s.get("buffers", 0) * s["count"] for s in shapes.values())


def report(found, profiler, args):
    shapes = found["shapes"]
    total = sum(s["ms"] for s in shapes.values())
    print(f"terms: {found['terms']:,}; publishes: {len(found['publish_ms'])}")
    times = found["publish_ms"]
    print("publish ms (in-process):", " ".join(f"{ms:.0f}" for ms in times))
    print(
        f"p50 / p95 / max: {statistics.median(times):.0f} / {percentile(times, 95):.0f} / {max(times):.0f} ms"
    )
    print(f"queries per publish: {min(found['queries'])}-{max(found['queries'])}")
    print(f"database time per publish (as Django saw it): {total:.1f} ms")
    for cost in found["worker"]:
        tasks = ", ".join(f"{name} {seconds:.1f}" for name, seconds in cost["tasks"])
        print(f"worker after one publish: {cost['cpu_s']:.1f} CPU s; tasks (wall s): {tasks}")
    print()
    print(f"buffers touched per publish (EXPLAIN of each shape's slowest): {buffers(shapes):,.0f}")
    print("query shapes by buffers per publish (buffers, count, server ms once, ms per publish):")
    ranked = sorted(shapes.items(), key=lambda item: -item[1].get("buffers", 0) * item[1]["count"])
    for text, s in ranked[: args.top]:
        print(
            f"{s.get('buffers', 0) * s['count']:8.0f} {s['count']:5.1f} "
            f"{s.get('exec_ms', 0):7.2f} {s['ms']:7.1f}  {text[:200]}"
        )
    if not profiler:
        return
    stream = io.StringIO()
    stats = pstats.Stats(profiler, stream=stream)
    stats.sort_stats("tottime").print_stats(args.top)
    stats.sort_stats("cumulative").print_stats(args.top * 2)
    print(stream.getvalue())
    if args.prof:
        profiler.dump_stats(args.prof)
    for text, s in ranked[: args.explain]:
        print(f"--- EXPLAIN: {text[:300]}")
        print(s.get("plan", ""))


def compare(found, other):
    """Shapes whose buffers per publish grew most from ``other`` (another size)."""
    theirs = other["shapes"]
    rows = []
    for text in set(found["shapes"]) | set(theirs):
        after = found["shapes"].get(text, {"count": 0.0})
        before = theirs.get(text, {"count": 0.0})
        b_after = after.get("buffers", 0) * after["count"]
        b_before = before.get("buffers", 0) * before["count"]
        rows.append((b_after - b_before, b_before, b_after, before["count"], after["count"], text))
    rows.sort(key=lambda row: -row[0])
    print(
        f"\ngrowth from {other['terms']:,} to {found['terms']:,} terms, buffers per publish: "
        f"{buffers(theirs):,.0f} -> {buffers(found['shapes']):,.0f}; queries "
        f"{statistics.median(other['queries'])} -> {statistics.median(found['queries'])}; "
        f"Python calls {other.get('calls', 0):,.0f} -> {found.get('calls', 0):,.0f} per publish"
    )
    print("  growth   before    after  n.before n.after  shape")
    for growth, before, after, n_before, n_after, text in rows[:25]:
        print(
            f"{growth:8.0f} {before:8.0f} {after:8.0f} {n_before:8.1f} {n_after:7.1f}  {text[:200]}"
        )


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("database_url")
    parser.add_argument("--samples", type=int, default=10, help="publishes measured")
    parser.add_argument("--seed", type=int, default=1, help="which terms are published")
    parser.add_argument("--top", type=int, default=30, help="lines of each listing")
    parser.add_argument("--explain", type=int, default=5, help="plans printed")
    parser.add_argument("--json", help="write the query shapes here")
    parser.add_argument("--prof", help="write cProfile's stats here")
    parser.add_argument(
        "--settle", type=float, default=5, help="seconds to wait for the queue between publishes"
    )
    parser.add_argument(
        "--drain", type=int, default=2, help="publishes whose worker cost is measured"
    )
    parser.add_argument("--drain-timeout", type=float, default=1200)
    parser.add_argument(
        "--no-worker",
        action="store_true",
        help="no task worker: the publishes alone (tasks wait; coalesced ones are enqueued once)",
    )
    parser.add_argument(
        "--times-only", action="store_true", help="no cProfile and no EXPLAIN: times undisturbed"
    )
    parser.add_argument("--static", help="a STATIC_ROOT to keep between runs")
    parser.add_argument("--compare", help="a --json written at another size")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="glossary-profile-") as tmp:
        env = site_env(args.database_url, Path(tmp), f"profile-{secrets.token_hex(3)}")
        env["TMPDIR"] = tmp
        if args.static:
            env["STATIC_ROOT"] = args.static
        if not (Path(env["STATIC_ROOT"]) / "staticfiles.json").exists():
            manage(env, "collectstatic", "--noinput")
        os.environ.update(env)
        sys.path.insert(0, str(ROOT))
        import django

        django.setup()
        from django.test.utils import setup_test_environment

        setup_test_environment()  # response.context, for the edit form
        from django.conf import settings

        settings.DEBUG = False
        worker = [sys.executable, "manage.py", "worker"]
        if args.no_worker:
            found, profiler = measure(args, None)
        else:
            with process(worker, env) as worker_process:
                found, profiler = measure(args, worker_process.pid)
        report(found, profiler, args)
    if args.json:
        for shape_found in found["shapes"].values():
            shape_found.pop("plan", None)
        Path(args.json).write_text(json.dumps(found))
    if args.compare:
        compare(found, json.loads(Path(args.compare).read_text()))


if __name__ == "__main__":
    main()
