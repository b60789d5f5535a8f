"""The glossary in the formats other tools read: CSV, SKOS (Turtle) and schema.org JSON-LD.

Served by the glossary index (``/glossary/download/glossary.<format>``) from the same live,
public terms visitors see, and cached like the index: any change to a term renders them anew.
TBX is not offered: no maintained Python library writes TBX v3 (translate-toolkit writes
the older TBX 2 ``martif``), and a hand-written writer would be ours to keep right.
"""

import csv
import io
import json
from dataclasses import dataclass

from rdflib import RDF, SKOS, Graph, Literal, URIRef
from rdflib.namespace import DCTERMS

from core.internals import public_pages
from core.spreadsheets import safe_cell

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


def terms_for_download(index, root_url):
    """Every live, public term under ``index`` (name order), in two queries."""
    from .models import GlossaryTermPage, TermNeighbour

    pages = public_pages(GlossaryTermPage.objects.child_of(index).live()).order_by("title")
    pages = list(
        pages.only(
            "id",
            "title",
            "slug",
            "url_path",
            "term_id",
            "category",
            "description",
            "synonyms",
            "key_questions",
        )
    )
    ids = {page.pk: page.term_id for page in pages}
    related = {}
    neighbours = TermNeighbour.objects.filter(
        kind=TermNeighbour.RELATED, term_id__in=ids, other_id__in=ids
    ).order_by("term_id", "position")
    for term, other in neighbours.values_list("term_id", "other_id"):
        related.setdefault(term, []).append(ids[other])
    base = root_url.rstrip("/")
    return [
        DownloadTerm(
            term_id=page.term_id,
            name=page.title,
            slug=page.slug,
            url=base + index.url + page.slug + "/",
            category=page.category,
            description=page.description,
            synonyms=tuple(s.strip() for s in page.synonyms.split(",") if s.strip()),
            key_questions=tuple(block.value for block in page.key_questions),
            related=tuple(related.get(page.pk, ())),
        )
        for page in pages
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
