"""Chromium as this machine runs it, and Lighthouse driving it: the browser tests
(``tests/conftest.py``, ``tests/checks/test_lighthouse.py``) and ``bench.lighthouse`` use the
same executable, the same flags and the same runner."""

import json
import os
import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
LIGHTHOUSE = ROOT / "node_modules" / ".bin" / "lighthouse"
CHROMIUM = Path("/usr/bin/chromium")
# How this machine runs Chromium as root, with no network chatter.
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
