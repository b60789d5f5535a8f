"""import_fixtures against the real database: fidelity, idempotence and updates."""

import re
import shutil
from io import StringIO
from unittest import mock

from django.core.management import call_command
from django.test import TestCase

from wagtail.images import get_image_model
from wagtail.models import Page, ReferenceIndex, Revision

from glossary.models import GlossaryTermPage, RelatedArticleCard
from importer.models import ImportedRecord
from importer.pipeline import ImportOptions, run_import
from importer.structure import repair
from pulse.models import PulseArticlePage

from .helpers import FIXTURES, SEED_TERM, ImportTestMixin, article_text, term_text


class OptionsTests(TestCase):
    def test_options_and_keywords_together_are_refused_not_half_ignored(self):
        with self.assertRaisesRegex(TypeError, r"not both \(got options and draft, force\)"):
            run_import([], ImportOptions(), force=True, draft=True)
        self.assertFalse(ImportedRecord.objects.exists())
        # Either alone still runs (nothing to read: nothing done).
        self.assertEqual(run_import([], ImportOptions(draft=True)).counts["created"], 0)
        self.assertEqual(run_import([], draft=True).counts["created"], 0)


class SeedImportTests(ImportTestMixin, TestCase):
    def setUp(self):
        super().setUp()
        shutil.copytree(FIXTURES / "glossary", self.dir / "glossary")
        shutil.copytree(FIXTURES / "pulse", self.dir / "pulse")
        self.report = self.import_report()

    def test_seed_term_page_has_recovered_headings_and_repaired_text(self):
        term = GlossaryTermPage.objects.get(term_id="e0c71804d0d3")
        self.assertEqual(term.url, "/glossary/operations-strategy/")
        self.assertTrue(term.live)
        self.assertEqual(
            [block.block_type for block in term.body],
            ["heading", "paragraph", "heading", "paragraph"],
        )
        raw_line = next(line for line in SEED_TERM.splitlines() if line.startswith("content_raw: "))
        self.assertEqual(term.content_raw, raw_line.removeprefix("content_raw: "))
        response = self.client.get(term.url)
        self.assertContains(response, "company’s business")
        self.assertNotContains(response, "â€")
        self.assertContains(response, '<h2 id="defining-operations-strategy">')
        self.assertEqual(len(term.key_questions), 10)

    def test_body_words_are_the_raw_words(self):
        term = GlossaryTermPage.objects.get(term_id="e0c71804d0d3")
        words = []
        for block in term.body:
            text = (
                block.value["heading_text"] if block.block_type == "heading" else block.value.source
            )
            words += __import__("html").unescape(re.sub(r"<[^>]+>", " ", text)).split()
        self.assertEqual(words, repair(term.content_raw).split())

    def test_report_lists_the_three_cards_without_articles(self):
        self.assertEqual(self.report["counts"]["created"], 2)
        self.assertEqual(
            [missing["slug"] for missing in self.report["missing_articles"]],
            [
                "elevating-workflows-with-ai-mavens-approach",
                "optimized-outcomes-with-ai-enabled-solutions",
                "maven-transforming-the-landscape-of-autonomous-vehicles",
            ],
        )
        furniture = [w for w in self.report["warnings"] if w["kind"] == "page furniture dropped"]
        self.assertIn("Visited 84 Times, 1 Visit today", furniture[0]["message"])

    def test_cards_waiting_for_their_article_show_one_line_each_without_link_or_image(self):
        response = self.client.get("/glossary/operations-strategy/")
        self.assertContains(response, "Elevating Workflows with AI Maven&#x27;s Approach")
        self.assertContains(response, "Article coming soon", count=3)
        self.assertNotContains(response, 'href="/pulse/elevating')
        self.assertNotContains(response, 'class="card__image"')
        # The cards' image is still the term's picture when it is shared.
        self.assertContains(response, '<meta property="og:image"')

    def test_one_image_with_renditions_made_during_the_import(self):
        image = get_image_model().objects.get()
        self.assertEqual(
            set(image.renditions.values_list("filter_spec", flat=True)),
            {"fill-640x360|format-webp", "fill-1200x630|format-webp"},
        )

    def test_article_page(self):
        article = PulseArticlePage.objects.get()
        self.assertEqual(article.url, "/pulse/what-is-process-strategy-in-operations-management/")
        response = self.client.get(article.url)
        self.assertContains(response, '<h2 id="conclusion">Conclusion</h2>', html=True)
        self.assertContains(response, "Why do process strategies fail after design?")
        self.assertNotContains(response, "Visited 84 Times")
        self.assertNotContains(response, "Leave a Reply")
        body = response.content.decode().split('<div class="body">', 1)[1]
        self.assertNotIn("What Is Process Strategy In Operations Management?", body)

    def test_second_run_changes_nothing(self):
        pages = dict(Page.objects.values_list("id", "latest_revision_id"))
        revisions = Revision.objects.count()
        report = self.import_report()
        self.assertEqual(report["counts"]["unchanged"], 2)
        self.assertEqual(report["counts"]["created"] + report["counts"]["updated"], 0)
        self.assertEqual(dict(Page.objects.values_list("id", "latest_revision_id")), pages)
        self.assertEqual(Revision.objects.count(), revisions)
        self.assertEqual(get_image_model().objects.count(), 1)
        self.assertIn(
            "maven-transforming-the-landscape-of-autonomous-vehicles",
            [missing["slug"] for missing in report["missing_articles"]],
        )

    def test_unchanged_files_are_not_parsed_again(self):
        with mock.patch("importer.reading.build_record", side_effect=AssertionError("parsed")):
            report = self.import_report()
        self.assertEqual(report["counts"]["unchanged"], 2)

    def test_same_content_in_new_bytes_is_unchanged(self):
        path = self.dir / "glossary" / "000_54b8be97246d5048.txt"
        path.write_bytes(b"\xef\xbb\xbf" + path.read_bytes().replace(b"\n", b"\r\n"))
        revisions = Revision.objects.count()
        self.assertEqual(self.import_report()["counts"]["unchanged"], 2)
        self.assertEqual(Revision.objects.count(), revisions)
        with mock.patch("importer.reading.build_record", side_effect=AssertionError("parsed")):
            self.assertEqual(self.import_report()["counts"]["unchanged"], 2)

    def test_the_fixtures_readme_is_not_a_record(self):
        self.assertTrue((FIXTURES / "README.md").exists())
        report = self.import_report(str(FIXTURES))
        self.assertEqual(report["counts"]["failed"], 0)
        self.assertNotIn("README", " ".join(line["path"] for line in report["files"]))

    def test_each_file_is_hashed_once(self):
        from importer import reading

        for path in (self.dir / "glossary").glob("*.txt"):
            path.write_text(path.read_text() + "\n", encoding="utf-8")  # changed bytes
        with mock.patch.object(reading, "file_digest", wraps=reading.file_digest) as digest:
            self.import_report()
        self.assertEqual(digest.call_count, 2)  # one term file, one article file

    def test_a_dry_run_never_writes_even_when_only_a_files_name_or_bytes_changed(self):
        old = self.dir / "glossary" / "000_54b8be97246d5048.txt"
        new = self.dir / "glossary" / "renamed.txt"
        new.write_bytes(old.read_bytes().replace(b"\n", b"\r\n"))
        old.unlink()
        before = list(ImportedRecord.objects.values_list("source_path", "file_sha256"))
        self.assertEqual(self.import_report(dry_run=True)["counts"]["unchanged"], 2)
        self.assertEqual(
            list(ImportedRecord.objects.values_list("source_path", "file_sha256")), before
        )
        self.assertEqual(self.import_report()["counts"]["unchanged"], 2)  # the run records them
        record = ImportedRecord.objects.get(kind="term")
        self.assertTrue(record.source_path.endswith("glossary/renamed.txt"))
        self.assertNotIn(record.file_sha256, dict(before).values())

    def test_search_and_reference_index_are_current(self):
        self.assertIn(
            "Operations strategy",
            [page.title for page in Page.objects.live().search("operations strategy")],
        )
        card = RelatedArticleCard.objects.get(
            target_slug="optimized-outcomes-with-ai-enabled-solutions"
        )
        referrers = ReferenceIndex.get_references_to(card).values_list("object_id", flat=True)
        term = GlossaryTermPage.objects.get()
        self.assertIn(str(term.pk), list(referrers))

    def test_page_tree_is_sound(self):
        out = StringIO()
        call_command("fixtree", stdout=out)
        self.assertEqual(out.getvalue().count("No problems found."), 2)


