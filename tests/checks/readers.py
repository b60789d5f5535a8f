"""What third-party readers make of the site's feeds and pages, as helpers for the tests.

``feedparser`` reads feeds as feed readers do and says when it had to be lenient (``bozo``).
It does not check RFC 4287's required elements, and no maintained Python library does (the W3C
Feed Validation Service is a web service), so ``atom_problems`` checks them by hand: section
4.1.1 (feed: id, title, updated, an author unless every entry has one) and 4.1.2 (entry: id,
title, updated, an author of its own or the feed's), plus a summary or content that says
something. ``extruct`` reads JSON-LD and OpenGraph as search engines do.
"""

import extruct
import feedparser
from defusedxml import ElementTree

ATOM = "{http://www.w3.org/2005/Atom}"


def parse_feed(content):
    """The feed as feedparser reads it; fails when feedparser found it malformed (bozo)."""
    parsed = feedparser.parse(content)
    assert not parsed.bozo, f"feedparser: {parsed.get('bozo_exception')!r}"
    return parsed


def _text(element, name):
    child = element.find(ATOM + name)
    return (child.text or "").strip() if child is not None else ""


def _has_author(element):
    return any(_text(author, "name") for author in element.findall(ATOM + "author"))


def atom_problems(content):
    """RFC 4287's required elements missing from an Atom document, one line each."""
    feed = ElementTree.fromstring(content)
    if feed.tag != ATOM + "feed":
        return [f"the root is {feed.tag}, not an Atom feed"]
    problems = [f"feed: no {name}" for name in ("id", "title", "updated") if not _text(feed, name)]
    entries = feed.findall(ATOM + "entry")
    feed_author = _has_author(feed)
    if not feed_author and not all(_has_author(entry) for entry in entries):
        problems.append("feed: no author, and not every entry has one")
    for number, entry in enumerate(entries, start=1):
        label = f"entry {number} ({_text(entry, 'id') or _text(entry, 'title')})"
        problems += [f"{label}: no {n}" for n in ("id", "title", "updated") if not _text(entry, n)]
        if not (_has_author(entry) or feed_author):
            problems.append(f"{label}: no author")
        if not (_text(entry, "summary") or _text(entry, "content")):
            problems.append(f"{label}: no summary or content")
    return problems


def structured_data(content, url):
    """JSON-LD documents by ``@type`` and OpenGraph properties, as extruct reads them."""
    data = extruct.extract(
        content.decode() if isinstance(content, bytes) else content,
        base_url=url,
        syntaxes=["json-ld", "opengraph"],
        uniform=True,
    )
    documents = {item["@type"]: item for item in data["json-ld"]}
    opengraph = dict(data["opengraph"][0]) if data["opengraph"] else {}
    if "@type" in opengraph:  # extruct's uniform form names og:type "@type"
        opengraph["og:type"] = opengraph.pop("@type")
    return documents, opengraph
