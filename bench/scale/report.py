"""The scale benchmark's report: Markdown, each figure beside its goal."""

import datetime
import os
import platform

from bench.scale.site import summary
from devkit.relevance import NAMED_TERMS

GOALS = {
    "import s": 300,
    "publish p95 ms": 300,
    "publish ratio": 1.5,
    "web worker growth MB": 60,
    "upload request ms": 1000,
}


def fmt(value, digits=0, unit=""):
    return "n/a" if value is None else f"{value:,.{digits}f}{unit}"


def verdict(value, goal):
    if value is None:
        return "not measured"
    return "yes" if value <= goal else "**no**"


def report(args, phases):
    """Markdown: the machine, the date, the corpus and each figure beside its goal."""
    now = datetime.datetime.now(datetime.UTC)
    full = phases[-1]
    small = phases[0] if len(phases) > 1 else None
    p50, p95 = summary(full["publish_ms"])
    small_p95 = summary(small["publish_ms"])[1] if small else None
    ratio = p95 / small_p95 if small_p95 else None
    lag50, lag95 = summary(full.get("current_s", []))
    web = max(full["memory_mb"]["web"] or [0])
    small_web = max(small["memory_mb"]["web"] or [0]) if small else None
    growth = web - small_web if small_web else None
    heading = "Scale benchmark (`make bench-scale`)"
    if args.label:
        heading += f": {args.label}"
    lines = [
        f"# {heading}",
        "",
        f"- date: {now:%Y-%m-%d %H:%M} UTC; site at commit {full.get('commit', 'unknown')}",
        f"- machine: {platform.machine()}, {os.cpu_count()} cores, Python "
        f"{platform.python_version()}; shared with other work while measured (six sessions "
        "on two cores): times are upper bounds",
        f"- corpus: {full['terms']:,} generated terms and {len(NAMED_TERMS)} real ones, "
        f"{full['articles']:,} articles, PostgreSQL; gunicorn with 2 workers and one task "
        "worker (`manage.py worker`), production settings, Redis",
        f"- small size for the ratios: {small['terms']:,} terms, {small['articles']:,} articles"
        if small
        else "- no small size (`--small` not below `--terms`)",
        *(
            [f"- load average (1 min) when measuring began / ended: {load[0]:.1f} / {load[-1]:.1f}"]
            if (load := full.get("load_average"))
            else []
        ),
        *([f"- note: {args.note}"] if args.note else []),
        "",
        "| figure | measured | goal | met |",
        "|---|---:|---:|:---:|",
        f"| import_fixtures, first import of {full['terms']:,} terms | {fmt(full['import']['seconds'], 1, ' s')} "
        f"| ≤ 300 s | {verdict(full['import']['seconds'], GOALS['import s'])} |",
        f"| import_fixtures, peak memory | {fmt(full['import']['peak_mb'], 0, ' MB')} | — | |",
        f"| queue drained after the import | {fmt(full['import'].get('queue_drained_s'), 1, ' s')}"
        " | — | |",
        f"| publish (admin edit view), p50 / p95 at {full['terms']:,} terms "
        f"| {fmt(p50)} / {fmt(p95)} ms | p95 ≤ 300 ms | {verdict(p95, GOALS['publish p95 ms'])} |",
    ]
    if small:
        s50, s95 = summary(small["publish_ms"])
        lines += [
            f"| publish, p50 / p95 at {small['terms']:,} terms | {fmt(s50)} / {fmt(s95)} ms "
            f"| p95 ≤ 300 ms | {verdict(s95, GOALS['publish p95 ms'])} |",
            f"| publish p95, {full['terms']:,} / {small['terms']:,} terms | {fmt(ratio, 2)} "
            f"| ≤ 1.5 | {verdict(ratio, GOALS['publish ratio'])} |",
        ]
    late = full.get("current_late", 0)
    lines += [
        f"| publish → all current (queue empty, {full.get('current_pages', 'n/a')} pages "
        f"checked), p50 / p95 | {fmt(lag50, 1)} / {fmt(lag95, 1)} s"
        + (f" ({late} of {len(full['current_s'])} past {args.fresh_timeout} s)" if late else "")
        + " | stated, shown | |",
        f"| web worker memory (each, largest) | {fmt(web)} MB | — | |",
    ]
    if small:
        lines.append(
            f"| web worker growth, {small['terms']:,} → {full['terms']:,} terms | "
            f"{fmt(growth)} MB | ≤ 60 MB (vs 100 terms) | "
            f"{verdict(growth, GOALS['web worker growth MB'])} |"
        )
    lines.append(
        f"| task worker memory (with children) | {fmt(full['memory_mb']['worker'])} MB | — | |"
    )
    for name, times in full.get("first_hit_ms", {}).items():
        lines.append(f"| first hit, {name}, p95 | {fmt(summary(times)[1])} ms | — | |")
    burst = full.get("burst")
    if burst:
        total = burst["hit"] + burst["miss"] + burst["other"]
        share = burst["hit"] / total if total else None
        b50, b95 = summary(burst["publish_ms"])
        lines += [
            f"| burst of {burst['publishes']} publishes ({fmt(burst['seconds'], 1)} s; publish "
            f"p50 / p95 {fmt(b50)} / {fmt(b95)} ms): visitor requests served warm "
            f"| {fmt(share and share * 100, 0)} % of {total:,} ({burst['errors']} errors) | — | |",
            f"| queue drained after the burst | {fmt(burst['queue_drained_s'], 1, ' s')} | — | |",
        ]
    imported = full.get("admin_import", "skipped")
    if imported is None:
        lines.append(
            f"| admin import of {args.import_files:,} files | not available "
            "(no `importer_upload` / `importer_job_progress` URL) | — | |"
        )
    elif isinstance(imported, dict):
        lines.append(
            f"| admin import of {imported['files']:,} files ({fmt(imported['upload_mb'], 1)} MB): "
            f"upload request | {fmt(imported['upload_ms'])} ms | < 1 s "
            f"| {verdict(imported['upload_ms'], GOALS['upload request ms'])} |"
        )
        for step in ("dry_run", "apply"):
            if imported.get(step):
                job = imported[step]
                lines.append(
                    f"| admin import, {step.replace('_', ' ')}: first progress / total "
                    f"({job['status']}) | {fmt(job['first_progress_s'], 1)} / "
                    f"{fmt(job['total_s'], 1)} s | — | |"
                )
    lines += [
        "",
        "Publish: the admin's edit view over HTTP with the form's own data and one new word in "
        "the description. All current: no task ready or running, and the term's page (with the "
        "word), the pages showing the term (before and after), the index and the term's letter "
        "page (first page) each served exactly as a render bypassing the caches shows them; "
        f"timed from the publish response, for the first {min(args.fresh_samples, args.samples)} "
        "publishes (the others follow each other a second apart, the worker busy or not). "
        "First hits: the page's stored responses deleted "
        f"before each of {args.samples} requests.",
    ]
    return "\n".join(lines) + "\n"
