"""Search relevance: does a visitor's half-remembered query find the term they mean, first?

    python -m bench.relevance [--filler 300] [--databases sqlite postgresql]

Imports the named terms below among ``--filler`` generated ones (whose names share words
with them, as real glossaries do) into a throwaway database of each kind, runs every query of
``QUERIES`` through the site's search and prints the first-result hit rate and the misses.
``tests/search/test_relevance.py`` holds the same set to ``GOAL`` on the test database.
"""

import argparse
import datetime
import os
import platform
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

GOAL = 0.95  # share of queries whose first result is the expected term

# (name, synonyms, description): a glossary's worth of real terms.
NAMED_TERMS = [
    (
        "Operations strategy",
        "",
        "The long-term plan for how an organisation's operations deliver its business goals.",
    ),
    (
        "Operations management",
        "",
        "Planning, running and improving the processes that turn inputs into goods and services.",
    ),
    (
        "Capacity planning",
        "",
        "Working out the capacity needed to meet demand, and when to add or release it.",
    ),
    (
        "Capacity utilization",
        "",
        "The share of available capacity that is in use over a period.",
    ),
    (
        "Service level agreement (SLA)",
        "",
        "A contract setting the level of service a supplier promises and how it is measured.",
    ),
    (
        "Key performance indicator (KPI)",
        "",
        "A measure that shows how well an organisation achieves a key objective.",
    ),
    ("Lead time", "Delivery lead time", "The time from an order being placed to its delivery."),
    ("Cycle time", "", "The time a unit of work takes from start to finish of a process."),
    ("Throughput", "", "The amount of work a process completes in a period, unlike cycle time."),
    ("Work in progress (WIP)", "", "Work that has started but is not yet finished."),
    (
        "Just-in-time manufacturing (JIT)",
        "",
        "Producing goods only as they are needed, to keep inventory low.",
    ),
    (
        "Total quality management (TQM)",
        "",
        "An organisation-wide approach to long-term success through customer satisfaction.",
    ),
    ("Six Sigma", "", "A data-driven method for removing defects and reducing variation."),
    ("Kanban", "Pull board", "A visual way to manage work as it moves through a process."),
    ("Kaizen", "Kaizen event", "Continuous, incremental improvement involving everyone."),
    (
        "Value stream mapping (VSM)",
        "",
        "Drawing every step that brings a product to a customer, to find waste.",
    ),
    (
        "Root cause analysis (RCA)",
        "",
        "Finding the underlying cause of a problem rather than its symptoms.",
    ),
    (
        "Supply chain management (SCM)",
        "",
        "Managing the flow of goods, information and money from supplier to customer.",
    ),
    (
        "Inventory turnover",
        "Stock turn",
        "How many times inventory is sold and replaced over a period.",
    ),
    (
        "Economic order quantity (EOQ)",
        "",
        "The order size that minimises the total cost of ordering and holding inventory.",
    ),
    (
        "Material requirements planning (MRP)",
        "",
        "Planning the materials production needs, and when it needs them.",
    ),
    (
        "Enterprise resource planning (ERP)",
        "",
        "Software that joins up finance, supply chain, operations and reporting.",
    ),
    ("Demand forecasting", "", "Estimating future customer demand from data and judgement."),
    ("Safety stock", "Buffer stock", "Extra inventory held against uncertain demand or supply."),
    ("Bottleneck", "Constraint", "The step that limits the throughput of a whole process."),
    ("Takt time", "", "The pace of production needed to meet customer demand."),
    ("Lean manufacturing", "", "Producing with as little waste as possible."),
    ("Quality assurance (QA)", "", "Preventing defects by improving how work is done."),
    ("Change management", "", "Helping people and organisations through change."),
    ("Risk register", "", "A list of identified risks with their owners and responses."),
    ("Stakeholder analysis", "", "Identifying who is affected by a project and how."),
    ("Gantt chart", "", "A bar chart showing a project's tasks over time."),
    (
        "Critical path method (CPM)",
        "",
        "Finding the longest chain of dependent tasks in a project schedule.",
    ),
    (
        "Earned value management (EVM)",
        "",
        "Measuring project progress by comparing planned and earned value with cost.",
    ),
    ("Return on investment (ROI)", "", "The gain from an investment relative to its cost."),
    (
        "Total cost of ownership (TCO)",
        "",
        "Every cost of an asset over its life, not only its price.",
    ),
    ("Benchmarking", "", "Comparing performance with the best of others."),
    (
        "Balanced scorecard",
        "",
        "A performance framework across finance, customers, processes and learning.",
    ),
    (
        "Business process reengineering (BPR)",
        "",
        "Redesigning processes from the ground up for large improvements.",
    ),
    (
        "Standard operating procedure (SOP)",
        "",
        "Written, step-by-step instructions for a routine task.",
    ),
    ("Request for proposal (RFP)", "", "A document inviting suppliers to bid for work."),
    ("Procurement", "", "Finding and buying the goods and services an organisation needs."),
    ("Outsourcing", "", "Contracting work out to another organisation."),
    (
        "Overall equipment effectiveness (OEE)",
        "",
        "How much of planned production time is truly productive.",
    ),
    ("Minimum viable product (MVP)", "", "The smallest product that lets a team learn."),
    ("Product backlog", "", "The ordered list of everything a product might need."),
    ("Sprint retrospective", "", "A meeting at the end of a sprint to improve how a team works."),
    ("Process mapping", "", "Drawing a process step by step to understand and improve it."),
    ("Governance framework", "", "The rules and structures by which decisions are made."),
    (
        "Workforce planning",
        "Headcount planning",
        "Matching the people an organisation has with those it will need.",
    ),
    ("Escalation policy", "", "When and to whom an unresolved issue is passed on."),
    # Names without their abbreviation: found by their initials all the same.
    ("Bill of materials", "", "Every part and quantity needed to make a product."),
    (
        "Net promoter score",
        "",
        "How likely customers are to recommend a company, from -100 to 100.",
    ),
]

