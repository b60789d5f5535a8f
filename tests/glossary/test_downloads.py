"""The glossary's downloads, each read back by a real reader and compared with the database.
How they are built and served: ``test_download_builds.py``."""

import csv
import io
import json
from pathlib import Path

from rdflib import RDF, SKOS, Graph, Literal, URIRef

from glossary import downloads
from glossary.models import GlossaryTermPage
from tests.glossary.downloads_case import BASE, DownloadTestCase, body


def skos_problems(graph):
    """What SKOS's integrity conditions and the usual checks on a concept scheme (qSKOS's)
    find wrong in ``graph``: labels, top concepts, symmetric ``related``, dangling links."""
    problems = []
    schemes = set(graph.subjects(RDF.type, SKOS.ConceptScheme))
    concepts = set(graph.subjects(RDF.type, SKOS.Concept))
    if len(schemes) != 1:
        return [f"{len(schemes)} concept schemes"]
    (scheme,) = schemes
    for resource in [scheme, *concepts]:
        labels = list(graph.objects(resource, SKOS.prefLabel))
        languages = [label.language for label in labels]
        if not labels or len(languages) != len(set(languages)):
            problems.append(f"{resource}: prefLabels {labels}")
        alternatives = set(graph.objects(resource, SKOS.altLabel))
        if alternatives & set(labels):
            problems.append(f"{resource}: a label both preferred and alternative")
    tops = set(graph.objects(scheme, SKOS.hasTopConcept))
    if not tops:
        problems.append("no top concept")
    for concept in tops:
        if concept not in concepts or (concept, SKOS.topConceptOf, scheme) not in graph:
            problems.append(f"{concept}: hasTopConcept without topConceptOf")
    for concept in concepts:
        if (concept, SKOS.inScheme, scheme) not in graph:
            problems.append(f"{concept}: not in the scheme")
        if (concept, SKOS.topConceptOf, scheme) in graph and concept not in tops:
            problems.append(f"{concept}: topConceptOf without hasTopConcept")
    for predicate in (SKOS.related, SKOS.broader, SKOS.narrower, SKOS.hasTopConcept):
        for subject, other in graph.subject_objects(predicate):
            if other not in concepts:
                problems.append(f"{subject} {predicate} {other}: a link out of the scheme")
    for subject, other in graph.subject_objects(SKOS.related):
        if (other, SKOS.related, subject) not in graph:
            problems.append(f"{subject} related {other}, not the other way")
        if subject == other:
            problems.append(f"{subject} related to itself")
        if {(subject, SKOS.broader, other), (other, SKOS.broader, subject)} & set(graph):
            problems.append(f"{subject}, {other}: related and broader")
    return problems


