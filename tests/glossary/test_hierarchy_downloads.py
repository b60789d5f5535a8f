"""Broader and narrower terms in the downloads, read back with their real readers: SKOS
(rdflib: ``broader``/``narrower`` both ways, top concepts only the terms without a broader
term, every concept reachable), CSV (the ``broader`` column of ids, appended last)."""

import csv
import io

from rdflib import RDF, SKOS, Graph, URIRef

from glossary import downloads
from glossary.models import GlossaryTermBroader
from tests.glossary.downloads_case import BASE, DownloadTestCase
from tests.glossary.test_downloads import skos_problems


def url(slug):
    return URIRef(f"{BASE}/glossary/{slug}/")


class HierarchyDownloadTests(DownloadTestCase):
    def setUp(self):
        super().setUp()
        # Ωμέγα (written in the second chunk) is broader than Lead time (in the first); the
        # formula term is under the private term, which no download shows.
        self.lead.broader_terms = [GlossaryTermBroader(term=self.greek)]
        self.lead.save_revision().publish()
        self.formula.broader_terms = [GlossaryTermBroader(term=self.private)]
        self.formula.save_revision().publish()

    def graph(self):
        graph = Graph()
        graph.parse(data=self.content("ttl").decode("utf-8"), format="turtle")
        return graph

    def test_skos_has_broader_and_narrower_both_ways(self):
        graph = self.graph()
        self.assertEqual(skos_problems(graph), [])
        self.assertIn((url("lead-time"), SKOS.broader, url("omega")), graph)
        self.assertIn((url("omega"), SKOS.narrower, url("lead-time")), graph)
        self.assertNotIn((url("hyperlink"), SKOS.broader, url("shadow")), graph)

    def test_only_terms_without_a_broader_term_are_top_concepts(self):
        graph = self.graph()
        (scheme,) = graph.subjects(RDF.type, SKOS.ConceptScheme)
        tops = set(graph.objects(scheme, SKOS.hasTopConcept))
        # The formula's broader term is private: shown nowhere, so it is a top concept.
        self.assertEqual(tops, {url("omega"), url("hyperlink")})
        self.assertNotIn((url("lead-time"), SKOS.topConceptOf, scheme), graph)

    def test_every_concept_is_reachable_from_a_top_concept(self):
        graph = self.graph()
        (scheme,) = graph.subjects(RDF.type, SKOS.ConceptScheme)
        reached = set(graph.objects(scheme, SKOS.hasTopConcept))
        frontier = list(reached)
        while frontier:
            for narrower in graph.objects(frontier.pop(), SKOS.narrower):
                if narrower not in reached:
                    reached.add(narrower)
                    frontier.append(narrower)
        self.assertEqual(reached, set(graph.subjects(RDF.type, SKOS.Concept)))

    def test_csv_appends_a_broader_column_of_ids(self):
        self.assertEqual(downloads.CSV_COLUMNS[-1], "broader")
        content = self.content("csv").decode("utf-8-sig")
        rows = {row["id"]: row for row in csv.DictReader(io.StringIO(content))}
        self.assertEqual(rows["lt-1"]["broader"], "om-3")
        self.assertEqual(rows["x-2"]["broader"], "")  # the private term is left out
        self.assertEqual(rows["om-3"]["broader"], "")
