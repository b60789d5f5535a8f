"""``python -m bench.scale``: each size in a process of its own, then the report (the options
are in ``bench/scale/__init__.py``)."""

import argparse
import json
import re
import subprocess
import sys
import tempfile
from pathlib import Path

import bench.scale
from bench._common import ROOT
from bench.results import write_section
from bench.scale.phase import Phase
from bench.scale.report import report


def run_phase(args, terms, articles, full, folder):
    """One size in a process of its own (its own Django, database and servers)."""
    out = folder / f"phase-{terms}.json"
    command = [
        sys.executable,
        "-m",
        "bench.scale",
        "--phase",
        str(out),
        "--terms",
        str(terms),
        "--articles",
        str(articles),
        "--samples",
        str(args.samples),
        "--import-files",
        str(args.import_files),
        "--fresh-timeout",
        str(args.fresh_timeout),
        "--fresh-samples",
        str(args.fresh_samples),
        "--burst",
        str(args.burst),
        "--seed",
        str(args.seed),
    ]
    if full:
        command.append("--full")
    subprocess.run(command, cwd=ROOT, check=True)
    return json.loads(out.read_text())


def main():
    parser = argparse.ArgumentParser(
        prog="python -m bench.scale", description=bench.scale.__doc__.splitlines()[0]
    )
    parser.add_argument("--terms", type=int, default=100_000)
    parser.add_argument("--articles", type=int, default=5_000)
    parser.add_argument("--small", type=int, default=1_000, help="terms at the small size")
    parser.add_argument("--samples", type=int, default=20, help="publishes and first hits")
    parser.add_argument("--fresh-samples", type=int, default=20, help="publishes timed to current")
    parser.add_argument("--burst", type=int, default=50, help="publishes in the burst")
    parser.add_argument("--import-files", type=int, default=10_000)
    parser.add_argument("--fresh-timeout", type=int, default=300, help="seconds to wait")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--label", default="", help="a heading of its own: a separate section")
    parser.add_argument("--note", default="", help="a line of its own in the report")
    parser.add_argument("--out", default=str(ROOT / "bench" / "RESULTS.md"))
    parser.add_argument(
        "--report-from",
        nargs="+",
        metavar="JSON",
        help="write the report from phases saved before (small size first), measuring nothing",
    )
    parser.add_argument("--phase", help=argparse.SUPPRESS)
    parser.add_argument("--full", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.phase:
        with tempfile.TemporaryDirectory(prefix="glossary-scale-") as tmp:
            found = Phase(args, Path(tmp)).run()
        Path(args.phase).write_text(json.dumps(found))
        return
    if args.report_from:
        phases = [json.loads(Path(name).read_text()) for name in args.report_from]
        args.terms = phases[-1]["terms"]
    else:
        phases = measure(args)
    text = report(args, phases)
    print(text)
    if args.out != "-":
        name = "scale" + (f"-{slug(args.label)}" if args.label else "")
        write_section(name, text, Path(args.out))


def measure(args):
    """Each size's figures, the small size first."""
    with tempfile.TemporaryDirectory(prefix="glossary-scale-") as tmp:
        phases = []
        if 0 < args.small < args.terms:
            small_articles = max(1, args.articles * args.small // args.terms)
            phases.append(run_phase(args, args.small, small_articles, False, Path(tmp)))
        phases.append(run_phase(args, args.terms, args.articles, True, Path(tmp)))
    return phases


def slug(text):
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


if __name__ == "__main__":
    main()
