"""The editors' switches over linking: "Never link this term" and "No linked terms on this page"."""

import json
from io import StringIO

from django.core.cache import cache
from django.core.management import call_command
from django.test import TestCase, override_settings

from wagtail.test.utils import WagtailPageTestCase

from glossary.models import GlossaryTermPage, TermMention
from pulse.models import PulseArticlePage
from tests.factories import GlossaryTermPageFactory, PulseArticlePageFactory
from tests.glossary.editors import AdminTestCase
from tests.importer.helpers import ImportTestMixin, article_text, files_of, term_text


def publish(page):
    page.save_revision().publish()
    return page.__class__.objects.get(pk=page.pk)


def mentioned(page):
    return list(TermMention.objects.filter(page=page).values_list("term", flat=True))


class SwitchesInTheAdminTests(AdminTestCase):
    def test_the_term_editor_shows_both_switches_with_help(self):
        term = GlossaryTermPageFactory(title="Kanban", slug="kanban")
        self.login()
        response = self.client.get(f"/admin/pages/{term.pk}/edit/")
        self.assertContains(response, 'name="never_link"')
        self.assertContains(response, 'name="no_linked_terms"')
        self.assertContains(response, "Its page still exists and is found by search.")
        self.assertContains(response, "Show this page&#x27;s text without links to glossary terms")

    def test_the_article_editor_shows_the_page_switch(self):
        article = PulseArticlePageFactory(title="Flow", slug="flow")
        self.login()
        response = self.client.get(f"/admin/pages/{article.pk}/edit/")
        self.assertContains(response, 'name="no_linked_terms"')
        self.assertNotContains(response, 'name="never_link"')


class SwitchesTests(WagtailPageTestCase):
    def setUp(self):
        cache.clear()
        self.kanban = GlossaryTermPageFactory(title="Kanban", slug="kanban")
        self.lean = GlossaryTermPageFactory(title="Lean", slug="lean")
        self.article = PulseArticlePageFactory(
            title="Flow at work",
            slug="flow-at-work",
            body=[("paragraph", "<p>Kanban boards help lean teams.</p>")],
        )
        self.term = GlossaryTermPageFactory(
            title="Work in progress",
            slug="work-in-progress",
            body=[("paragraph", "<p>Limited on kanban boards.</p>")],
        )

    def warm(self, url):
        self.client.get(url)
        self.assertEqual(self.client.get(url).get("X-Page-Cache"), "hit", url)

    def test_a_never_linked_term_is_linked_nowhere_but_its_page_stays(self):
        kanban = GlossaryTermPage.objects.get(pk=self.kanban.pk)
        kanban.never_link = True
        publish(kanban)
        self.assertEqual(mentioned(self.article), [self.lean.pk])
        self.assertEqual(mentioned(self.term), [])
        response = self.client.get(self.article.url)
        self.assertNotContains(response, 'href="/glossary/kanban/"')
        self.assertContains(response, 'href="/glossary/lean/"')
        self.assertEqual(self.client.get(self.kanban.url).status_code, 200)
        self.assertContains(self.client.get("/search/?q=kanban"), "/glossary/kanban/")

    def test_switching_never_link_off_links_it_again(self):
        kanban = GlossaryTermPage.objects.get(pk=self.kanban.pk)
        kanban.never_link = True
        kanban = publish(kanban)
        self.warm(self.article.url)
        kanban.never_link = False
        publish(kanban)
        self.assertEqual(mentioned(self.article), [self.kanban.pk, self.lean.pk])
        self.assertContains(self.client.get(self.article.url), 'href="/glossary/kanban/"')

    @override_settings(LINKS_RELINK="task")
    def test_never_link_unlinks_at_once_before_the_worker_runs(self):
        self.warm(self.article.url)
        kanban = GlossaryTermPage.objects.get(pk=self.kanban.pk)
        kanban.never_link = True
        publish(kanban)  # the worker's task waits for a commit that never comes
        self.assertIn(self.kanban.pk, mentioned(self.article))
        response = self.client.get(self.article.url)
        self.assertNotContains(response, 'href="/glossary/kanban/"')
        self.assertContains(response, 'href="/glossary/lean/"')

    def test_no_linked_terms_on_an_article(self):
        self.warm(self.article.url)
        article = PulseArticlePage.objects.get(pk=self.article.pk)
        article.no_linked_terms = True
        article = publish(article)
        self.assertEqual(mentioned(article), [])
        response = self.client.get(article.url)
        self.assertContains(response, "Kanban boards help lean teams.")
        self.assertNotContains(response, 'class="term-link"')
        article.no_linked_terms = False
        publish(article)
        self.assertEqual(mentioned(article), [self.kanban.pk, self.lean.pk])
        self.assertContains(self.client.get(article.url), 'class="term-link"')

    @override_settings(LINKS_RELINK="task")
    def test_no_linked_terms_shows_at_once_before_the_worker_runs(self):
        self.warm(self.article.url)
        article = PulseArticlePage.objects.get(pk=self.article.pk)
        article.no_linked_terms = True
        publish(article)
        self.assertNotContains(self.client.get(self.article.url), 'class="term-link"')

    def test_no_linked_terms_on_a_term_page_leaves_its_links_elsewhere(self):
        term = GlossaryTermPage.objects.get(pk=self.term.pk)
        term.no_linked_terms = True
        publish(term)
        self.assertEqual(mentioned(term), [])
        self.assertNotContains(
            self.client.get(term.url), 'class="term-link" href="/glossary/kanban/"'
        )
        # Its own page switch does not stop other pages linking to it.
        article = PulseArticlePage.objects.get(pk=self.article.pk)
        article.body = [("paragraph", "<p>Kanban limits work in progress.</p>")]
        publish(article)
        self.assertIn(term.pk, mentioned(article))

    def test_the_api_gives_the_switches(self):
        kanban = GlossaryTermPage.objects.get(pk=self.kanban.pk)
        kanban.never_link = True
        publish(kanban)
        term = json.loads(self.client.get(f"/api/v2/pages/{self.kanban.pk}/").content)
        self.assertIs(term["never_link"], True)
        self.assertIs(term["no_linked_terms"], False)
        article = json.loads(self.client.get(f"/api/v2/pages/{self.article.pk}/").content)
        self.assertIs(article["no_linked_terms"], False)
        self.assertNotIn("never_link", article)