class UpdateTests(ImportTestMixin, TestCase):
    def setUp(self):
        super().setUp()
        self.path = self.write("glossary/t1.txt", term_text())
        self.run_import()
        self.term = GlossaryTermPage.objects.get(term_id="t1")

    def test_changed_fixture_makes_one_revision_and_publishes_it(self):
        before = self.term.revisions.count()
        self.write("glossary/t1.txt", term_text().replace("is a promise", "is an agreed promise"))
        report = self.import_report()
        self.assertEqual(report["counts"]["updated"], 1)
        self.assertIn("description", [line["detail"] for line in report["files"]])
        self.term.refresh_from_db()
        self.assertEqual(self.term.revisions.count(), before + 1)
        self.assertIn("agreed promise", self.term.description)
        self.assertContains(self.client.get(self.term.url), "agreed promise")

    def test_draft_leaves_the_change_for_review(self):
        self.write("glossary/t1.txt", term_text().replace("is a promise", "is a draft promise"))
        self.run_import(draft=True)
        self.term.refresh_from_db()
        self.assertTrue(self.term.has_unpublished_changes)
        self.assertNotIn("draft promise", self.term.description)
        self.assertIn("draft promise", self.term.get_latest_revision_as_object().description)

    def test_editor_changes_are_not_overwritten_without_force(self):
        edited = self.term.get_latest_revision_as_object()
        edited.description = "An editor's better definition."
        edited.save_revision().publish()
        self.write("glossary/t1.txt", term_text().replace("is a promise", "is a changed promise"))
        report = self.import_report()
        self.assertEqual(report["counts"]["skipped"], 1)
        self.assertIn("edited in the admin", report["files"][0]["detail"])
        self.term.refresh_from_db()
        self.assertEqual(self.term.description, "An editor's better definition.")

        self.run_import(force=True)
        self.term.refresh_from_db()
        self.assertIn("changed promise", self.term.description)

    def test_dry_run_writes_nothing_and_says_what_would_change(self):
        self.write("glossary/t1.txt", term_text().replace("is a promise", "is a new promise"))
        self.write("glossary/t2.txt", term_text(key="t2", name="Capacity model"))
        counts = (
            Page.objects.count(),
            Revision.objects.count(),
            RelatedArticleCard.objects.count(),
        )
        output = self.run_import(dry_run=True)
        self.assertIn("would be updated", output)
        self.assertIn("(description)", output)
        self.assertIn("would be created", output)
        self.assertEqual(
            (Page.objects.count(), Revision.objects.count(), RelatedArticleCard.objects.count()),
            counts,
        )

    def test_article_imported_later_links_the_waiting_card(self):
        response = self.client.get(self.term.url)
        self.assertNotContains(response, 'href="/pulse/uptime-explained/"')
        self.write("pulse/uptime.md", article_text())
        self.run_import()
        self.assertContains(self.client.get(self.term.url), 'href="/pulse/uptime-explained/"')
