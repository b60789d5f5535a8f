"""Plain helpers of the scale benchmark (no Django): HTTP to the site under test, the import
timed in a process of its own, memory of a process tree, percentiles."""

import http.client
import os
import statistics
import subprocess
import sys
import time

from bench._common import ROOT, children, percentile, rss_mb

BENCH_REDIS_URL = os.environ.get("BENCH_SCALE_REDIS_URL", "redis://127.0.0.1:6379/15")
SEARCHES = ["capacity planning", "process", "risk", "stratgy", "opera", "lean demand"]


def summary(values):
    """(p50, p95) of ``values``, or (None, None) for none."""
    if not values:
        return None, None
    return statistics.median(values), percentile(values, 95)


def tree_rss_mb(pid):
    """Resident memory of a process and all its descendants, MB."""
    return rss_mb(pid) + sum(tree_rss_mb(child) for child in children(pid))


class Http:
    """Requests to the site under test, over HTTP/1.1 on loopback; redirects not followed."""

    def __init__(self, port):
        self.port = port
        self.cookies = {}

    def request(self, method, path, body=None, headers=None, cookies=None):
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=600)
        sent = {"Host": "127.0.0.1", **(headers or {})}
        jar = self.cookies if cookies is None else cookies
        if jar:
            sent["Cookie"] = "; ".join(f"{name}={value}" for name, value in jar.items())
        start = time.perf_counter()
        try:
            connection.request(method, path, body=body, headers=sent)
            response = connection.getresponse()
            content = response.read()
        finally:
            connection.close()
        elapsed = time.perf_counter() - start
        return response.status, dict(response.getheaders()), content, elapsed

    def get(self, path, **kwargs):
        return self.request("GET", path, **kwargs)


def timed_import(env, corpus):
    """Seconds and peak resident memory (MB) of ``import_fixtures`` in a process of its own."""
    start = time.perf_counter()
    proc = subprocess.Popen(
        [sys.executable, "manage.py", "import_fixtures", str(corpus), "--format", "json"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    # wait4: the peak memory of this child alone, not of every child this process had.
    _, status, usage = os.wait4(proc.pid, 0)
    seconds = time.perf_counter() - start
    proc.returncode = os.waitstatus_to_exitcode(status)
    if proc.returncode:
        raise SystemExit("import_fixtures failed:\n" + proc.stderr.read().decode()[-3000:])
    return seconds, usage.ru_maxrss / 1024


def git_commit():
    result = subprocess.run(
        ["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True
    )
    return result.stdout.strip() or "unknown"
