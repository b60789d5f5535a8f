"""A term's lifecycle (issue 24): current or deprecated, and the term that replaces it.

What editors may set, what the term page says, how linking, the search, the downloads and the
API follow a deprecation, and what a status change makes render afresh.
"""

import csv
import io
import json

from rdflib import OWL, Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, XSD

from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext

from wagtail.models import PageViewRestriction
from wagtail.test.utils import WagtailPageTestCase

from glossary.downloads.csv import CSV_COLUMNS
from glossary.models import GlossaryTermPage, TermMention, TermStatus
from tests.factories import GlossaryTermPageFactory, PulseArticlePageFactory

from .downloads_case import BASE, body
from .editors import log_in


def deprecate(term, replaced_by=None):
    """Publish ``term`` as deprecated (through a revision, as an editor would)."""
    page = GlossaryTermPage.objects.get(pk=term.pk).get_latest_revision_as_object()
    page.status = TermStatus.DEPRECATED
    page.replaced_by = replaced_by
    page.save_revision().publish()
    return GlossaryTermPage.objects.get(pk=term.pk)


def restore(term):
    page = GlossaryTermPage.objects.get(pk=term.pk).get_latest_revision_as_object()
    page.status, page.replaced_by = TermStatus.CURRENT, None
    page.save_revision().publish()
    return GlossaryTermPage.objects.get(pk=term.pk)


class LifecycleTestCase(WagtailPageTestCase):
    def setUp(self):
        cache.clear()
        # "Lead time" is created first: it claims the phrase "lead time" while it is current.
        self.old = GlossaryTermPageFactory(
            title="Lead time",
            slug="lead-time",
            term_id="lt-1",
            description="Time from order to delivery.",
        )
        self.new = GlossaryTermPageFactory(
            title="Cycle time",
            slug="cycle-time",
            term_id="ct-2",
            synonyms="lead time, CT",
            description="Time from start to finish of one item.",
        )
        self.other = GlossaryTermPageFactory(
            title="Throughput", slug="throughput", term_id="tp-3", description="Items per week."
        )
        self.article = PulseArticlePageFactory(
            title="Flow at work",
            slug="flow-at-work",
            body=[("paragraph", "<p>Our lead time fell when throughput rose.</p>")],
        )


class ModelValidationTests(LifecycleTestCase):
    def clean(self, page):
        try:
            page.full_clean()
        except ValidationError as error:
            return error.message_dict.get("replaced_by", [])
        return []

    def test_a_new_term_is_current_without_a_replacement(self):
        self.assertEqual(self.old.status, TermStatus.CURRENT)
        self.assertIsNone(self.old.replaced_by)
        self.assertFalse(self.old.is_deprecated)

    def test_a_deprecated_term_may_name_another_term(self):
        page = GlossaryTermPage.objects.get(pk=self.old.pk)
        page.status, page.replaced_by = TermStatus.DEPRECATED, self.new
        self.assertEqual(self.clean(page), [])

    def test_only_a_deprecated_term_has_a_replacement(self):
        page = GlossaryTermPage.objects.get(pk=self.old.pk)
        page.replaced_by = self.new
        self.assertIn("Only a deprecated term", self.clean(page)[0])

    def test_a_term_does_not_replace_itself(self):
        page = GlossaryTermPage.objects.get(pk=self.old.pk)
        page.status, page.replaced_by = TermStatus.DEPRECATED, page
        self.assertIn("cannot replace itself", self.clean(page)[0])

    def test_a_chain_of_replacements_never_comes_back(self):
        deprecate(self.new, replaced_by=self.other)
        deprecate(self.other, replaced_by=self.old)
        page = GlossaryTermPage.objects.get(pk=self.old.pk)
        page.status, page.replaced_by = TermStatus.DEPRECATED, self.new
        self.assertIn("leads back to this term", self.clean(page)[0])
        page.replaced_by = GlossaryTermPageFactory(title="Takt time", slug="takt-time")
        self.assertEqual(self.clean(page), [])

    def test_deleting_the_replacement_leaves_the_term_deprecated(self):
        deprecate(self.old, replaced_by=self.new)
        GlossaryTermPage.objects.get(pk=self.new.pk).delete()
        old = GlossaryTermPage.objects.get(pk=self.old.pk)
        self.assertEqual((old.status, old.replaced_by_id), (TermStatus.DEPRECATED, None))

    def test_the_editor_shows_both_fields_with_help(self):
        log_in(self.client)
        response = self.client.get(f"/admin/pages/{self.old.pk}/edit/")
        self.assertContains(response, 'name="status"')
        self.assertContains(response, 'name="replaced_by"')
        self.assertContains(response, "Only for a deprecated term")


