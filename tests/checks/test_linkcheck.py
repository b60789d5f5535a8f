"""LinkChecker (the ``linkchecker`` package) crawls the whole site on a live server, from the
home page through every internal link, image, style sheet, script, feed, sitemap and
download, and finds no error. Search pages too (robots.txt keeps crawlers off them; a
visitor's links must still work there)."""

import os
import re
import shutil
import subprocess
import sys
from io import StringIO
from pathlib import Path

import pytest

from django.core.cache import cache
from django.core.management import call_command

from wagtail.models import Page

from devkit.corpus import write_corpus

from .conftest import ROOT, need

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

LINKCHECKER = Path(sys.executable).parent / "linkchecker"


@pytest.fixture
def small_site(settings, tmp_path, live_server):
    """The seed fixtures and a small generated corpus, imported, on a live server whose
    address is the default Site's (so canonical links and absolute URLs are crawled too)."""
    from wagtail.models import Site

    for limit in ("SEARCH", "SUGGEST", "DOWNLOAD", "API"):
        setattr(settings, f"{limit}_RATE_LIMIT", "100000/60")  # one crawler, many requests
    cache.clear()
    fixtures = tmp_path / "fixtures"
    shutil.copytree(ROOT / "fixtures", fixtures)
    write_corpus(tmp_path / "corpus", terms=40, articles=8, seed=5)
    settings.FIXTURES_DIR = fixtures
    call_command("import_fixtures", str(fixtures), str(tmp_path / "corpus"), stdout=StringIO())
    port = int(live_server.url.rsplit(":", 1)[1])
    Site.objects.filter(is_default_site=True).update(hostname="localhost", port=port)
    site = Site.objects.get(is_default_site=True)
    site.save()  # through the dispatcher: every cached page follows the address
    return live_server.url


def test_linkchecker_finds_no_broken_link_on_the_whole_site(small_site, tmp_path):
    need(("linkchecker (pip install -e '.[test]')", LINKCHECKER.exists()))
    result = subprocess.run(  # noqa: S603 - the checker installed with the test extras
        [
            str(LINKCHECKER),
            "--no-status",
            "--no-warnings",
            "--no-robots",
            "--threads",
            "1",  # the live server's SQLite test database is one shared connection
            "--timeout",
            "60",
            "--verbose",
            "--output",
            "text",
            f"{small_site}/",
        ],
        capture_output=True,
        text=True,
        timeout=900,
        env={**os.environ, "HOME": str(tmp_path)},  # its own files, not the user's
    )
    assert result.returncode == 0, result.stdout[-20000:] + result.stderr[-5000:]
    assert re.search(r"\b0 errors found", result.stdout), result.stdout[-3000:]
    # The crawl reached every live page (``--verbose`` lists each URL it checked).
    checked = set(re.findall(r"^Real URL\s+(\S+)$", result.stdout, flags=re.MULTILINE))
    pages = [page.full_url for page in Page.objects.live().specific() if page.depth > 1]
    assert len(pages) > 50
    assert [url for url in pages if url not in checked] == []
    assert any("/media/images/" in url for url in checked), "images were checked too"
