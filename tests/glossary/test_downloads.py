"""The glossary's downloads, each read back by a real reader and compared with the database;
built by the worker into media storage in chunks, streamed, never built on a request."""

import csv
import io
import json
import re
from pathlib import Path
from unittest import mock

import pytest
from rdflib import RDF, SKOS, Graph, Literal, URIRef

from django.core.cache import cache
from django.core.files.storage import default_storage
from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext

from wagtail.models import PageViewRestriction
from wagtail.test.utils import WagtailPageTestCase

from glossary import downloads
from glossary.models import DownloadBuild, GlossaryTermPage, TermNeighbour
from tests.core.test_queue import DATABASE_QUEUE, run_due_tasks, statuses
from tests.factories import GlossaryTermPageFactory

BASE = "http://localhost"  # the default Site's address: IRIs never come from a request
REBUILD = "glossary.tasks.rebuild_downloads"


def neighbour_reads(captured):
    return [q["sql"] for q in captured if "glossary_termneighbour" in q["sql"]]


def body(response):
    return b"".join(response.streaming_content)


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


class DownloadTests(WagtailPageTestCase):
    def setUp(self):
        cache.clear()
        # Two terms a chunk: every file below is written in two chunks (three public terms).
        chunks = mock.patch.object(downloads, "CHUNK_SIZE", 2)
        chunks.start()
        self.addCleanup(chunks.stop)
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
        # Ωμέγα sorts after "Lead time": related across two chunks.
        for position, other in enumerate([self.greek, self.private]):
            TermNeighbour.objects.create(
                term=self.lead, other=other, kind=TermNeighbour.RELATED, position=position
            )
        cache.clear()

    def download(self, name, **headers):
        response = self.client.get(f"/glossary/download/glossary.{name}", headers=headers)
        self.assertEqual(response.status_code, 200)
        return response

    def content(self, name):
        return body(self.download(name))

    def public_terms(self):
        return {"lt-1", "x-2", "om-3"}

    def publish_title(self, page, title):
        page = GlossaryTermPage.objects.get(pk=page.pk)
        page.title = title
        page.save_revision().publish()

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

    def test_the_build_holds_one_chunk_of_terms_at_a_time(self):
        """Rows stream from one query; each chunk's related terms come from a query of its
        own, for that chunk's terms only: no step reads the whole glossary at once."""
        index = downloads._live_index()
        with CaptureQueriesContext(connection) as captured:
            chunks = list(downloads.term_chunks(index, f"{BASE}/glossary/", chunk_size=2))
        self.assertEqual([len(chunk) for chunk in chunks], [2, 1])
        reads = neighbour_reads(captured)
        self.assertEqual(len(reads), 2)
        for read, chunk in zip(reads, [["lt-1", "x-2"], ["om-3"]], strict=True):
            asked = re.search(r'"term_id" IN \(([^)]*)\)', read).group(1).split(",")
            pks = GlossaryTermPage.objects.filter(term_id__in=chunk).values_list("pk", flat=True)
            self.assertEqual({int(pk) for pk in asked}, set(pks))
        self.assertEqual(chunks[0][0].related, (("Ωμέγα", f"{BASE}/glossary/omega/"),))

    def test_a_download_is_a_file_in_media_storage_streamed_with_validators(self):
        build = downloads.rebuild()
        for name in downloads.FORMATS:
            entry = build.files[name]
            self.assertEqual(entry["name"], f"{build.folder}/glossary.{name}")
            self.assertTrue(build.folder.startswith("downloads/"))
            with default_storage.open(entry["name"], "rb") as stored:
                self.assertEqual(len(stored.read()), entry["size"])
            response = self.download(name)
            self.assertTrue(response.streaming)
            self.assertEqual(int(response["Content-Length"]), entry["size"])
            self.assertEqual(response["ETag"], f'"{entry["sha256"]}"')
            self.assertIn("current", response["X-Downloads-Build"])
            self.assertIn("public", response["Cache-Control"])
            self.assertIn("max-age=60", response["Cache-Control"])
            with CaptureQueriesContext(connection) as captured:
                again = self.client.get(
                    f"/glossary/download/glossary.{name}",
                    headers={"If-None-Match": response["ETag"]},
                )
            self.assertEqual(again.status_code, 304)
            self.assertEqual(again["ETag"], response["ETag"])
            self.assertIn("max-age=60", again["Cache-Control"])
            self.assertEqual(len(captured), 1)  # which build is newest
            since = self.client.get(
                f"/glossary/download/glossary.{name}",
                headers={"If-Modified-Since": response["Last-Modified"]},
            )
            self.assertEqual(since.status_code, 304)

    def test_a_request_never_builds_and_reads_one_row(self):
        downloads.rebuild()
        self.content("csv")  # the Site, looked up once and cached
        for name in downloads.FORMATS:
            with CaptureQueriesContext(connection) as captured:
                self.content(name)
            self.assertEqual(len(captured), 1, [q["sql"] for q in captured])
            self.assertEqual(neighbour_reads(captured), [])

    def test_a_term_change_rebuilds_every_file_before_a_visitor_asks(self):
        old = downloads.rebuild()
        self.assertNotIn("Omega point", self.content("csv").decode("utf-8-sig"))
        with (
            override_settings(DOWNLOADS_REBUILD="inline"),
            self.captureOnCommitCallbacks(execute=True),
        ):
            self.publish_title(self.greek, "Omega point")
        self.assertNotEqual(downloads.newest_build().pk, old.pk)
        for name in downloads.FORMATS:
            with CaptureQueriesContext(connection) as captured:
                response = self.download(name)
                content = body(response).decode("utf-8-sig")
            self.assertIn("Omega point", content)
            self.assertIn("current", response["X-Downloads-Build"])
            self.assertEqual(neighbour_reads(captured), [], f"glossary.{name} built on request")

    @override_settings(TASKS=DATABASE_QUEUE)
    def test_with_no_build_yet_a_503_asks_the_queue_once(self):
        for name in downloads.FORMATS:
            response = self.client.get(f"/glossary/download/glossary.{name}")
            self.assertEqual(response.status_code, 503)
            self.assertEqual(response["Retry-After"], str(downloads.RETRY_AFTER))
            self.assertEqual(response["Cache-Control"], "no-store")
        self.assertEqual(statuses(REBUILD), ["READY"])  # three requests, one run
        run_due_tasks()
        self.assertEqual(statuses(REBUILD), ["SUCCESSFUL"])
        self.assertIn("Lead time", self.content("csv").decode("utf-8-sig"))

    @override_settings(TASKS=DATABASE_QUEUE)
    def test_a_build_behind_the_content_is_served_marked_and_uncached_until_the_worker_runs(self):
        old = downloads.rebuild()
        self.publish_title(self.greek, "Omega point")  # DOWNLOADS_REBUILD off: nothing asked
        GlossaryTermPageFactory(title="Not yet", slug="not-yet", live=False)  # new, hidden
        self.assertEqual(statuses(REBUILD), [])
        for _ in range(3):
            response = self.download("csv")
            self.assertNotIn("Omega point", body(response).decode("utf-8-sig"))
            self.assertEqual(response["X-Downloads-Build"], f"{old.started_at.isoformat()}; behind")
            self.assertEqual(response["Cache-Control"], "public, no-cache")
        self.assertEqual(statuses(REBUILD), ["READY"])  # asked once by three requests
        run_due_tasks()
        response = self.download("csv")
        self.assertIn("Omega point", body(response).decode("utf-8-sig"))
        self.assertIn("current", response["X-Downloads-Build"])

    @override_settings(TASKS=DATABASE_QUEUE, DOWNLOAD_RATE_LIMIT="100/60")
    def test_a_term_that_left_public_view_is_never_served_from_an_older_build(self):
        """Made private, unpublished or deleted after the newest build: until the rebuild has
        run, a 503 rather than a file that shows it."""
        downloads.rebuild()
        withdrawals = [
            (
                "x-2",
                lambda: PageViewRestriction.objects.create(
                    page=self.formula, restriction_type=PageViewRestriction.LOGIN
                ),
            ),
            ("om-3", lambda: GlossaryTermPage.objects.get(pk=self.greek.pk).unpublish()),
            ("lt-1", lambda: GlossaryTermPage.objects.get(pk=self.lead.pk).delete()),
        ]
        for term_id, withdraw in withdrawals:
            self.assertIn(f"\r\n{term_id},", self.content("csv").decode("utf-8-sig"))
            withdraw()
            for name in downloads.FORMATS:
                response = self.client.get(f"/glossary/download/glossary.{name}")
                self.assertEqual(response.status_code, 503, (term_id, name))
                self.assertEqual(response["Retry-After"], str(downloads.RETRY_AFTER))
            self.assertIn("READY", statuses(REBUILD))
            run_due_tasks()
            self.assertNotIn(f"\r\n{term_id},", self.content("csv").decode("utf-8-sig"))

    @override_settings(TASKS=DATABASE_QUEUE)
    def test_past_the_hidden_terms_it_remembers_any_change_counts_as_a_withdrawal(self):
        with mock.patch.object(downloads, "HIDDEN_LIMIT", 1):  # a draft and a private term
            self.assertIsNone(downloads.rebuild().guard["hidden"])
        self.publish_title(self.greek, "Omega point")
        self.assertEqual(self.client.get("/glossary/download/glossary.csv").status_code, 503)

    def test_a_glossary_made_private_has_no_downloads(self):
        build = downloads.rebuild()
        PageViewRestriction.objects.create(
            page=self.lead.get_parent(), restriction_type=PageViewRestriction.LOGIN
        )
        with override_settings(TASKS=DATABASE_QUEUE):  # the worker has not run yet
            self.assertEqual(self.client.get("/glossary/download/glossary.csv").status_code, 503)
        downloads.rebuild()
        self.assertEqual(self.client.get("/glossary/download/glossary.csv").status_code, 404)
        for entry in build.files.values():  # the files that showed it are gone at once
            self.assertFalse(default_storage.exists(entry["name"]))

    def test_the_rebuild_reads_the_terms_once_for_every_format_and_then_nothing(self):
        with CaptureQueriesContext(connection) as captured:
            build = downloads.rebuild()
        self.assertEqual(len(neighbour_reads(captured)), 2)  # two chunks, all three formats
        self.assertEqual(build.term_count, 3)
        with CaptureQueriesContext(connection) as captured:
            self.assertEqual(downloads.rebuild(), build)  # current: nothing read
        self.assertEqual(neighbour_reads(captured), [])

    def test_two_builds_are_kept_and_older_files_deleted(self):
        builds = []
        for number in range(3):
            builds.append(downloads.rebuild())
            self.publish_title(self.greek, f"Omega {number}")
        self.assertEqual(
            set(DownloadBuild.objects.values_list("pk", flat=True)), {builds[1].pk, builds[2].pk}
        )
        for entry in builds[0].files.values():
            self.assertFalse(default_storage.exists(entry["name"]))
        self.assertFalse(default_storage.exists(builds[0].folder))
        for entry in builds[1].files.values():
            self.assertTrue(default_storage.exists(entry["name"]))

    def test_files_lost_from_storage_give_a_503_and_the_next_build_writes_them(self):
        build = downloads.rebuild()
        default_storage.delete(build.files["csv"]["name"])
        with override_settings(TASKS=DATABASE_QUEUE):
            response = self.client.get("/glossary/download/glossary.csv")
            self.assertEqual(response.status_code, 503)
            self.assertEqual(statuses(REBUILD), ["READY"])
        self.assertNotEqual(downloads.rebuild().pk, build.pk)  # tokens current, file missing
        self.assertIn("Lead time", self.content("csv").decode("utf-8-sig"))

    def test_the_index_links_every_download(self):
        html = self.client.get("/glossary/").content.decode()
        for name in ("csv", "ttl", "jsonld"):
            self.assertIn(f'href="/glossary/download/glossary.{name}"', html)

    def test_other_names_are_not_found(self):
        for name in ("tbx", "csv/../../x", "", "CSV"):
            self.assertEqual(
                self.client.get(f"/glossary/download/glossary.{name}").status_code, 404
            )


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_rebuild_task_reads_the_committed_change(settings):
    """In production the worker rebuilds, once the change has committed (the immediate
    backend runs the task where the database backend's worker would)."""
    settings.DOWNLOADS_REBUILD = "task"
    cache.clear()
    term = GlossaryTermPageFactory(title="Takt time", slug="takt-time", term_id="tt-1")
    term.title = "Takt time (TT)"
    term.save_revision().publish()
    build = downloads.newest_build()
    assert build.tokens == downloads._tokens()
    for name, entry in build.files.items():
        with default_storage.open(entry["name"], "rb") as stored:
            assert "Takt time (TT)" in stored.read().decode("utf-8-sig"), name