class TermPageNoticeTests(LifecycleTestCase):
    def test_a_current_term_has_no_notice(self):
        self.assertNotContains(self.client.get(self.old.url), "term-lifecycle")

    def test_a_deprecated_term_links_its_live_replacement_at_the_top(self):
        deprecate(self.old, replaced_by=self.new)
        html = self.client.get(self.old.url).content.decode()
        self.assertIn('<aside class="term-lifecycle" role="note"', html)
        self.assertIn(': use <a href="/glossary/cycle-time/">Cycle time</a> instead.', html)
        self.assertLess(html.index("term-lifecycle"), html.index("<h1>"))

    def test_an_unreachable_replacement_is_not_linked(self):
        deprecate(self.old, replaced_by=self.new)
        PageViewRestriction.objects.create(
            page=self.new, restriction_type=PageViewRestriction.LOGIN
        )
        cache.clear()
        response = self.client.get(self.old.url)
        self.assertContains(response, "this term is no longer in use")
        self.assertNotContains(response, 'href="/glossary/cycle-time/"')

    def test_renaming_the_replacement_shows_on_the_notice_at_once(self):
        deprecate(self.old, replaced_by=self.new)
        self.client.get(self.old.url)
        self.assertEqual(self.client.get(self.old.url)["X-Page-Cache"], "hit")
        page = GlossaryTermPage.objects.get(pk=self.new.pk)
        page.title = "Flow time"
        page.save_revision().publish()
        self.assertContains(self.client.get(self.old.url), ">Flow time</a> instead.")

    def test_restoring_a_term_removes_the_notice(self):
        deprecate(self.old)
        self.assertContains(self.client.get(self.old.url), "term-lifecycle")
        restore(self.old)
        self.assertNotContains(self.client.get(self.old.url), "term-lifecycle")


class LinkingTests(LifecycleTestCase):
    def mentions(self):
        return list(
            TermMention.objects.filter(page=self.article)
            .order_by("position")
            .values_list("term_id", "phrase")
        )

    def test_a_deprecated_term_gives_its_mentions_to_the_replacement(self):
        self.assertIn((self.old.pk, "lead time"), self.mentions())
        deprecate(self.old, replaced_by=self.new)
        self.assertIn((self.new.pk, "lead time"), self.mentions())
        self.assertNotIn(self.old.pk, [term for term, _phrase in self.mentions()])
        html = self.client.get(self.article.url).content.decode()
        self.assertIn('class="term-link" href="/glossary/cycle-time/"', html)
        self.assertNotIn('href="/glossary/lead-time/"', html)

    def test_without_a_synonym_a_deprecated_term_is_not_linked(self):
        deprecate(self.other)
        self.assertNotIn(self.other.pk, [term for term, _phrase in self.mentions()])
        self.assertNotContains(self.client.get(self.article.url), 'href="/glossary/throughput/"')

    def test_a_restored_term_is_linked_again(self):
        deprecate(self.other)
        restore(self.other)
        self.assertIn((self.other.pk, "throughput"), self.mentions())
        self.assertContains(self.client.get(self.article.url), 'href="/glossary/throughput/"')

    @override_settings(LINKS_RELINK="task")
    def test_a_deprecated_term_is_unlinked_before_the_worker_runs(self):
        self.assertContains(self.client.get(self.article.url), 'href="/glossary/throughput/"')
        deprecate(self.other)  # the relink task waits for a commit that never comes
        self.assertIn((self.other.pk, "throughput"), self.mentions())
        self.assertNotContains(self.client.get(self.article.url), 'href="/glossary/throughput/"')