# (what a visitor types, the term they mean)
QUERIES = [
    # Typing mistakes.
    ("stratgy", "Operations strategy"),
    ("capacity planing", "Capacity planning"),
    ("kanbn", "Kanban"),
    ("invetory turnover", "Inventory turnover"),
    ("throughtput", "Throughput"),
    ("bottlenek", "Bottleneck"),
    ("benchmarkng", "Benchmarking"),
    ("outsorcing", "Outsourcing"),
    ("procurment", "Procurement"),
    ("kaizn", "Kaizen"),
    ("gant chart", "Gantt chart"),
    ("stakholder analysis", "Stakeholder analysis"),
    ("lean manufacturng", "Lean manufacturing"),
    ("supply chian", "Supply chain management (SCM)"),
    ("retrospectve", "Sprint retrospective"),
    ("forcasting", "Demand forecasting"),
    # The start of a name.
    ("opera", "Operations strategy"),
    ("benchm", "Benchmarking"),
    ("earned val", "Earned value management (EVM)"),
    ("root cause", "Root cause analysis (RCA)"),
    ("safety st", "Safety stock"),
    ("value stream", "Value stream mapping (VSM)"),
    ("overall equip", "Overall equipment effectiveness (OEE)"),
    ("stakeh", "Stakeholder analysis"),
    ("retro", "Sprint retrospective"),
    # Plurals.
    ("bottlenecks", "Bottleneck"),
    ("gantt charts", "Gantt chart"),
    ("kpis", "Key performance indicator (KPI)"),
    ("escalation policies", "Escalation policy"),
    ("service level agreements", "Service level agreement (SLA)"),
    ("balanced scorecards", "Balanced scorecard"),
    ("bills of materials", "Bill of materials"),
    # Abbreviations and synonyms.
    ("SLA", "Service level agreement (SLA)"),
    ("KPI", "Key performance indicator (KPI)"),
    ("WIP", "Work in progress (WIP)"),
    ("EOQ", "Economic order quantity (EOQ)"),
    ("ROI", "Return on investment (ROI)"),
    ("MRP", "Material requirements planning (MRP)"),
    ("JIT", "Just-in-time manufacturing (JIT)"),
    ("stock turn", "Inventory turnover"),
    ("buffer stock", "Safety stock"),
    ("headcount planning", "Workforce planning"),
    ("pull board", "Kanban"),
    ("BOM", "Bill of materials"),
    ("NPS", "Net promoter score"),
    # Whole names, also inside questions.
    ("capacity planning", "Capacity planning"),
    ("lead time", "Lead time"),
    ("cycle time", "Cycle time"),
    ("change management", "Change management"),
    ("risk register", "Risk register"),
    ("quality assurance", "Quality assurance (QA)"),
    ("total cost of ownership", "Total cost of ownership (TCO)"),
    ("what is operations strategy", "Operations strategy"),
    ("What is a Gantt chart?", "Gantt chart"),
]


