"""How fast the site serves, side by side with the limits of this machine.

    python -m bench.serve_benchmark [--terms 10000] [--articles 1000] [--duration 10]

Builds the corpus on PostgreSQL (``DATABASE_URL``, or a throwaway database made and dropped
here), collects static files, starts gunicorn (2 workers, production settings) and measures
with wrk in one run:

- the bare-Django ceiling: a Django view returning the same HTML through the same middleware;
- a term page cold (a different term on every request, never requested before);
- the same page warm (the page cache), and through Varnish (``deploy/varnish.vcl``);
- nginx serving the same HTML as a static file (the physical limit);
- p50/p95 of single cold requests of every public page type.

Prints a Markdown report with the machine and date and writes it to ``bench/RESULTS.md``
(``--out``). Targets are checked and any missed one is named; nothing here fails a build.
"""

import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from pathlib import Path

import redis

from bench._common import (
    ROOT,
    free_port,
    gunicorn_command,
    manage,
    markdown_head,
    percentile,
    process,
    production_env,
    publish,
    site_arguments,
    throwaway_database,
    wait_for,
    wrk_script,
)
from devkit.corpus import write_corpus
from devkit.relevance import NAMED_TERMS

BENCH_REDIS_URL = os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/14")
TARGETS = {
    "cold / ceiling": 0.15,
    "warm / ceiling": 0.6,
    "varnish / nginx": 0.8,
    "cold p95 ms": 30,
    "search p95 ms": 50,
}


def fetch_ms(url):
    start = time.perf_counter()
    with urllib.request.urlopen(url, timeout=60) as response:  # noqa: S310 - local
        response.read()
    return (time.perf_counter() - start) * 1000


def wrk(url, duration, connections=8, script=None):
    args = ["wrk", "-t2", f"-c{connections}", f"-d{duration}s", "--latency", url]
    if script:
        args[1:1] = ["-s", str(script)]
    out = subprocess.run(args, capture_output=True, text=True, check=True).stdout
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    return rps, int(errors.group(1)) if errors else 0


def cold_term_script(paths, folder):
    """A wrk script giving each request a term never requested before (threads interleave)."""
    return wrk_script(
        folder,
        "cold.lua",
        paths,
        "local counter = 1\n"
        "function setup(thread) thread:set('offset', counter); counter = counter + 1 end\n"
        "function init(args) index = offset end\n"
        "function request()\n"
        "  local path = paths[index] or paths[#paths]\n"
        "  index = index + 2\n"
        "  return wrk.format('GET', path)\n"
        "end\n",
    )


def django_query(env, code):
    return subprocess.run(
        [sys.executable, "manage.py", "shell", "--no-imports", "-c", code],
        cwd=ROOT,
        env=env,
        check=True,
        capture_output=True,
        text=True,
    ).stdout.split()


@dataclass
class Site:
    """The site running for a benchmark: its environment, address, folder and public URLs."""

    env: dict
    base: str
    tmp: Path
    terms: list
    articles: list
    gunicorn: list  # the command, to start more servers of the same kind
    port: int
    pid: int  # gunicorn's master


@contextmanager
def running_site(terms, articles, workers=2):
    """The corpus imported into PostgreSQL (``DATABASE_URL``, or a throwaway database made and
    dropped here) and served by gunicorn with production settings, as ``Site``."""
    stack = ExitStack()
    tmp = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="glossary-serve-")))
    tmp.chmod(0o755)
    database_url = os.environ.get("DATABASE_URL", "") or stack.enter_context(
        throwaway_database(f"glossary_bench_{os.getpid()}")
    )
    # Production requires Redis: a database of its own, emptied before the run.
    env = production_env(database_url, tmp, BENCH_REDIS_URL)
    with stack:
        redis.Redis.from_url(BENCH_REDIS_URL).flushdb()  # no page from an earlier run
        # Real names among the generated ones, for the searches a visitor mistypes.
        write_corpus(tmp / "corpus", terms, articles, named=NAMED_TERMS)
        manage(env, "migrate", "--noinput")
        manage(env, "collectstatic", "--noinput")
        manage(env, "import_fixtures", str(tmp / "corpus"))
        term_urls = django_query(
            env,
            "from glossary.models import GlossaryTermPage as T\n"
            "print(*[t.url for t in T.objects.live().order_by('?')])",
        )
        article_urls = django_query(
            env,
            "from pulse.models import PulseArticlePage as A\n"
            "print(*[a.url for a in A.objects.live().order_by('?')[:200]])",
        )
        port = free_port()
        gunicorn = gunicorn_command(workers)
        server = stack.enter_context(
            process([*gunicorn, "-b", f"127.0.0.1:{port}", "config.wsgi"], env)
        )
        base = f"http://127.0.0.1:{port}"
        wait_for(base + term_urls[0])
        yield Site(env, base, tmp, term_urls, article_urls, gunicorn, port, server.pid)


