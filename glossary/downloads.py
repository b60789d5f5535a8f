"""The glossary in the formats other tools read: CSV, SKOS (Turtle) and schema.org JSON-LD.

Served at ``/glossary/download/glossary.<format>`` from the same live, public terms visitors
see. Building them takes seconds at 10,000 terms (rdflib's Turtle writer most of all), so it
happens off the request path: ``glossary.effects`` calls ``rebuild_after_commit`` when terms
change, the worker builds every format (``glossary.tasks``), and the view serves the built file. A file
is stored with the generation tokens it was built under (``core.page_cache``) and served only
while they are current, so it is never stale; a visitor who comes before the rebuild has
finished waits for it rather than starting another.
TBX is not offered: no maintained Python library writes TBX v3 (translate-toolkit writes
the older TBX 2 ``martif``), and a hand-written writer would be ours to keep right.
"""

import csv
import io
import json
import logging
import time
from dataclasses import dataclass

from rdflib import RDF, SKOS, Graph, Literal, URIRef
from rdflib.namespace import DCTERMS

from django.conf import settings
from django.core.cache import cache
from django.db import transaction

from core import page_cache
from core.internals import public_pages
from core.spreadsheets import safe_cell

from .linking import split_synonyms

logger = logging.getLogger(__name__)

CSV_COLUMNS = [
    "id",
    "name",
    "slug",
    "url",
    "category",
    "description",
    "synonyms",
    "key questions",
    "related terms",
]
LIST_SEPARATOR = "; "  # between key questions and between related terms in one CSV cell
LANGUAGE = "en"


@dataclass(frozen=True)
class DownloadTerm:
    term_id: str
    name: str
    slug: str
    url: str
    category: str
    description: str
    synonyms: tuple
    key_questions: tuple
    related: tuple  # term_ids, in the order term pages show them


def terms_for_download(index, index_url):
    """Every live, public term under ``index`` (name order), in two queries. Rows, not page
    objects: building 10,000 pages costs more than everything else here together."""
    from .models import GlossaryTermPage, TermNeighbour

    pages = public_pages(GlossaryTermPage.objects.child_of(index).live()).order_by("title")
    rows = list(
        pages.values_list(
            "id", "term_id", "title", "slug", "category", "description", "synonyms", "key_questions"
        )
    )
    ids = {row[0]: row[1] for row in rows}
    related = {}
    neighbours = TermNeighbour.objects.filter(
        kind=TermNeighbour.RELATED, term_id__in=ids, other_id__in=ids
    ).order_by("term_id", "position")
    for term, other in neighbours.values_list("term_id", "other_id"):
        related.setdefault(term, []).append(ids[other])
    return [
        DownloadTerm(
            term_id=term_id,
            name=title,
            slug=slug,
            url=f"{index_url}{slug}/",
            category=category,
            description=description,
            synonyms=tuple(split_synonyms(synonyms)),
            # Each key question is a plain text block: its stored value is the question.
            key_questions=tuple(block["value"] for block in key_questions.raw_data),
            related=tuple(related.get(pk, ())),
        )
        for pk, term_id, title, slug, category, description, synonyms, key_questions in rows
    ]


def as_csv(terms):
    """UTF-8 with a byte-order mark (spreadsheet programs then read it as UTF-8), cells that
    could run as formulas made text."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(CSV_COLUMNS)
    names = {term.term_id: term.name for term in terms}
    for term in terms:
        row = [
            term.term_id,
            term.name,
            term.slug,
            term.url,
            term.category,
            term.description,
            ", ".join(term.synonyms),
            LIST_SEPARATOR.join(term.key_questions),
            LIST_SEPARATOR.join(names[other] for other in term.related),
        ]
        writer.writerow([safe_cell(cell) for cell in row])
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def as_skos(terms, scheme_url, title):
    """A SKOS concept scheme in Turtle: each term a concept whose IRI is its page's URL."""
    graph = Graph()
    graph.bind("skos", SKOS)
    graph.bind("dct", DCTERMS)
    scheme = URIRef(scheme_url)
    graph.add((scheme, RDF.type, SKOS.ConceptScheme))
    graph.add((scheme, DCTERMS.title, Literal(title, lang=LANGUAGE)))
    urls = {term.term_id: URIRef(term.url) for term in terms}
    for term in terms:
        concept = urls[term.term_id]
        graph.add((concept, RDF.type, SKOS.Concept))
        graph.add((concept, SKOS.inScheme, scheme))
        graph.add((concept, SKOS.topConceptOf, scheme))
        graph.add((concept, SKOS.prefLabel, Literal(term.name, lang=LANGUAGE)))
        graph.add((concept, SKOS.notation, Literal(term.term_id)))
        if term.description:
            graph.add((concept, SKOS.definition, Literal(term.description, lang=LANGUAGE)))
        for synonym in term.synonyms:
            graph.add((concept, SKOS.altLabel, Literal(synonym, lang=LANGUAGE)))
        for other in term.related:
            graph.add((concept, SKOS.related, urls[other]))
    return graph.serialize(format="turtle", encoding="utf-8")


