"""Lighthouse (mobile) scores 100 in accessibility, best practices and SEO on a term page and an
article page. Its performance score is timed: ``bench/lighthouse.py`` holds it."""

import pytest

from devkit.browser import CHROMIUM, LIGHTHOUSE, lighthouse

from .conftest import need

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

CATEGORIES = ["accessibility", "best-practices", "seo"]
PAGES = [
    "/glossary/operations-strategy/",
    "/pulse/what-is-process-strategy-in-operations-management/",
]


@pytest.mark.parametrize("path", PAGES)
def test_lighthouse_mobile_scores_100(live_server, site_content, tmp_path, path):
    need(("lighthouse (npm)", LIGHTHOUSE.exists()), ("Chromium", CHROMIUM.exists()))
    scores, short = lighthouse(live_server.url + path, tmp_path, CATEGORIES)
    assert scores == dict.fromkeys(CATEGORIES, 100), short