def run(args):
    with running_site(args.terms, args.articles) as site, ExitStack() as stack:
        env, base, tmp, terms, articles = site.env, site.base, site.tmp, site.terms, site.articles
        gunicorn, port = site.gunicorn, site.port
        ceiling_port, varnish_port, nginx_port = (free_port() for _ in range(3))
        sample = terms[0]
        html = wait_for(base + sample)
        (tmp / "static-site").mkdir()
        (tmp / "static-site" / "term.html").write_bytes(html)
        (tmp / "term.html").write_bytes(html)
        ceiling_env = {**env, "BENCH_CEILING_HTML": str(tmp / "term.html")}
        stack.enter_context(
            process(
                [*gunicorn, "-b", f"127.0.0.1:{ceiling_port}", "bench.ceiling:application"],
                ceiling_env,
            )
        )
        wait_for(f"http://127.0.0.1:{ceiling_port}/")
        vcl = (ROOT / "deploy" / "varnish.vcl").read_text().replace('"8000"', f'"{port}"')
        (tmp / "site.vcl").write_text(vcl)
        varnish = [shutil.which("varnishd"), "-F", "-a", f"127.0.0.1:{varnish_port}"]
        varnish += ["-f", str(tmp / "site.vcl"), "-n", str(tmp / "varnish"), "-s", "malloc,256m"]
        stack.enter_context(process(varnish))
        nginx_conf = tmp / "nginx.conf"
        nginx_conf.write_text(
            f"daemon off; worker_processes 2; pid {tmp}/nginx.pid; error_log {tmp}/nginx.err;\n"
            "events { worker_connections 1024; }\n"
            f"http {{ access_log off; server {{ listen 127.0.0.1:{nginx_port}; root {tmp}/static-site; }} }}\n"
        )
        stack.enter_context(process([shutil.which("nginx"), "-c", str(nginx_conf)]))
        wait_for(f"http://127.0.0.1:{varnish_port}{sample}")
        wait_for(f"http://127.0.0.1:{nginx_port}/term.html")

        d = args.duration
        rows = {}
        rows["bare Django (same HTML)"] = wrk(f"http://127.0.0.1:{ceiling_port}/", d)
        cold_paths = terms[1:]
        rows["term page, cold"] = wrk(base, d, script=cold_term_script(cold_paths, tmp))
        rows["term page, warm (page cache)"] = wrk(base + sample, d)
        rows["term page, through Varnish"] = wrk(f"http://127.0.0.1:{varnish_port}{sample}", d)
        rows["nginx, static file"] = wrk(f"http://127.0.0.1:{nginx_port}/term.html", d)

        # Single cold requests: the stored pages are deleted before each (a query string the
        # view ignores no longer makes a new cache key: core/page_cache.py).
        used = set(cold_paths[: int(rows["term page, cold"][0] * d * 1.2) + 10])
        fresh_terms = [path for path in terms if path not in used] or terms
        pages = {
            "term": fresh_terms,
            "article": articles,
            "glossary index": ["/glossary/"],
            "letter page": ["/glossary/letter/c/"],
            "Pulse index": ["/pulse/"],
            "search": [
                "/search/?q=capacity+planning",
                "/search/?q=kanban+freight",
                "/search/?q=stratgy",  # a typing mistake
                "/search/?q=capacity+planing",
                "/search/?q=opera",  # the start of a name
                "/search/?q=SLA",  # an abbreviation
            ],
            "search suggestions": ["/search/suggest/?q=capa"],
            "sitemap index": ["/sitemap.xml"],
            "sitemap, glossary file": ["/sitemap-glossary.xml"],
        }
        latencies = {}
        for name, paths in pages.items():
            times = []
            for n in range(args.samples):
                forget_stored_pages()
                times.append(fetch_ms(base + paths[n % len(paths)]))
            latencies[name] = (statistics.median(times), percentile(times, 95))
    return rows, latencies


def forget_stored_pages():
    """Delete the page cache's stored responses (not its tokens) from the bench's Redis."""
    client = redis.Redis.from_url(BENCH_REDIS_URL)
    keys = list(client.scan_iter(match="*pagecache:entry:*", count=1000))
    if keys:
        client.delete(*keys)


def report(args, rows, latencies):
    ceiling = rows["bare Django (same HTML)"][0]
    nginx = rows["nginx, static file"][0]
    ratios = {
        "cold / ceiling": rows["term page, cold"][0] / ceiling,
        "warm / ceiling": rows["term page, warm (page cache)"][0] / ceiling,
        "varnish / nginx": rows["term page, through Varnish"][0] / nginx,
    }
    cold_p95 = max(p95 for name, (_, p95) in latencies.items() if not name.startswith("search"))
    search_p95 = max(p95 for name, (_, p95) in latencies.items() if name == "search")
    lines = [
        *markdown_head("Serving benchmark (`make bench-serve`)"),
        f"- corpus: {args.terms} generated terms and {len(NAMED_TERMS)} real ones, "
        f"{args.articles} articles on PostgreSQL; gunicorn with 2 "
        f"workers, production settings, file cache; wrk -t2 -c8 for {args.duration} s each",
        "",
        "| what | requests/s | non-2xx |",
        "|---|---:|---:|",
        *(f"| {name} | {rps:,.0f} | {errors} |" for name, (rps, errors) in rows.items()),
        "",
        f"Single cold requests ({args.samples} each, a new cache key every time):",
        "",
        "| page | p50 ms | p95 ms |",
        "|---|---:|---:|",
        *(f"| {name} | {p50:.1f} | {p95:.1f} |" for name, (p50, p95) in latencies.items()),
        "",
        "| target | wanted | measured | met |",
        "|---|---:|---:|:---:|",
    ]
    measured = {**ratios, "cold p95 ms": cold_p95, "search p95 ms": search_p95}
    for name, wanted in TARGETS.items():
        value = measured[name]
        met = value < wanted if name.endswith("ms") else value >= wanted
        shown = f"{value:.1f}" if name.endswith("ms") else f"{value:.2f}"
        comparison = f"< {wanted}" if name.endswith("ms") else f">= {wanted}"
        lines.append(f"| {name} | {comparison} | {shown} | {'yes' if met else '**no**'} |")
    return "\n".join(lines) + "\n"


def main():
    parser = site_arguments(__doc__.splitlines()[0], terms=10_000, articles=1_000)
    parser.add_argument("--duration", type=int, default=10)
    parser.add_argument("--samples", type=int, default=40)
    args = parser.parse_args()
    rows, latencies = run(args)
    publish(report(args, rows, latencies), args.out, "serve")


if __name__ == "__main__":
    main()
