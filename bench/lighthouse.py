"""Lighthouse (mobile, its default throttling) on a term page and an article page of the site as
``make bench-serve`` serves it: gunicorn, production settings, PostgreSQL, 10,000 terms, with
nginx in front serving uploaded images as ``deploy/nginx.conf`` does.

    python -m bench.lighthouse [--terms 10000] [--articles 1000] [--out bench/RESULTS.md|-]

Prints each page's four category scores (goal: 100 in each) and writes them to
bench/RESULTS.md. The performance score is timed, so it is a benchmark figure, held here; the
other three are also held by ``tests/checks/test_lighthouse.py`` on every CI run.
"""

import argparse
import datetime
import json
import os
import platform
import re
import shutil
import subprocess
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
LIGHTHOUSE = ROOT / "node_modules" / ".bin" / "lighthouse"
CHROMIUM = Path("/usr/bin/chromium")
# How this machine runs Chromium as root, with no network chatter (tests/conftest.py too).
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
CATEGORIES = ["performance", "accessibility", "best-practices", "seo"]


def lighthouse(url, workdir, categories=CATEGORIES):
    """({category: score 0..100}, [audits that fell short]) for one run on ``url``."""
    workdir = Path(workdir)
    report = workdir / "lighthouse.json"
    flags = " ".join([*CHROMIUM_ARGS, f"--user-data-dir={workdir / 'lighthouse-profile'}"])
    subprocess.run(  # noqa: S603 - our own checker and arguments
        [
            str(LIGHTHOUSE),
            url,
            "--quiet",
            "--output=json",
            f"--output-path={report}",
            f"--only-categories={','.join(categories)}",
            f"--chrome-flags={flags}",
        ],
        check=True,
        env={"CHROME_PATH": str(CHROMIUM), "PATH": os.environ["PATH"], "HOME": str(workdir)},
        timeout=180,
    )
    data = json.loads(report.read_text())
    scores = {name: round(data["categories"][name]["score"] * 100) for name in categories}
    short = [
        f"{audit['id']} ({audit['score']})"
        for audit in data["audits"].values()
        if audit.get("score") is not None
        and audit["score"] < 1
        and audit.get("scoreDisplayMode") in ("binary", "numeric", "metricSavings")
    ]
    return scores, short


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
    from bench.results import write_section
    from bench.serve_benchmark import free_port, process, running_site, wait_for

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--terms", type=int, default=10_000)
    parser.add_argument("--articles", type=int, default=1_000)
    parser.add_argument("--out", default=str(ROOT / "bench" / "RESULTS.md"), help="'-': print only")
    args = parser.parse_args()
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
    now = datetime.datetime.now(datetime.UTC)
    lines = [
        "## Lighthouse (mobile)",
        "",
        f"- date: {now:%Y-%m-%d %H:%M} UTC; machine: {platform.machine()}, {os.cpu_count()} cores",
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
    text = "\n".join(lines)
    print(text)
    if args.out != "-":
        write_section("lighthouse", text, Path(args.out))


if __name__ == "__main__":
    main()
