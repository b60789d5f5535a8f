"""PostgreSQL stopped and started again under load: what visitors get meanwhile.

    python -m bench.db_restart [--terms 300] [--down 15]

The site runs as ``bench.serve_benchmark`` runs it (gunicorn, 2 workers, production settings,
kept database connections). Eight clients request pages the page cache has not seen (a new
query string each time) and ``/health/``. After 15 s this stops the local PostgreSQL cluster
(``pg_ctlcluster ... stop -m fast``), starts it again ``--down`` seconds later, and goes on for
20 s. Wanted: only 200s before; fast 503s (never a hang or a 500) while it is down; 200s again
within seconds of its return, with no restart of anything else. The table goes to
bench/RESULTS.md (section "database restart"). Stops the machine's PostgreSQL: not in CI.
"""

import collections
import subprocess
import threading
import time
import urllib.error
import urllib.request
from itertools import count

from bench._common import markdown_head, publish_verdict, site_arguments
from bench.serve_benchmark import running_site

CLIENTS = 8
BEFORE, AFTER = 15, 20


def cluster():
    """(version, name) of the local PostgreSQL cluster."""
    line = subprocess.run(
        ["pg_lsclusters", "-h"], capture_output=True, text=True, check=True
    ).stdout.split()
    return line[0], line[1]


def fetch(url):
    started = time.monotonic()
    try:
        with urllib.request.urlopen(url, timeout=30) as response:  # noqa: S310 - local
            response.read()
            status = response.status
    except urllib.error.HTTPError as error:
        status = error.code
    except OSError:
        status = "no answer"
    return status, (time.monotonic() - started) * 1000


def load(site, stop, results, numbers):
    paths = [*site.terms[:50], "/glossary/", "/search/?q=capacity", "/health/"]
    while not stop.is_set():
        n = next(numbers)
        path = paths[n % len(paths)]
        separator = "&" if "?" in path else "?"
        url = site.base + path + ("" if path == "/health/" else f"{separator}restart={n}")
        status, ms = fetch(url)
        results.append((time.monotonic(), status, ms))


def run(args):
    version, name = cluster()
    results = []
    with running_site(args.terms, args.articles) as site:
        stop, numbers = threading.Event(), count()
        clients = [
            threading.Thread(target=load, args=(site, stop, results, numbers))
            for _ in range(CLIENTS)
        ]
        for client in clients:
            client.start()
        try:
            time.sleep(BEFORE)
            stopped_at = time.monotonic()
            subprocess.run(["pg_ctlcluster", version, name, "stop", "-m", "fast"], check=True)
            time.sleep(args.down)
        finally:
            started_at = time.monotonic()
            subprocess.run(["pg_ctlcluster", version, name, "start"], check=True)
        time.sleep(AFTER)
        stop.set()
        for client in clients:
            client.join()
    return results, stopped_at, started_at


def report(args, results, stopped_at, started_at):
    phases = collections.OrderedDict(
        (
            ("before the stop", [r for r in results if r[0] < stopped_at]),
            ("database down", [r for r in results if stopped_at <= r[0] < started_at]),
            ("after the start", [r for r in results if r[0] >= started_at]),
        )
    )
    first_ok = min((r[0] for r in phases["after the start"] if r[1] == 200), default=None)
    after_first_ok = [r for r in phases["after the start"] if first_ok and r[0] > first_ok]
    failures_after = sum(1 for r in after_first_ok if r[1] != 200)
    lines = [
        *markdown_head("Database restart under load (`python -m bench.db_restart`)"),
        f"- {args.terms} terms on PostgreSQL; gunicorn with 2 workers, production settings "
        f"(kept connections, health-checked); {CLIENTS} clients of uncached pages and /health/; "
        f"PostgreSQL stopped (`-m fast`) for {args.down} s",
        "",
        "| phase | requests | statuses | median ms | slowest ms |",
        "|---|---:|---|---:|---:|",
    ]
    for phase, rows in phases.items():
        statuses = collections.Counter(str(r[1]) for r in rows)
        shown = ", ".join(f"{status}: {n}" for status, n in sorted(statuses.items()))
        times = sorted(r[2] for r in rows) or [0]
        lines.append(
            f"| {phase} | {len(rows)} | {shown} | {times[len(times) // 2]:.0f} | {times[-1]:.0f} |"
        )
    recovery = f"{(first_ok - started_at):.1f} s" if first_ok else "never"
    lines += [
        "",
        f"First 200 after the start command returned: {recovery}; "
        f"responses other than 200 after it: {failures_after}.",
    ]
    down = phases["database down"]
    passed = (
        all(r[1] == 200 for r in phases["before the stop"])
        and all(r[1] in (200, 503) for r in down)
        and first_ok is not None
        and failures_after == 0
    )
    lines.append(f"Result: **{'passed' if passed else 'failed'}**.")
    return "\n".join(lines) + "\n", passed


def main():
    parser = site_arguments(__doc__.splitlines()[0], terms=300, articles=30)
    parser.add_argument("--down", type=int, default=15)
    args = parser.parse_args()
    publish_verdict(report(args, *run(args)), args.out, "database restart")


if __name__ == "__main__":
    main()