class DownloadTests(DownloadTestCase):
    def test_csv_is_utf8_with_bom_one_row_per_public_term_and_formula_safe(self):
        response = self.download("csv")
        self.assertEqual(response["Content-Type"], "text/csv; charset=utf-8")
        self.assertEqual(response["Content-Disposition"], 'inline; filename="glossary.csv"')
        content = body(response)
        self.assertTrue(content.startswith(b"\xef\xbb\xbf"))
        self.assertEqual(content.count(b"\xef\xbb\xbf"), 1)
        rows = list(csv.DictReader(io.StringIO(content.decode("utf-8-sig"))))
        # A to Z as the index lists them: "#" (the formula, Ωμέγα) after the letters.
        self.assertEqual([row["id"] for row in rows], ["lt-1", "x-2", "om-3"])
        lead = next(row for row in rows if row["id"] == "lt-1")
        self.assertEqual(lead["name"], "Lead time")
        self.assertEqual(lead["url"], f"{BASE}/glossary/lead-time/")
        self.assertEqual(lead["description"], self.lead.description)
        self.assertEqual(lead["synonyms"], "LT, delivery time")
        self.assertEqual(
            lead["key questions"].split("; "), [b.value for b in self.lead.key_questions]
        )
        self.assertEqual(lead["related terms"], "Ωμέγα")  # the private term left out
        formula = next(row for row in rows if row["id"] == "x-2")
        self.assertEqual(formula["name"], '\'=HYPERLINK("http://evil")')

    def test_csv_synonyms_are_comma_separated_as_the_docs_say(self):
        page = GlossaryTermPage.objects.get(pk=self.greek.pk)
        page.synonyms = "Plan; do, Ω"  # "; " may be in a synonym; a comma never is
        page.save_revision().publish()
        rows = list(csv.DictReader(io.StringIO(self.content("csv").decode("utf-8-sig"))))
        omega = next(row for row in rows if row["id"] == "om-3")
        self.assertEqual(omega["synonyms"].split(downloads.SYNONYM_SEPARATOR), ["Plan; do", "Ω"])
        docs = Path(__file__).resolve().parents[2] / "docs" / "downloads-and-api.md"
        row = next(line for line in docs.read_text().splitlines() if "glossary.csv`" in line)
        self.assertIn(f"synonyms (`{downloads.SYNONYM_SEPARATOR}`-separated", row)

    def test_skos_turtle_written_in_chunks_reads_back_as_one_graph_of_the_public_terms(self):
        response = self.download("ttl")
        self.assertEqual(response["Content-Type"], "text/turtle; charset=utf-8")
        content = body(response).decode()
        self.assertEqual(content.count("@prefix skos:"), 1)  # once, though three graphs wrote
        graph = Graph().parse(data=content, format="turtle")
        scheme = URIRef(f"{BASE}/glossary/")
        self.assertIn((scheme, RDF.type, SKOS.ConceptScheme), graph)
        concepts = set(graph.subjects(RDF.type, SKOS.Concept))
        self.assertEqual(
            {str(graph.value(c, SKOS.notation)) for c in concepts}, self.public_terms()
        )
        lead = URIRef(f"{BASE}/glossary/lead-time/")
        self.assertEqual(graph.value(lead, SKOS.prefLabel), Literal("Lead time", lang="en"))
        self.assertEqual(
            graph.value(lead, SKOS.definition), Literal(self.lead.description, lang="en")
        )
        self.assertEqual(
            set(graph.objects(lead, SKOS.altLabel)),
            {Literal("LT", lang="en"), Literal("delivery time", lang="en")},
        )
        omega = URIRef(f"{BASE}/glossary/omega/")
        self.assertEqual(set(graph.objects(lead, SKOS.related)), {omega})
        # Shown on Lead time's page only, related both ways (SKOS: related is symmetric).
        self.assertEqual(set(graph.objects(omega, SKOS.related)), {lead})
        self.assertIn((lead, SKOS.inScheme, scheme), graph)
        self.assertEqual(graph.value(scheme, SKOS.prefLabel), Literal("Glossary", lang="en"))
        self.assertEqual(set(graph.objects(scheme, SKOS.hasTopConcept)), concepts)
        self.assertEqual(skos_problems(graph), [])

    def test_a_synonym_equal_to_the_name_is_no_alternative_label(self):
        page = GlossaryTermPage.objects.get(pk=self.greek.pk)
        page.synonyms = "Ωμέγα, Omega"
        page.save_revision().publish()
        graph = Graph().parse(data=self.content("ttl"), format="turtle")
        omega = URIRef(f"{BASE}/glossary/omega/")
        self.assertEqual(set(graph.objects(omega, SKOS.altLabel)), {Literal("Omega", lang="en")})
        self.assertEqual(skos_problems(graph), [])

    def test_jsonld_is_one_defined_term_set_of_the_public_terms(self):
        response = self.download("jsonld")
        self.assertEqual(response["Content-Type"], "application/ld+json; charset=utf-8")
        data = json.loads(body(response))
        self.assertEqual(data["@type"], "DefinedTermSet")
        self.assertEqual(data["@id"], f"{BASE}/glossary/")
        self.assertEqual({term["termCode"] for term in data["hasDefinedTerm"]}, self.public_terms())
        # Read as linked data too: every term a schema:DefinedTerm in the set.
        # schema.org's context given inline: the test never fetches it from the internet.
        offline = {**data, "@context": {"@vocab": "https://schema.org/"}}
        graph = Graph().parse(data=json.dumps(offline), format="json-ld")
        schema = "https://schema.org/"
        terms = set(graph.subjects(RDF.type, URIRef(schema + "DefinedTerm")))
        self.assertEqual(len(terms), 3)
        lead = URIRef(f"{BASE}/glossary/lead-time/")
        self.assertEqual(str(graph.value(lead, URIRef(schema + "name"))), "Lead time")
        self.assertEqual(
            {str(o) for o in graph.objects(lead, URIRef(schema + "alternateName"))},
            {"LT", "delivery time"},
        )

    def test_an_empty_glossary_gives_well_formed_files(self):
        GlossaryTermPage.objects.all().delete()
        self.assertEqual(json.loads(self.content("jsonld"))["hasDefinedTerm"], [])
        graph = Graph().parse(data=self.content("ttl"), format="turtle")
        self.assertEqual(len(set(graph.subjects(RDF.type, SKOS.Concept))), 0)
        rows = list(csv.reader(io.StringIO(self.content("csv").decode("utf-8-sig"))))
        self.assertEqual(rows, [downloads.CSV_COLUMNS])