class SearchTests(LifecycleTestCase):
    def titles(self, query):
        html = self.client.get("/search/", {"q": query}).content.decode()
        return html

    def api_items(self, query):
        return self.client.get("/api/v2/search/", {"q": query}).json()["items"]

    def test_a_deprecated_term_ranks_after_a_current_one_matching_as_well(self):
        # Both answer "lead time" exactly (a name, a synonym); the one ranked first goes.
        items = self.api_items("lead time")
        first, second = (item["title"] for item in items[:2])
        deprecate(GlossaryTermPage.objects.get(title=first))
        items = self.api_items("lead time")
        self.assertEqual(
            [(item["title"], item["status"]) for item in items[:2]],
            [(second, ""), (first, "Deprecated")],
        )

    def test_a_deprecated_term_ranks_after_current_ones_in_the_same_tier(self):
        # "week" is in two descriptions only: the shorter name first, unless it is deprecated.
        GlossaryTermPageFactory(title="Velocity", slug="velocity", description="Points a week.")
        self.assertEqual(
            [item["title"] for item in self.api_items("week")], ["Velocity", "Throughput"]
        )
        deprecate(GlossaryTermPage.objects.get(slug="velocity"))
        self.assertEqual(
            [item["title"] for item in self.api_items("week")], ["Throughput", "Velocity"]
        )

    def test_the_results_page_labels_a_deprecated_term(self):
        deprecate(self.old, replaced_by=self.new)
        html = self.titles("lead time")
        self.assertIn('<span class="result-status">Deprecated</span>', html)
        self.assertEqual(html.count("result-status"), 1)
        self.assertLess(html.index("/glossary/cycle-time/"), html.index("/glossary/lead-time/"))

    def test_suggestions_label_a_deprecated_term(self):
        deprecate(self.other)
        suggestions = self.client.get("/search/suggest/", {"q": "throughp"}).json()["suggestions"]
        self.assertEqual(
            [(s["title"], s["status"]) for s in suggestions], [("Throughput", "Deprecated")]
        )
        suggestions = self.client.get("/search/suggest/", {"q": "cycle"}).json()["suggestions"]
        self.assertEqual([s["status"] for s in suggestions], [""])


class DownloadTests(LifecycleTestCase):
    def content(self, name):
        response = self.client.get(f"/glossary/download/glossary.{name}")
        self.assertEqual(response.status_code, 200)
        return body(response).decode("utf-8")

    def test_skos_marks_the_deprecated_term_and_its_replacement(self):
        deprecate(self.old, replaced_by=self.new)
        deprecate(self.other)
        graph = Graph().parse(data=self.content("ttl"), format="turtle")
        old, new = URIRef(f"{BASE}/glossary/lead-time/"), URIRef(f"{BASE}/glossary/cycle-time/")
        other = URIRef(f"{BASE}/glossary/throughput/")
        self.assertEqual(
            set(graph.objects(old, OWL.deprecated)), {Literal(True, datatype=XSD.boolean)}
        )
        self.assertEqual(set(graph.objects(old, DCTERMS.isReplacedBy)), {new})
        self.assertEqual(set(graph.objects(new, OWL.deprecated)), set())
        self.assertEqual(len(set(graph.objects(other, OWL.deprecated))), 1)
        self.assertEqual(set(graph.objects(other, DCTERMS.isReplacedBy)), set())

    def test_csv_appends_status_and_replacement_columns(self):
        deprecate(self.old, replaced_by=self.new)
        rows = list(csv.reader(io.StringIO(self.content("csv").lstrip("\ufeff"))))
        self.assertEqual(rows[0], CSV_COLUMNS)
        status = rows[0].index("status")  # appended after the original columns
        self.assertEqual(rows[0][status : status + 2], ["status", "replaced_by"])
        self.assertGreater(status, rows[0].index("related terms"))
        self.assertEqual(rows[0][:2], ["id", "name"])  # the existing columns stay first
        by_id = {row[0]: dict(zip(rows[0], row, strict=True)) for row in rows[1:]}
        self.assertEqual(
            (by_id["lt-1"]["status"], by_id["lt-1"]["replaced_by"]), ("deprecated", "ct-2")
        )
        self.assertEqual((by_id["ct-2"]["status"], by_id["ct-2"]["replaced_by"]), ("current", ""))

    def test_an_unpublished_replacement_is_not_named(self):
        deprecate(self.old, replaced_by=self.new)
        GlossaryTermPage.objects.get(pk=self.new.pk).unpublish()
        rows = list(csv.DictReader(io.StringIO(self.content("csv").lstrip("\ufeff"))))
        lead = next(row for row in rows if row["id"] == "lt-1")
        self.assertEqual((lead["status"], lead["replaced_by"]), ("deprecated", ""))
        graph = Graph().parse(data=self.content("ttl"), format="turtle")
        self.assertEqual(list(graph.triples((None, DCTERMS.isReplacedBy, None))), [])

    def test_jsonld_stays_schema_org_only(self):
        deprecate(self.old, replaced_by=self.new)
        data = json.loads(self.content("jsonld"))
        lead = next(t for t in data["hasDefinedTerm"] if t["termCode"] == "lt-1")
        # Nothing of the lifecycle: schema.org has no word for it (dateModified is the
        # history's).
        self.assertEqual(
            set(lead) - {"dateModified", "citation"},
            {"@type", "@id", "url", "name", "termCode", "description", "inDefinedTermSet"},
        )