def as_jsonld(terms, set_url, title):
    """A schema.org DefinedTermSet holding every term as a DefinedTerm."""
    document = {
        "@context": "https://schema.org",
        "@type": "DefinedTermSet",
        "@id": set_url,
        "name": title,
        "url": set_url,
        "hasDefinedTerm": [
            {
                "@type": "DefinedTerm",
                "@id": term.url,
                "url": term.url,
                "name": term.name,
                "termCode": term.term_id,
                "description": term.description,
                **({"alternateName": list(term.synonyms)} if term.synonyms else {}),
                "inDefinedTermSet": set_url,
            }
            for term in terms
        ],
    }
    return json.dumps(document, ensure_ascii=False, indent=1).encode("utf-8")


FORMATS = {
    # name: (content type, builder(terms, index_url, title))
    "csv": ("text/csv; charset=utf-8", lambda terms, url, title: as_csv(terms)),
    "ttl": ("text/turtle; charset=utf-8", as_skos),
    "jsonld": ("application/ld+json; charset=utf-8", as_jsonld),
}


# --- built files ---------------------------------------------------------------------------------

STORE_PREFIX = "downloads:file:"  # one entry per format: a newer build replaces the older
WAIT_FOR_BUILD = 30  # seconds a request waits for a build another process has started
BUILD_TIMEOUT = 120  # seconds after which a build's claim lapses (its process died)


def _tokens():
    return page_cache.current_tokens([page_cache.SITE, page_cache.DOWNLOADS])


def _source():
    """(terms, index URL, title) of the live glossary, read once for every format built from
    it; None when there is no live glossary."""
    from .models import GlossaryIndexPage

    index = public_pages(GlossaryIndexPage.objects.live()).first()
    if index is None:
        return None
    url = index.get_full_url()  # the Site's address: a term's IRI never depends on a request
    return terms_for_download(index, url), url, index.title


def build(format, source=None):
    """The file now, from the database (or from ``source``); None without a live glossary."""
    source = source or _source()
    return FORMATS[format][1](*source) if source else None


def _stored(format, tokens):
    entry = cache.get(STORE_PREFIX + format)
    if entry is not None and entry["tokens"] == tokens:
        return entry["content"]
    return None


def _build_claimed(format, tokens, source=None):
    """Build and store ``format`` if no other process has claimed that build; the content, or
    None when the build is someone else's (or there is no glossary)."""
    claim = f"{STORE_PREFIX}{format}:building:" + ":".join(sorted(tokens.values()))
    if not cache.add(claim, 1, timeout=BUILD_TIMEOUT):
        return None
    try:
        content = build(format, source)
        if content is not None:
            entry = {"tokens": tokens, "content": content}
            cache.set(STORE_PREFIX + format, entry, timeout=page_cache.entry_timeout())
        return content
    finally:
        cache.delete(claim)


def current_file(format):
    """The file for the content as it is now: the stored build when it is current, else one
    build (the first request to claim it builds, others wait for its result)."""
    tokens = _tokens()
    deadline = time.monotonic() + WAIT_FOR_BUILD
    while (content := _stored(format, tokens)) is None:
        content = _build_claimed(format, tokens)
        if content is not None:
            return content
        if time.monotonic() > deadline:
            return build(format)  # the other build is stuck: answer anyway
        time.sleep(0.2)
    return content


def rebuild():
    """Build every format that is not current, reading the terms once for all of them (the
    worker's task); a format another process is building is left to it."""
    tokens = _tokens()
    missing = [format for format in FORMATS if _stored(format, tokens) is None]
    source = _source() if missing else None
    if source is None:
        return
    for format in missing:
        _build_claimed(format, tokens, source)


def rebuild_after_commit():
    """Called by ``glossary.effects`` when terms changed. ``DOWNLOADS_REBUILD``: "task" (the
    default) has the worker build every format after the change commits (coalesced: many
    changes, one build), "inline" builds at commit in this process (tests), "off" leaves it
    to the first request."""
    from core import queue

    from . import tasks

    mode = getattr(settings, "DOWNLOADS_REBUILD", "task")
    if mode == "task":
        queue.enqueue_coalesced(tasks.rebuild_downloads)
    elif mode == "inline":
        transaction.on_commit(rebuild)
