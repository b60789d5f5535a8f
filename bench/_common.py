"""What the benchmarks share: throwaway databases, child processes and servers, the memory of a
process, the lines every report starts with. Nothing here is timed."""

import argparse
import datetime
import os
import platform
import re
import socket
import subprocess
import sys
import time
import urllib.request
from contextlib import contextmanager, nullcontext
from pathlib import Path

from bench.results import RESULTS, write_section

ROOT = Path(__file__).resolve().parent.parent
PG = os.environ.get("BENCH_POSTGRES", "postgres://postgres@127.0.0.1:5432")


# --- databases and Django in child processes ---------------------------------------------------


@contextmanager
def throwaway_database(name):
    """A PostgreSQL database made for the block and dropped after it (even if still in use);
    yields its URL."""
    subprocess.run(["psql", f"{PG}/postgres", "-qc", f"CREATE DATABASE {name}"], check=True)
    try:
        yield f"{PG}/{name}"
    finally:
        drop = f"DROP DATABASE IF EXISTS {name} WITH (FORCE)"
        subprocess.run(["psql", f"{PG}/postgres", "-qc", drop], check=False)


def throwaway(kind, name, folder):
    """A database of ``kind`` (sqlite or postgresql) for the block: a PostgreSQL one is dropped
    after it, an SQLite file is left in ``folder`` (the caller's scratch folder)."""
    if kind == "sqlite":
        return nullcontext(f"sqlite:///{Path(folder) / name}.sqlite3")
    return throwaway_database(name)


def child_env(database_url, workdir, **extra):
    """A child Django's environment: test settings on ``database_url``, with a cache shared by
    its processes and scratch files of its own under ``workdir``; ``extra`` added or replaced."""
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.test",
        "DATABASE_URL": database_url,
        "TEST_SHARED_CACHE": "1",
        "CACHE_DIR": str(Path(workdir) / "cache"),
        "TMPDIR": str(workdir),
        **extra,
    }


def production_env(database_url, tmp, redis_url, **extra):
    """The site's environment with production settings, as the serving benchmarks run it: media
    in ``tmp``, a Redis database of the benchmark's own, no per-client limits (one address sends
    every request: the limits are not what is measured); ``extra`` added or replaced."""
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.production",
        "SECRET_KEY": "bench-only-secret",
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "SECURE_SSL_REDIRECT": "0",
        "DATABASE_URL": database_url,
        "REDIS_URL": redis_url,
        "MEDIA_ROOT": str(Path(tmp) / "media"),
        "LOG_LEVEL": "ERROR",
        **{f"{name}_RATE_LIMIT": "1000000/60" for name in ("SEARCH", "SUGGEST", "API", "DOWNLOAD")},
        **extra,
    }


def gunicorn_command(workers=2):
    """gunicorn as production runs it (``config/gunicorn.py``), without access logs; add
    ``-b ADDRESS APP``."""
    return [sys.executable, "-m", "gunicorn", "-c", "config/gunicorn.py", "-w", str(workers)] + [
        "--access-logfile",
        "/dev/null",
    ]


def manage(env, *args):
    """``manage.py ARGS`` in a process of its own; its output (its errors shown if it fails)."""
    result = subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True
    )
    if result.returncode:
        raise SystemExit(f"manage.py {' '.join(args)} failed:\n{result.stderr[-3000:]}")
    return result.stdout


def migrate_and_import(env, corpus, *flags):
    """The schema, then ``import_fixtures`` of ``corpus``: a benchmark's database ready."""
    manage(env, "migrate", "--noinput")
    manage(env, "import_fixtures", str(corpus), *flags)


def run_module(module, *args, env):
    """``python -m MODULE ARGS`` (a benchmark measuring in a fresh process): its output."""
    return subprocess.run(
        [sys.executable, "-m", module, *args],
        cwd=ROOT,
        env=env,
        check=True,
        stdout=subprocess.PIPE,
        text=True,
    ).stdout


# --- servers and clients -----------------------------------------------------------------------


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for(url, seconds=60):
    """The body of ``url`` once it answers (a server starting), or the last error after
    ``seconds``."""
    deadline = time.monotonic() + seconds
    while True:
        try:
            with urllib.request.urlopen(url, timeout=5) as response:  # noqa: S310 - local
                return response.read()
        except OSError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.3)


@contextmanager
def process(args, env=None, cwd=ROOT):
    """A server for the length of the block; stopped (killed if it will not stop) after."""
    proc = subprocess.Popen(
        args, cwd=cwd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    try:
        yield proc
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=60)  # gunicorn lets requests in flight finish
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


def wrk_script(folder, name, paths, body):
    """A wrk Lua script ``name`` in ``folder``: the table ``paths``, then ``body``."""
    listing = ",".join(f'"{path}"' for path in paths)
    script = Path(folder) / name
    script.write_text("local paths = {" + listing + "}\n" + body)
    return script


# --- processes' memory -------------------------------------------------------------------------


def rss_mb(pid="self"):
    """Resident memory of a process, MB (0 once it has gone)."""
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except FileNotFoundError:
        return 0.0
    found = re.search(r"VmRSS:\s+(\d+)", status)
    return int(found.group(1)) / 1024 if found else 0.0


def children(pid):
    try:
        return [int(c) for c in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()]
    except FileNotFoundError:
        return []


# --- figures and reports -----------------------------------------------------------------------


def percentile(values, pct):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(pct / 100 * (len(ordered) - 1)))]


def utc_now():
    return f"{datetime.datetime.now(datetime.UTC):%Y-%m-%d %H:%M} UTC"


def header(title, *lines):
    """A plain-text report's first lines: what, when, on which machine, then ``lines``."""
    machine = f"{platform.node()} {platform.machine()}, {os.cpu_count()} cores"
    return "".join(
        f"# {line}\n" for line in (f"{title}, {utc_now()}", f"machine: {machine}", *lines)
    )


def markdown_head(title):
    """A Markdown report's first lines: its heading, the date and the machine."""
    return [
        f"# {title}",
        "",
        f"- date: {utc_now()}",
        f"- machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}",
    ]


def site_arguments(description, terms, articles):
    """A parser with the options of every benchmark that serves the site: corpus size, and
    where the report goes (``-``: printed only)."""
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument("--terms", type=int, default=terms)
    parser.add_argument("--articles", type=int, default=articles)
    parser.add_argument("--out", default=str(RESULTS), help="'-': print only")
    return parser


def measuring_arguments(description, *, out):
    """A parser for a benchmark that measures in a fresh process of its own (``--measure``,
    hidden) and may write its section of bench/RESULTS.md (``--out``/``--no-out``)."""
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument("--measure", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument(
        "--out", action=argparse.BooleanOptionalAction, default=out, help="write bench/RESULTS.md"
    )
    return parser


def publish(text, out, section):
    """Print the report and, unless ``out`` is ``-``, replace its section of ``out``."""
    print(text)
    if out != "-":
        write_section(section, text, Path(out))


def publish_verdict(report, out, section):
    """``publish`` a report that passes or fails (``report``: text, passed); the exit status
    says which."""
    text, passed = report
    publish(text, out, section)
    raise SystemExit(0 if passed else 1)
