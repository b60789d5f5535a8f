"""The glossary's downloads, each read back by a real reader and compared with the database."""

import csv
import io
import json
import threading

import pytest
from rdflib import RDF, SKOS, Graph, Literal, URIRef

from django.core.cache import cache
from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext

from wagtail.models import PageViewRestriction
from wagtail.test.utils import WagtailPageTestCase

from glossary import downloads
from glossary.models import GlossaryTermPage, TermNeighbour
from tests.factories import GlossaryTermPageFactory

BASE = "http://localhost"  # the default Site's address: IRIs never come from a request


class DownloadTests(WagtailPageTestCase):
    def setUp(self):
        cache.clear()
        self.lead = GlossaryTermPageFactory(
            title="Lead time",
            slug="lead-time",
            term_id="lt-1",
            synonyms="LT, delivery time",
            description='Time from order to delivery, "door to door".',
        )
        self.formula = GlossaryTermPageFactory(
            title='=HYPERLINK("http://evil")', slug="hyperlink", term_id="x-2"
        )
        self.greek = GlossaryTermPageFactory(title="Ωμέγα", slug="omega", term_id="om-3")
        self.private = GlossaryTermPageFactory(title="Shadow plan", slug="shadow", term_id="sh-4")
        PageViewRestriction.objects.create(
            page=self.private, restriction_type=PageViewRestriction.LOGIN
        )
        self.draft = GlossaryTermPageFactory(title="Unready", slug="unready", term_id="dr-5")
        self.draft.unpublish()
        TermNeighbour.objects.filter(kind=TermNeighbour.RELATED).delete()
        for position, other in enumerate([self.greek, self.private]):
            TermNeighbour.objects.create(
                term=self.lead, other=other, kind=TermNeighbour.RELATED, position=position
            )
        cache.clear()

    def download(self, name):
        response = self.client.get(f"/glossary/download/glossary.{name}")
        self.assertEqual(response.status_code, 200)
        return response

    def public_terms(self):
        return {"lt-1", "x-2", "om-3"}

    def test_csv_is_utf8_with_bom_one_row_per_public_term_and_formula_safe(self):
        response = self.download("csv")
        self.assertEqual(response["Content-Type"], "text/csv; charset=utf-8")
        self.assertTrue(response.content.startswith(b"\xef\xbb\xbf"))
        rows = list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))
        self.assertEqual({row["id"] for row in rows}, self.public_terms())
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

    def test_skos_turtle_reads_back_as_the_public_terms(self):
        response = self.download("ttl")
        self.assertEqual(response["Content-Type"], "text/turtle; charset=utf-8")
        graph = Graph().parse(data=response.content, format="turtle")
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
        self.assertEqual(
            set(graph.objects(lead, SKOS.related)), {URIRef(f"{BASE}/glossary/omega/")}
        )
        self.assertIn((lead, SKOS.inScheme, scheme), graph)

    def test_jsonld_is_a_defined_term_set_of_the_public_terms(self):
        response = self.download("jsonld")
        self.assertEqual(response["Content-Type"], "application/ld+json; charset=utf-8")
        data = json.loads(response.content)
        self.assertEqual(data["@type"], "DefinedTermSet")
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

    def test_downloads_are_cached_and_change_when_a_term_does(self):
        first = self.download("csv")
        with self.assertNumQueries(0):
            self.assertEqual(self.download("csv").content, first.content)
        page = GlossaryTermPage.objects.get(pk=self.greek.pk)
        page.title = "Omega point"
        page.save_revision().publish()
        self.assertIn("Omega point", self.download("csv").content.decode())

    def test_a_term_change_rebuilds_every_file_before_a_visitor_asks(self):
        page = GlossaryTermPage.objects.get(pk=self.greek.pk)
        page.title = "Omega point"
        with (
            override_settings(DOWNLOADS_REBUILD="inline"),
            self.captureOnCommitCallbacks(execute=True),
        ):
            page.save_revision().publish()
        for name in downloads.FORMATS:
            with CaptureQueriesContext(connection) as captured:
                content = self.download(name).content.decode("utf-8-sig")
            self.assertIn("Omega point", content)
            read_terms = [q["sql"] for q in captured if "glossary_termneighbour" in q["sql"]]
            self.assertEqual(read_terms, [], f"glossary.{name} was built on the request")

    def test_the_rebuild_reads_the_terms_once_for_every_format(self):
        with CaptureQueriesContext(connection) as captured:
            downloads.rebuild()
        reads = [q["sql"] for q in captured if "glossary_termneighbour" in q["sql"]]
        self.assertEqual(len(reads), 1)
        for name in downloads.FORMATS:
            self.assertIsNotNone(downloads._stored(name, downloads._tokens()), name)
        with CaptureQueriesContext(connection) as captured:
            downloads.rebuild()  # every file current: nothing read
        self.assertEqual(len(captured), 0)

    def test_a_visitor_waits_for_a_build_another_process_has_claimed(self):
        """The first request to find no current file builds it; one that finds the build
        claimed waits for its result instead of building a second copy."""
        tokens = downloads._tokens()
        claim = f"{downloads.STORE_PREFIX}csv:building:" + ":".join(sorted(tokens.values()))
        cache.add(claim, 1)
        other = threading.Timer(
            0.5,
            cache.set,
            (downloads.STORE_PREFIX + "csv", {"tokens": tokens, "content": b"from the other"}),
        )
        other.start()
        with CaptureQueriesContext(connection) as captured:
            self.assertEqual(downloads.current_file("csv"), b"from the other")
        other.join()
        self.assertEqual(len(captured), 0)
        cache.delete(claim)
        self.assertEqual(self.download("csv").content, b"from the other")
        page = GlossaryTermPage.objects.get(pk=self.greek.pk)
        page.save_revision().publish()  # new tokens: the stored file is no longer served
        self.assertEqual(self.download("csv").content, downloads.build("csv"))

    def test_the_index_links_every_download(self):
        html = self.client.get("/glossary/").content.decode()
        for name in ("csv", "ttl", "jsonld"):
            self.assertIn(f'href="/glossary/download/glossary.{name}"', html)

    def test_other_names_are_not_found(self):
        self.assertEqual(self.client.get("/glossary/download/glossary.tbx").status_code, 404)


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_rebuild_task_reads_the_committed_change(settings):
    """In production the worker rebuilds, once the change has committed (the immediate
    backend runs the task where the database backend's worker would)."""
    settings.DOWNLOADS_REBUILD = "task"
    cache.clear()
    term = GlossaryTermPageFactory(title="Takt time", slug="takt-time", term_id="tt-1")
    term.title = "Takt time (TT)"
    term.save_revision().publish()
    for name in downloads.FORMATS:
        stored = downloads._stored(name, downloads._tokens())
        assert stored is not None, name
        assert "Takt time (TT)" in stored.decode("utf-8-sig"), name
