"""The SKOS download (Turtle), written chunk by chunk (``glossary.downloads``)."""

from rdflib import OWL, RDF, SKOS, XSD, Graph, Literal, URIRef
from rdflib.namespace import DCTERMS

LANGUAGE = "en"


class SkosWriter:
    """A SKOS concept scheme in Turtle: each term a concept whose IRI is its page's URL.

    The scheme has its ``prefLabel`` (and ``dct:title``); every concept says ``inScheme``,
    and the terms without a broader term are its top concepts (``hasTopConcept``, and
    ``topConceptOf`` on the concept): every other concept is reached from one of them through
    ``narrower``, as the editors' hierarchy refuses cycles. ``broader`` is written with its
    inverse ``narrower``, and ``related`` (symmetric in SKOS) both ways, so a relation shown on
    one term only (a pinned term, or one past the other's related list) reads back whole. A synonym
    equal to the name is no ``altLabel`` (SKOS keeps the two labels disjoint).

    rdflib serialises one small graph per chunk; the prefixes are written once at the top and
    dropped from each chunk's output (rdflib writes them first, then a blank line). The
    pieces read back as one graph (a concept's inverse ``related`` and the scheme's
    ``hasTopConcept`` are written with the chunk that names them). A concept's content date is
    ``dct:modified`` and each source it cites a ``dct:source``.

    A deprecated term stays a concept, marked ``owl:deprecated true`` and, when its
    replacement is in the download, ``dct:isReplacedBy`` it (the usual SKOS practice, as in
    the EU and Library of Congress vocabularies)."""

    PREFIXES = {"skos": SKOS, "dct": DCTERMS, "owl": OWL, "xsd": XSD}

    def __init__(self, out, scheme_url, title):
        self.out = out
        self.scheme = URIRef(scheme_url)
        self.header = {f"@prefix {name}: <{ns}> .\n" for name, ns in self.PREFIXES.items()}
        out.writelines(sorted(self.header))
        graph = self._graph()
        graph.add((self.scheme, RDF.type, SKOS.ConceptScheme))
        graph.add((self.scheme, SKOS.prefLabel, Literal(title, lang=LANGUAGE)))
        graph.add((self.scheme, DCTERMS.title, Literal(title, lang=LANGUAGE)))
        self._write(graph)

    def _graph(self):
        graph = Graph()
        for name, namespace in self.PREFIXES.items():
            graph.bind(name, namespace)
        return graph

    def _write(self, graph):
        lines = graph.serialize(format="turtle").splitlines(keepends=True)
        start = 0
        while start < len(lines) and lines[start].startswith("@prefix"):
            if lines[start] not in self.header:  # a namespace the header does not declare
                raise ValueError(f"Turtle chunk needs a prefix the header lacks: {lines[start]!r}")
            start += 1
        self.out.write("\n" + "".join(lines[start:]).strip("\n") + "\n")

    def write(self, terms):
        graph = self._graph()
        scheme = self.scheme
        for term in terms:
            concept = URIRef(term.url)
            graph.add((concept, RDF.type, SKOS.Concept))
            graph.add((concept, SKOS.inScheme, scheme))
            if not term.broader:  # the top of the hierarchy
                graph.add((concept, SKOS.topConceptOf, scheme))
                graph.add((scheme, SKOS.hasTopConcept, concept))
            for _term_id, _name, url in term.broader:
                graph.add((concept, SKOS.broader, URIRef(url)))
                graph.add((URIRef(url), SKOS.narrower, concept))
            graph.add((concept, SKOS.prefLabel, Literal(term.name, lang=LANGUAGE)))
            graph.add((concept, SKOS.notation, Literal(term.term_id)))
            if term.description:
                graph.add((concept, SKOS.definition, Literal(term.description, lang=LANGUAGE)))
            for synonym in term.synonyms:
                if synonym != term.name:
                    graph.add((concept, SKOS.altLabel, Literal(synonym, lang=LANGUAGE)))
            if term.updated:
                graph.add((concept, DCTERMS.modified, Literal(term.updated, datatype=XSD.dateTime)))
            for _title, url, _publisher in term.sources:
                graph.add((concept, DCTERMS.source, URIRef(url)))
            # SKOS keeps ``related`` apart from the hierarchy: a related term that is also
            # broader or narrower is written as that alone.
            hierarchy = {url for _id, _name, url in term.broader} | set(term.narrower)
            for _name, url in term.related:
                if url in hierarchy:
                    continue
                graph.add((concept, SKOS.related, URIRef(url)))
                graph.add((URIRef(url), SKOS.related, concept))
            if term.status == "deprecated":
                graph.add((concept, OWL.deprecated, Literal(True)))
                if term.replaced_by:
                    graph.add((concept, DCTERMS.isReplacedBy, URIRef(term.replaced_by[1])))
        if terms:
            self._write(graph)

    def finish(self):
        pass