class SwitchesInFixturesTests(ImportTestMixin, TestCase):
    def export(self):
        self.exports = getattr(self, "exports", 0) + 1
        directory = self.dir / f"export-{self.exports}"
        call_command("export_fixtures", str(directory), stdout=StringIO())
        return directory

    def test_the_switches_are_imported_and_exported_only_when_on(self):
        self.write(
            "glossary/on.txt",
            term_text(key="on", name="Kanban", extra="never_link: true\nno_linked_terms: yes\n"),
        )
        self.write(
            "glossary/off.txt", term_text(key="off", name="Lean", extra="never_link: false\n")
        )
        self.write(
            "pulse/quiet.md",
            article_text(title="Quiet", slug="quiet", body="Kanban and lean.").replace(
                "published: 2026-05-01\n", "published: 2026-05-01\nno_linked_terms: true\n"
            ),
        )
        self.write(
            "pulse/loud.md", article_text(title="Loud", slug="loud", body="Kanban and lean.")
        )
        report = self.import_report()
        self.assertEqual(report["counts"]["failed"], 0, report)
        on, off = (
            GlossaryTermPage.objects.get(term_id="on"),
            GlossaryTermPage.objects.get(term_id="off"),
        )
        self.assertEqual((on.never_link, on.no_linked_terms), (True, True))
        self.assertEqual((off.never_link, off.no_linked_terms), (False, False))
        quiet, loud = (
            PulseArticlePage.objects.get(slug="quiet"),
            PulseArticlePage.objects.get(slug="loud"),
        )
        self.assertTrue(quiet.no_linked_terms)
        self.assertEqual(mentioned(quiet), [])
        self.assertEqual(mentioned(loud), [off.pk])  # Kanban is never linked

        # Edited pages are written from their fields (unedited ones as their files were).
        on.no_linked_terms = False
        publish(on)
        loud.no_linked_terms = True
        publish(loud)
        exported = files_of(self.export())
        self.assertIn(b"\nnever_link: true\n", exported["glossary/on.txt"])
        self.assertNotIn(b"no_linked_terms", exported["glossary/on.txt"])
        self.assertIn(b"\nno_linked_terms: true\n", exported["pulse/loud.md"])
        # The export imports back to the same pages, and exports to the same files.
        again = self.import_report(self.dir / "export-1")
        self.assertEqual(again["counts"]["failed"], 0, again)
        self.assertEqual(files_of(self.export()), exported)
        self.assertTrue(PulseArticlePage.objects.get(slug="loud").no_linked_terms)
        self.assertFalse(GlossaryTermPage.objects.get(term_id="on").no_linked_terms)

    def test_a_reimported_switch_relinks_the_article(self):
        self.write("glossary/kanban.txt", term_text(key="kanban", name="Kanban"))
        self.write("pulse/flow.md", article_text(title="Flow", slug="flow", body="Kanban boards."))
        self.import_report()
        flow = PulseArticlePage.objects.get(slug="flow")
        self.assertEqual(len(mentioned(flow)), 1)
        self.write(
            "pulse/flow.md",
            article_text(title="Flow", slug="flow", body="Kanban boards.").replace(
                "published: 2026-05-01\n", "published: 2026-05-01\nno_linked_terms: true\n"
            ),
        )
        report = self.import_report()
        self.assertEqual(report["counts"]["failed"], 0, report)
        self.assertEqual(mentioned(flow), [])

    def test_a_bad_switch_fails_its_record_alone_with_its_line(self):
        self.write(
            "glossary/bad.txt", term_text(key="bad", name="Kanban", extra="never_link: maybe\n")
        )
        self.write("glossary/good.txt", term_text(key="good", name="Lean"))
        out, _error = self.run_failing(format="json")
        report = json.loads(out)
        failed = [entry for entry in report["files"] if entry["verb"] == "failed"]
        self.assertEqual(len(failed), 1, report)
        self.assertTrue(failed[0]["path"].endswith("bad.txt"))
        self.assertIn("'never_link' must be true or false", failed[0]["detail"])
        lines = term_text(key="bad", name="Kanban", extra="never_link: maybe\n").splitlines()
        self.assertEqual(failed[0]["line"], lines.index("never_link: maybe") + 1)
        self.assertTrue(GlossaryTermPage.objects.filter(term_id="good").exists())
