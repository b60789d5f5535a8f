"""Content and tools for the real checkers (Nu Html Checker, axe-core, a link crawl)."""

import os
import shutil
from io import StringIO
from pathlib import Path

import pytest

from django.core.cache import cache
from django.core.management import call_command

from bench.corpus import write_corpus

ROOT = Path(__file__).resolve().parents[2]
VNU = ROOT / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
CORPUS_TERMS = 300


def need(*tools):
    """Skip with the reason when a checker is missing; in CI (REQUIRE_CHECKERS=1) fail instead."""
    missing = [name for name, present in tools if not present]
    if missing:
        message = (
            f"needs {', '.join(missing)} (make test installs the npm tools; CI installs Chromium)"
        )
        if os.environ.get("REQUIRE_CHECKERS") == "1":
            pytest.fail(message)
        pytest.skip(message)


@pytest.fixture
def site_content(settings, tmp_path):
    """The seed fixtures and a generated corpus of a few hundred terms, imported.

    Returns the URLs to check: one of each page type, on both kinds of content.
    """
    cache.clear()
    fixtures = tmp_path / "fixtures"
    shutil.copytree(ROOT / "fixtures", fixtures)
    write_corpus(tmp_path / "corpus", terms=CORPUS_TERMS, articles=30, seed=3)
    settings.FIXTURES_DIR = fixtures
    call_command("import_fixtures", str(fixtures), str(tmp_path / "corpus"), stdout=StringIO())
    return [*PAGES, corpus_term_url()]


# One of each page type, on the seed content and on the generated corpus.
PAGES = [
    "/",
    "/glossary/",
    "/glossary/letter/o/",
    "/glossary/letter/0-9/",
    "/glossary/operations-strategy/",
    "/pulse/",
    "/pulse/what-is-process-strategy-in-operations-management/",
    "/pulse/pulse-insight-3/",
    "/search/?q=strategy",
    "/search/?q=stratgy",  # a "Did you mean", marked words
    "/search/?q=",
    "/no-such-page/",
]


def corpus_term_url():
    from glossary.models import GlossaryTermPage

    return (
        GlossaryTermPage.objects.exclude(slug="operations-strategy").order_by("title").first().url
    )
