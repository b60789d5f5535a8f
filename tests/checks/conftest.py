"""Content and tools for the real checkers (Nu Html Checker, axe-core, a link crawl)."""

import os
import shutil
from io import StringIO
from pathlib import Path

import pytest

from django.core.cache import cache
from django.core.management import call_command

from devkit.corpus import write_corpus

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
def site_content(settings, tmp_path, monkeypatch):
    """The seed fixtures and a generated corpus of a few hundred terms, imported.

    The corpus is given several categories and publication dates, as real content has: the
    category filter and the feeds' dates show only then. Letter pages list a few terms a page,
    so a letter runs to several pages.

    Returns the URLs to check: one of each page type, on both kinds of content, and the lists
    filtered and past their first page.
    """
    from glossary.models import GlossaryIndexPage

    cache.clear()
    fixtures = tmp_path / "fixtures"
    shutil.copytree(ROOT / "fixtures", fixtures)
    corpus = write_corpus(tmp_path / "corpus", terms=CORPUS_TERMS, articles=30, seed=3)
    vary_categories_and_dates(corpus)
    add_broader_terms(corpus)
    settings.FIXTURES_DIR = fixtures
    call_command("import_fixtures", str(fixtures), str(corpus), stdout=StringIO())
    monkeypatch.setattr(GlossaryIndexPage, "terms_per_page", 10)
    monkeypatch.setattr(GlossaryIndexPage, "roots_per_topic_page", 10)
    return [
        *PAGES,
        corpus_term_url(),
        cited_term_url(),
        broader_term_url(),
        *LISTS,
        busiest_letter_url() + "?page=2",
        *TOPICS,
        *deprecated_term_urls(),
        report_form_url(),
    ]


def vary_categories_and_dates(corpus):
    """Every third term and article in a second category; each article published a day apart;
    every other term reviewed (its page says by whom and when)."""
    for number, path in enumerate(sorted((corpus / "glossary").glob("*.txt"))):
        text = path.read_text(encoding="utf-8")
        if number % 3 == 1:
            text = text.replace("category: glossary\n", "category: governance\n", 1)
        if number % 2 == 0:
            review = f"reviewed_on: 2025-{1 + number % 12:02d}-15\nreviewed_by: Grace Hopper\n"
            text = text.replace("category: ", review + "category: ", 1)
        path.write_text(text, encoding="utf-8")
    for number, path in enumerate(sorted((corpus / "pulse").glob("*.md"))):
        text = path.read_text(encoding="utf-8")
        category = "Field notes" if number % 3 == 1 else "Glossary in Action"
        published = f"published: 2025-{1 + number // 28:02d}-{1 + number % 28:02d}\n"
        text = text.replace("category: Glossary in Action\n", f"category: {category}\n{published}")
        path.write_text(text, encoding="utf-8")


def add_broader_terms(corpus):
    """Every fifth term is broader than the next two (a term with narrower terms, terms with
    a broader one, and a tree on the topic pages)."""
    paths = sorted((corpus / "glossary").glob("*.txt"))
    for number, path in enumerate(paths):
        if number % 5 in (1, 2):
            top = paths[number - number % 5].read_text(encoding="utf-8")
            top_id = top.split("\nid: ", 1)[1].split("\n", 1)[0]
            text = path.read_text(encoding="utf-8")
            text = text.replace("\ncategory: ", f'\nbroader: ["{top_id}"]\ncategory: ', 1)
            path.write_text(text, encoding="utf-8")


# One of each page type, on the seed content and on the generated corpus.
PAGES = [
    "/",
    "/glossary/",
    "/glossary/letter/o/",
    "/glossary/letter/0-9/",
    "/glossary/operations-strategy/",
    "/glossary/operations-strategy/mentions/",
    "/pulse/",
    "/pulse/what-is-process-strategy-in-operations-management/",
    "/pulse/pulse-insight-3/",
    "/search/?q=strategy",
    "/search/?q=stratgy",  # a "Did you mean", marked words
    "/search/?q=",
    "/no-such-page/",
    "/feedback/suggest/?q=kaizen",  # the readers' forms (feedback/)
    "/feedback/thanks/",
]


# The lists filtered and past their first page (12 articles a page).
LISTS = [
    "/glossary/?category=governance",
    "/glossary/letter/o/?category=governance",
    "/pulse/?page=2",
    "/pulse/?category=Field+notes",
    "/pulse/?category=Glossary+in+Action&page=2",
    "/glossary/whats-new/",
    "/glossary/whats-new/?page=2",
]


# The topic pages: the list, a topic's tree, past its first page (ten roots a page).
TOPICS = [
    "/glossary/topics/",
    "/glossary/topics/glossary/",
    "/glossary/topics/glossary/?page=2",
    "/glossary/topics/governance/",
]


def broader_term_url():
    """A term with narrower terms (and, in the corpus, no broader one)."""
    from glossary.models import GlossaryTermPage

    return GlossaryTermPage.objects.filter(narrower_links__isnull=False).order_by("title")[0].url


def busiest_letter_url():
    from django.db.models import Count

    from glossary.alphabet import letter_slug
    from glossary.models import GlossaryTermPage

    letter = (GlossaryTermPage.objects.values("letter").annotate(n=Count("id")).order_by("-n")[0])[
        "letter"
    ]
    return f"/glossary/letter/{letter_slug(letter)}/"


def corpus_term_url():
    from glossary.models import GlossaryTermPage

    # A reviewed one ("Reviewed by ... on ..."); the seed's term is not reviewed.
    terms = GlossaryTermPage.objects.exclude(slug="operations-strategy")
    return terms.filter(reviewed_at__isnull=False).order_by("title").first().url


def cited_term_url():
    """A generated term that cites sources: its References are checked too."""
    from glossary.models import GlossaryTermPage

    return GlossaryTermPage.objects.filter(sources__isnull=False).order_by("title").first().url


def deprecated_term_urls():
    """A corpus term deprecated in favour of the seed term (issue 24): its page's notice, and
    the search results that label it."""
    from urllib.parse import urlencode

    from glossary.models import GlossaryTermPage, TermStatus

    terms = GlossaryTermPage.objects.exclude(slug="operations-strategy").order_by("title")
    page = terms[1].get_latest_revision_as_object()
    page.status = TermStatus.DEPRECATED
    page.replaced_by = GlossaryTermPage.objects.get(slug="operations-strategy")
    page.save_revision().publish()
    return [page.url, "/search/?" + urlencode({"q": page.title})]


def report_form_url():
    """The report form of the seed's term (one stands for every term's)."""
    from glossary.models import GlossaryTermPage

    return f"/feedback/report/{GlossaryTermPage.objects.get(slug='operations-strategy').pk}/"