def write_relevance_corpus(out, filler=300):
    from bench.corpus import write_corpus

    return write_corpus(out, terms=filler, articles=20, seed=7, named=NAMED_TERMS)


def evaluate():
    """(hits, misses) of ``QUERIES`` on the current database: misses as (query, expected,
    first result or None)."""
    from search.ranking import find

    hits, misses = 0, []
    for query, expected in QUERIES:
        results = find(query).results
        first = results[0].title if results else None
        if first == expected:
            hits += 1
        else:
            misses.append((query, expected, first))
    return hits, misses


def report(hits, misses):
    total = hits + len(misses)
    lines = [f"first-result hits: {hits}/{total} = {hits / total:.1%} (goal {GOAL:.0%})"]
    lines += [
        f"  miss: {query!r} → {first!r}, expected {expected!r}" for query, expected, first in misses
    ]
    return "\n".join(lines)


def measure():
    """Runs inside the throwaway database's Django (a child process)."""
    import django

    django.setup()
    print(report(*evaluate()))


PG = "postgres://postgres@127.0.0.1:5432"


def run(database, filler, workdir):
    name = f"relevance_{os.getpid()}"
    url = f"{PG}/{name}" if database == "postgresql" else f"sqlite:///{workdir}/{name}.sqlite3"
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.test",
        "DATABASE_URL": url,
        "CACHE_DIR": str(workdir / f"cache-{database}"),
        "TEST_SHARED_CACHE": "1",
        "TMPDIR": str(workdir),
    }
    if database == "postgresql":
        subprocess.run(["psql", f"{PG}/postgres", "-qc", f"CREATE DATABASE {name}"], check=True)
    try:
        manage = [sys.executable, "manage.py"]
        subprocess.run([*manage, "migrate", "-v0"], env=env, check=True)
        subprocess.run(
            [*manage, "import_fixtures", str(workdir / "corpus"), "--format", "json"],
            env=env,
            check=True,
            stdout=subprocess.DEVNULL,
        )
        return subprocess.run(
            [sys.executable, "-m", "bench.relevance", "--measure"],
            env=env,
            check=True,
            stdout=subprocess.PIPE,
            text=True,
        ).stdout
    finally:
        if database == "postgresql":
            subprocess.run(["psql", f"{PG}/postgres", "-qc", f"DROP DATABASE {name}"], check=False)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--filler", type=int, default=300)
    parser.add_argument(
        "--databases", nargs="+", default=["sqlite", "postgresql"], choices=["sqlite", "postgresql"]
    )
    parser.add_argument("--measure", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument(
        "--out", action=argparse.BooleanOptionalAction, default=True, help="write bench/RESULTS.md"
    )
    args = parser.parse_args()
    if args.measure:
        measure()
        return
    workdir = Path(tempfile.mkdtemp(prefix="relevance-"))
    try:
        write_relevance_corpus(workdir / "corpus", args.filler)
        text = (
            f"# search relevance, {datetime.datetime.now(datetime.UTC):%Y-%m-%d %H:%M} UTC\n"
            f"# machine: {platform.node()} {platform.machine()}, {os.cpu_count()} cores\n"
            f"# corpus: {len(NAMED_TERMS)} named terms among {args.filler} generated, "
            f"{len(QUERIES)} queries\n"
        )
        for database in args.databases:
            text += f"\n{database}: {run(database, args.filler, workdir)}"
        print(text)
        if args.out:
            from bench.results import write_section

            write_section("relevance", f"## Search relevance\n\n```\n{text}```\n")
    finally:
        shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    main()
