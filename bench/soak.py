"""Soak: the site under steady load for minutes, on the 10,000-term corpus.

    python -m bench.soak [--terms 10000] [--articles 1000] [--minutes 5] [--connections 50]

The site runs as ``bench.serve_benchmark`` runs it (PostgreSQL, gunicorn with 2 workers,
production settings). wrk sends a mix of every public page type, a random URL each time, so
pages are both computed and served from the page cache. The workers' memory is sampled every
10 s. It passes with no 5xx response and worker memory growing less than 10 % after the first
minute (warm-up fills caches). The table goes to bench/RESULTS.md (section "soak"). Not in CI:
it takes about ten minutes.
"""

import re
import subprocess
import time

from bench._common import (
    children,
    markdown_head,
    publish_verdict,
    rss_mb,
    site_arguments,
    wrk_script,
)
from bench.serve_benchmark import running_site

SEARCHES = ["capacity", "process", "risk", "kanban", "quality+value", "lean+demand", "forcast"]
WARM_UP_SECONDS = 60
GROWTH_LIMIT = 0.10


def mix_script(site, folder):
    """A wrk script: each request a random public URL, with status classes counted."""
    paths = (
        site.terms
        + site.articles * 5
        + ["/", "/glossary/", "/pulse/", "/sitemap.xml", "/sitemap-glossary.xml"] * 20
        + [f"/glossary/letter/{letter}/" for letter in "abcdefghijklmnopqrstuvwxyz"] * 4
        + [f"/search/?q={query}" for query in SEARCHES] * 30
        + [f"/search/suggest/?q={query[:4]}" for query in SEARCHES] * 30
    )
    return wrk_script(
        folder,
        "mix.lua",
        paths,
        "local threads = {}\n"
        "function setup(thread) table.insert(threads, thread) end\n"
        "function init(args) math.randomseed(os.time() + #threads)\n"
        "  counts = {0, 0, 0, 0, 0} end\n"
        "function request() return wrk.format('GET', paths[math.random(#paths)]) end\n"
        "function response(status, headers, body)\n"
        "  local class = math.floor(status / 100)\n"
        "  counts[class] = counts[class] + 1 end\n"
        "function done(summary, latency, requests)\n"
        "  local total = {0, 0, 0, 0, 0}\n"
        "  for _, thread in ipairs(threads) do\n"
        "    local c = thread:get('counts')\n"
        "    for i = 1, 5 do total[i] = total[i] + c[i] end end\n"
        "  io.write(string.format('STATUS %d %d %d %d\\n', total[2], total[3], total[4], total[5]))\n"
        "  io.write(string.format('LATENCY %.1f %.1f %.1f\\n', latency:percentile(50) / 1000,\n"
        "    latency:percentile(99) / 1000, latency.max / 1000))\n"
        "end\n",
    )


def worker_memory(master_pid):
    """{worker pid: resident MB} of gunicorn's workers."""
    return {pid: mb for pid in children(master_pid) if (mb := rss_mb(pid))}  # gone: left out


def soak(args):
    with running_site(args.terms, args.articles) as site:
        script = mix_script(site, site.tmp)
        seconds = int(args.minutes * 60)
        wrk = subprocess.Popen(  # noqa: S603 - fixed arguments
            ["wrk", "-t2", f"-c{args.connections}", f"-d{seconds}s", "--timeout", "30s"]
            + ["-s", str(script), site.base],
            stdout=subprocess.PIPE,
            text=True,
        )
        started = time.monotonic()
        samples = []  # (seconds, {pid: MB})
        while wrk.poll() is None:
            samples.append((time.monotonic() - started, worker_memory(site.pid)))
            time.sleep(10)
        output = wrk.stdout.read()
    return output, samples


def report(args, output, samples):
    ok, redirects, client_errors, server_errors = (
        int(n) for n in re.search(r"STATUS (\d+) (\d+) (\d+) (\d+)", output).groups()
    )
    p50, p99, worst = (float(n) for n in re.search(r"LATENCY (\S+) (\S+) (\S+)", output).groups())
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1))
    socket_errors = re.search(r"Socket errors: (.*)", output)
    after_warm_up = [memory for at, memory in samples if at >= WARM_UP_SECONDS] or [samples[-1][1]]
    first, last = after_warm_up[0], after_warm_up[-1]
    restarted = set(first) != set(last)
    growth = (sum(last.values()) - sum(first.values())) / sum(first.values())
    peak = max(sum(memory.values()) for _, memory in samples)
    passed = server_errors == 0 and growth < GROWTH_LIMIT and not restarted
    lines = [
        *markdown_head("Soak (`python -m bench.soak`)"),
        f"- corpus: {args.terms} terms, {args.articles} articles on PostgreSQL; gunicorn with 2 "
        f"workers, production settings, file cache",
        f"- load: wrk, {args.connections} connections for {args.minutes:g} minutes; each request "
        "a random URL of every public page type (terms, articles, indexes, letters, search, "
        "suggestions, sitemaps)",
        "",
        "| measure | value |",
        "|---|---:|",
        f"| requests/s | {rps:,.0f} |",
        f"| 2xx / 3xx / 4xx | {ok:,} / {redirects:,} / {client_errors:,} |",
        f"| **5xx** | **{server_errors:,}** |",
        f"| socket errors | {socket_errors.group(1) if socket_errors else 'none'} |",
        f"| latency p50 / p99 / max (ms) | {p50:.1f} / {p99:.1f} / {worst:.1f} |",
        f"| workers' memory after {WARM_UP_SECONDS} s / at the end (MB) | "
        f"{sum(first.values()):.0f} / {sum(last.values()):.0f} |",
        f"| growth after warm-up | {growth:+.1%} (limit {GROWTH_LIMIT:.0%}) |",
        f"| peak memory (MB) | {peak:.0f} |",
        f"| worker restarted | {'yes' if restarted else 'no'} |",
        "",
        f"Result: **{'passed' if passed else 'failed'}** (no 5xx, flat memory).",
    ]
    return "\n".join(lines) + "\n", passed


def main():
    parser = site_arguments(__doc__.splitlines()[0], terms=10_000, articles=1_000)
    parser.add_argument("--minutes", type=float, default=5)
    parser.add_argument("--connections", type=int, default=50)
    args = parser.parse_args()
    publish_verdict(report(args, *soak(args)), args.out, "soak")


if __name__ == "__main__":
    main()