class ApiTests(LifecycleTestCase):
    def detail(self, term):
        return self.client.get(f"/api/v2/pages/{term.pk}/").json()

    def test_status_and_replacement(self):
        deprecate(self.old, replaced_by=self.new)
        data = self.detail(self.old)
        self.assertEqual(data["status"], "deprecated")
        self.assertEqual(
            data["replaced_by"],
            {"id": self.new.pk, "title": "Cycle time", "url": f"{BASE}/glossary/cycle-time/"},
        )
        current = self.detail(self.new)
        self.assertEqual((current["status"], current["replaced_by"]), ("current", None))

    def test_an_unpublished_replacement_is_not_shown(self):
        deprecate(self.old, replaced_by=self.new)
        GlossaryTermPage.objects.get(pk=self.new.pk).unpublish()
        data = self.detail(self.old)
        self.assertEqual((data["status"], data["replaced_by"]), ("deprecated", None))

    def listing(self):
        """The terms of an API listing by title, and the queries it took (read cold)."""
        cache.clear()
        url = "/api/v2/pages/?type=glossary.GlossaryTermPage&fields=status,replaced_by"
        with CaptureQueriesContext(connection) as queries:
            items = self.client.get(url).json()["items"]
        return {item["title"]: item for item in items}, len(queries)

    def test_a_listing_reads_the_replacements_of_its_terms_at_once(self):
        deprecate(self.other, replaced_by=self.new)
        _items, one = self.listing()
        deprecate(self.old, replaced_by=self.new)
        items, two = self.listing()
        self.assertEqual(one, two)
        self.assertEqual(items["Throughput"]["status"], "deprecated")
        self.assertEqual(items["Lead time"]["replaced_by"]["title"], "Cycle time")
        self.assertEqual(items["Cycle time"]["status"], "current")
        self.assertIsNone(items["Cycle time"]["replaced_by"])


class InvalidationTests(LifecycleTestCase):
    def warm(self, *urls):
        for url in urls:
            self.client.get(url)
            self.assertEqual(self.client.get(url)["X-Page-Cache"], "hit", url)

    def test_a_status_change_renders_afresh_what_shows_the_term(self):
        urls = [
            self.old.url,
            self.article.url,
            "/search/?q=lead+time",
            "/search/suggest/?q=lead",
        ]
        self.warm(*urls)
        deprecate(self.old, replaced_by=self.new)
        for url in urls:
            with self.subTest(url=url):
                self.assertNotEqual(self.client.get(url).get("X-Page-Cache"), "hit", url)
        self.assertContains(self.client.get(self.old.url), "term-lifecycle")
        self.assertContains(self.client.get("/search/?q=lead+time"), "result-status")
        download = self.client.get("/glossary/download/glossary.csv")
        self.assertIn(b"lt-1,Lead time", body(download))
        self.assertIn(b",deprecated,ct-2", body(self.client.get("/glossary/download/glossary.csv")))
