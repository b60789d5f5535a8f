"""Lighthouse (mobile, its default throttling) on a term page and an article page of the site as
``make bench-serve`` serves it: gunicorn, production settings, PostgreSQL, 10,000 terms, with
nginx in front serving uploaded images as ``deploy/nginx.conf`` does.

    python -m bench.lighthouse [--terms 10000] [--articles 1000] [--out bench/RESULTS.md|-]

Prints each page's four category scores (goal: 100 in each) and writes them to
bench/RESULTS.md. The performance score is timed, so it is a benchmark figure, held here; the
other three are also held by ``tests/checks/test_lighthouse.py`` on every CI run.
"""

import os
import platform
import re
import shutil
import tempfile

from bench._common import ROOT, free_port, process, publish, site_arguments, utc_now, wait_for
from bench.serve_benchmark import running_site
from devkit.browser import CATEGORIES, lighthouse


def nginx_conf(folder, port, site_port):
    """Plain HTTP on ``port``: the production config's media location, the rest proxied."""
    production = (ROOT / "deploy" / "nginx.conf").read_text()
    media = re.search(r"location /media/ \{.*?\}", production, re.DOTALL).group()
    media = media.replace("/srv/glossary/media/", f"{folder}/media/")
    return (
        f"daemon off; worker_processes 1; pid {folder}/nginx.pid; error_log {folder}/nginx.err;\n"
        "events { worker_connections 256; }\n"
        f"http {{ access_log off; include /etc/nginx/mime.types; server {{ listen 127.0.0.1:{port};\n"
        f"{media}\n"
        f"location / {{ proxy_pass http://127.0.0.1:{site_port}; proxy_set_header Host $host; }}\n"
        "} }\n"
    )


def main():
    args = site_arguments(__doc__.splitlines()[0], terms=10_000, articles=1_000).parse_args()
    rows = []
    with running_site(args.terms, args.articles) as site, tempfile.TemporaryDirectory() as work:
        port = free_port()
        conf = site.tmp / "lighthouse-nginx.conf"
        conf.write_text(nginx_conf(site.tmp, port, site.port))
        with process([shutil.which("nginx"), "-c", str(conf)]):
            base = f"http://127.0.0.1:{port}"
            wait_for(base + site.terms[0])
            for kind, path in (("term", site.terms[0]), ("article", site.articles[0])):
                scores, short = lighthouse(base + path, work)
                rows.append((kind, path, scores, short))
    lines = [
        "## Lighthouse (mobile)",
        "",
        f"- date: {utc_now()}; machine: {platform.machine()}, {os.cpu_count()} cores",
        f"- site: nginx (uploaded images) before gunicorn, production settings, PostgreSQL, "
        f"{args.terms} terms, {args.articles} articles; Lighthouse's default mobile emulation "
        "and throttling",
        "",
        "| page | " + " | ".join(CATEGORIES) + " | short of full marks |",
        "|---|" + "---:|" * len(CATEGORIES) + "---|",
    ]
    for kind, path, scores, short in rows:
        marks = " | ".join(str(scores[name]) for name in CATEGORIES)
        lines.append(f"| {kind} `{path}` | {marks} | {', '.join(short) or '–'} |")
    publish("\n".join(lines), args.out, "lighthouse")


if __name__ == "__main__":
    main()
