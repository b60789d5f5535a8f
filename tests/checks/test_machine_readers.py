"""The feeds and the structured data of every page type, read by third-party readers on the
seed and a generated corpus: feedparser (strict), RFC 4287's required elements, extruct."""

import pytest

from .readers import atom_problems, parse_feed, structured_data

pytestmark = pytest.mark.django_db

# What search engines and link previews need from every page, and from each page type.
OPENGRAPH = ("og:title", "og:type", "og:url", "og:description", "og:image")
JSON_LD = {
    "/": {"WebSite": ("name", "url", "description")},
    "/glossary/": {"DefinedTermSet": ("name", "url")},
    "/pulse/": {"CollectionPage": ("name", "url", "description")},
    "/glossary/operations-strategy/": {"WebPage": ("name", "url", "mainEntity", "dateModified")},
    "/pulse/pulse-insight-3/": {
        "Article": ("headline", "author", "publisher", "image", "datePublished", "url")
    },
    "/pulse/what-is-process-strategy-in-operations-management/": {
        "Article": ("headline", "author", "publisher", "image", "datePublished", "url")
    },
}


def test_both_feeds_read_cleanly_and_atom_has_what_rfc_4287_requires(client, site_content):
    atom = client.get("/pulse/feed/atom/").content
    assert atom_problems(atom) == []
    entries = parse_feed(atom).entries
    assert len(entries) == 30
    assert all(entry.summary.strip() for entry in entries)
    dated = [entry for entry in entries if entry.link.rsplit("/", 2)[-2].startswith("pulse-")]
    # Each article is its own: published on its day, updated when it last changed.
    assert len({entry.updated for entry in dated}) == len(dated)
    assert all(entry.published == entry.updated for entry in dated)
    rss = parse_feed(client.get("/pulse/feed/").content).entries
    assert [entry.published_parsed for entry in rss] == [e.published_parsed for e in entries]


def test_every_page_type_has_its_structured_data(client, site_content):
    for url in site_content:
        if url.startswith(("/search/", "/feedback/")) or url == "/no-such-page/":
            continue  # search results, the readers' forms and the 404 page are noindex
        response = client.get(url)
        assert response.status_code == 200, url
        documents, opengraph = structured_data(response.content, f"http://localhost{url}")
        missing = [name for name in OPENGRAPH if not opengraph.get(name)]
        assert missing == [], f"{url}: no {', '.join(missing)}"
        assert "BreadcrumbList" in documents, url
        for kind, properties in JSON_LD.get(url, {}).items():
            assert kind in documents, f"{url}: no {kind}"
            missing = [name for name in properties if not documents[kind].get(name)]
            assert missing == [], f"{url}: {kind} has no {', '.join(missing)}"
    assert set(JSON_LD) <= set(site_content)


def test_a_term_page_is_about_its_defined_term(client, site_content):
    """The term page is a WebPage whose mainEntity is the term: the term's own properties are
    read there, and the page's freshness beside it."""
    url = "/glossary/operations-strategy/"
    documents, _ = structured_data(client.get(url).content, f"http://localhost{url}")
    term = documents["WebPage"]["mainEntity"]
    assert term["@type"] == "DefinedTerm"
    missing = [
        name for name in ("name", "description", "url", "inDefinedTermSet") if not term.get(name)
    ]
    assert missing == []
    assert documents["WebPage"]["dateModified"][:4].isdigit()


def test_the_feeds_of_changed_terms_read_cleanly_and_atom_has_what_rfc_4287_requires(
    client, site_content
):
    """Every imported term's first change is an entry: the newest 50, "New term: …" each."""
    atom = client.get("/glossary/feed/atom/").content
    assert atom_problems(atom) == []
    entries = parse_feed(atom).entries
    assert len(entries) == 50
    assert all(entry.title.startswith(("New term: ", "Updated: ")) for entry in entries)
    assert all(entry.summary.strip() for entry in entries)
    assert len({entry.id for entry in entries}) == len(entries)
    rss = parse_feed(client.get("/glossary/feed/").content).entries
    assert [entry.id for entry in rss] == [entry.id for entry in entries]


def test_the_term_of_the_day_feeds_read_cleanly(client, site_content):
    atom = client.get("/glossary/feed/term-of-the-day/atom/").content
    assert atom_problems(atom) == []
    entries = parse_feed(atom).entries
    assert len(entries) == 30
    assert len({entry.id for entry in entries}) == 30  # one entry per date
    assert all(entry.summary.strip() for entry in entries)
    rss = parse_feed(client.get("/glossary/feed/term-of-the-day/").content).entries
    assert [entry.id for entry in rss] == [entry.id for entry in entries]
