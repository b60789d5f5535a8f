"""import_fixtures against the real database: fidelity, idempotence, safety and errors."""

import json
import re
import shutil
import threading
from io import StringIO
from pathlib import Path
from unittest import mock

from django.core.cache import cache
from django.core.management import CommandError, call_command
from django.db import connection
from django.test import TestCase, TransactionTestCase

from wagtail.contrib.redirects.models import Redirect
from wagtail.images import get_image_model
from wagtail.models import Page, ReferenceIndex, Revision

from glossary.models import GlossaryTermPage, RelatedArticleCard, RelatedArticlesSection
from importer.locking import ImportLocked, import_lock
from importer.models import ImportedRecord
from importer.structure import repair
from pulse.models import PulseArticlePage
from tests.markup import active_markup

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures"
SEED_TERM = (FIXTURES / "glossary" / "000_54b8be97246d5048.txt").read_text(encoding="utf-8")


def term_text(key="t1", name="Service level", slug_line="", cards=("uptime-explained",), extra=""):
    items = "".join(
        "\t{\n"
        f"\t\trelated_article_title: Card for {slug},\n"
        "\t\trelated_article_subheading: Article,\n"
        "\t\trelated_article_image: /data_operations_boardroom.jpg,\n"
        "\t\trelated_article_buttontext: Read Pulse,\n"
        f"\t\trelated_article_slug: {slug}\n"
        "\t},\n"
        for slug in cards
    )
    return (
        f"---\nid: {key}\nname: {name}\n{slug_line}category: glossary\n"
        f"description: {name} is a promise about how well a service performs.\n"
        'key_words: ["What is it?", "Who owns it?"]\n'
        f"content_raw: Defining {name} Service levels are agreed targets. They are measured.\n"
        "related_articles_heading: Recently published Pulse insights.\n"
        "related_articles_subheading: Practical Application\n"
        "related_articles_description: Read how Plexsive implement this with our clients.\n"
        "related_articles_category: Glossary in Action\n"
        f"related_articles_items: [\n{items}]\n{extra}---\n"
    )


def article_text(
    title="Uptime explained", slug="uptime-explained", body="Uptime matters. It is measured."
):
    return (
        f"---\ntitle: {title}\nslug: {slug}\nsubheading: Article\ncategory: Glossary in Action\n"
        f"image: /data_operations_boardroom.jpg\npublished: 2026-05-01\n---\n{title}\n\n{body}\n"
    )


class ImportTestMixin:
    def setUp(self):
        super().setUp()
        # Rendition lookups are cached by image id, and ids come back after each rollback.
        cache.clear()
        self.dir = Path(self.enterContext(_tempdir()))
        shutil.copytree(FIXTURES / "images", self.dir / "images")

    def write(self, name, text):
        path = self.dir / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(text.encode("utf-8") if isinstance(text, str) else text)
        return path

    def run_import(self, *paths, **options):
        out = StringIO()
        targets = [str(p) for p in paths] or [str(self.dir)]
        with self.settings(FIXTURES_DIR=self.dir):
            call_command("import_fixtures", *targets, stdout=out, **options)
        return out.getvalue()

    def import_report(self, *paths, **options):
        """The import's report as data (``--format json``), not its text table."""
        return json.loads(self.run_import(*paths, format="json", **options))

    def run_failing(self, *paths, **options):
        out = StringIO()
        with self.settings(FIXTURES_DIR=self.dir), self.assertRaises(CommandError) as caught:
            call_command(
                "import_fixtures", *[str(p) for p in paths or [self.dir]], stdout=out, **options
            )
        return out.getvalue(), str(caught.exception)


class _tempdir:
    def __enter__(self):
        import tempfile

        self.path = tempfile.mkdtemp(prefix="fixtures-")
        return self.path

    def __exit__(self, *exc):
        shutil.rmtree(self.path, ignore_errors=True)


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


class ReferenceTests(ImportTestMixin, TestCase):
    def test_cards_and_sections_are_shared_whatever_the_file_order(self):
        self.write("a/article.md", article_text())
        self.write("b/t1.txt", term_text(key="t1", name="Service level"))
        self.write(
            "c/t2.txt", term_text(key="t2", name="Uptime", cards=("uptime-explained", "other"))
        )
        self.run_import()
        self.assertEqual(RelatedArticleCard.objects.count(), 2)
        self.assertEqual(RelatedArticlesSection.objects.count(), 1)
        card = RelatedArticleCard.objects.get(target_slug="uptime-explained")
        self.assertEqual(card.target_page.slug, "uptime-explained")
        self.assertEqual(card.placements.count(), 2)

    def test_unsafe_fixture_slug_is_normalised_and_redirected(self):
        self.write("pulse/a.md", article_text(title="Maven's approach", slug="AI-Maven's-Approach"))
        self.run_import()
        article = PulseArticlePage.objects.get()
        self.assertEqual(article.slug, "ai-mavens-approach")
        redirect = Redirect.objects.get()
        self.assertEqual(redirect.old_path, "/pulse/AI-Maven's-Approach")
        self.assertTrue(redirect.is_permanent)
        response = self.client.get("/pulse/AI-Maven's-Approach/")
        self.assertEqual(response.status_code, 301)
        self.assertEqual(response["Location"], "/pulse/ai-mavens-approach/")

    def test_term_slug_from_name_or_record(self):
        self.write("t1.txt", term_text(key="t1", name="Café Ünïcode"))
        self.write("t2.txt", term_text(key="t2", name="Lean", slug_line="slug: lean-process\n"))
        self.run_import()
        self.assertEqual(GlossaryTermPage.objects.get(term_id="t1").url, "/glossary/cafe-unicode/")
        self.assertEqual(GlossaryTermPage.objects.get(term_id="t2").url, "/glossary/lean-process/")

    def test_a_reserved_slug_is_renamed_with_a_warning_naming_file_and_line(self):
        """A term named "Letter" at /glossary/letter/ would hide every letter page."""
        self.write("t1.txt", term_text(key="t1", name="Letter"))
        self.write("t2.txt", term_text(key="t2", name="Dl", slug_line="slug: Download\n"))
        report = self.import_report()
        self.assertEqual(GlossaryTermPage.objects.get(term_id="t1").slug, "letter-term")
        self.assertEqual(GlossaryTermPage.objects.get(term_id="t2").slug, "download-term")
        renamed = sorted(
            (Path(w["path"]).name, w["message"])
            for w in report["warnings"]
            if w["kind"] == "reserved slug renamed"
        )
        self.assertEqual(
            renamed,
            [
                (
                    "t1.txt",
                    "line 3: the slug 'letter' is reserved for the glossary's own pages; "
                    "the term gets 'letter-term' instead",
                ),
                (
                    "t2.txt",
                    "line 4: the slug 'download' is reserved for the glossary's own pages; "
                    "the term gets 'download-term' instead",
                ),
            ],
        )
        self.assertFalse(Redirect.objects.exists())  # /glossary/download/ stays the index's
        self.assertEqual(self.client.get("/glossary/letter/l/").status_code, 200)
        self.assertEqual(self.client.get("/glossary/letter-term/").status_code, 200)

    def test_missing_image_is_a_warning_and_the_card_renders(self):
        shutil.rmtree(self.dir / "images")
        self.write("t1.txt", term_text())
        output = self.run_import()
        self.assertIn("image '/data_operations_boardroom.jpg' not found", output)
        term = GlossaryTermPage.objects.get()
        response = self.client.get(term.url)
        self.assertContains(response, "Card for uptime-explained")
        self.assertNotContains(response, "card__image")

    def test_markup_in_fixtures_is_inert(self):
        payload = '<script>alert(1)</script> <img src=x onerror=alert(2)> <a href="javascript:alert(3)">x</a>'
        text = term_text(name="Safe term").replace(
            "Defining Safe term Service levels", f"Defining Safe term {payload} Service levels"
        )
        text = text.replace("is a promise", f"is a promise {payload}").replace(
            "Card for uptime-explained", f"Card {payload}"
        )
        self.write("t1.txt", text)
        self.run_import()
        term = GlossaryTermPage.objects.get()
        for url in [term.url, "/glossary/"]:
            self.assertEqual(active_markup(self.client.get(url).content.decode()), [], url)
        self.client.force_login(_superuser())
        body = self.client.get(f"/admin/pages/{term.pk}/edit/").content.decode()
        self.assertNotIn("<script>alert(1)", body)
        self.assertNotIn("<img src=x", body)
        self.assertNotIn('href="javascript:', body)


def _superuser():
    from django.contrib.auth import get_user_model

    return get_user_model().objects.create_superuser("boss", "boss@example.com", "pw")


class BadInputTests(ImportTestMixin, TestCase):
    CASES = {
        "unclosed.txt": ("---\nid: u1\nname: Unclosed\n", 1, "never closed"),
        "broken-list.txt": (
            '---\nid: b1\nname: Broken\nkey_words: ["a", "b"\n---\n',
            4,
            "broken list",
        ),
        "no-id.txt": ("---\nname: Nameless\n---\n", 1, "'id' is missing"),
        "no-kind.txt": ("---\nid: k1\ndescription: neither\n---\n", 1, "'name' (glossary term)"),
        "empty.txt": ("", 1, "empty"),
        "latin1.txt": (b"---\nid: l1\nname: Caf\xe9\n---\n", 3, "not UTF-8"),
        "card.txt": (
            "---\nid: c1\nname: Card\nrelated_articles_items: [\n\t{\n\t\trelated_article_title: T\n\t},\n]\n---\n",
            5,
            "no related_article_slug",
        ),
        "bad-date.md": ("---\ntitle: Dated\npublished: 2026-13-45\n---\nText.\n", 3, "ISO date"),
        "long.txt": (
            "---\nid: d1\nname: Long\ndescription: " + "x" * 321 + "\n---\n",
            4,
            "at most 320",
        ),
    }

    def test_each_bad_file_fails_alone_with_file_and_line(self):
        good = self.write("good.txt", term_text(key="g1", name="Good term"))
        for name, (text, _line, _message) in self.CASES.items():
            self.write(f"bad/{name}", text)
        output, error = self.run_failing()
        self.assertIn(f"{len(self.CASES)} file(s) failed", error)
        for name, (_text, line, message) in self.CASES.items():
            with self.subTest(name=name):
                match = re.search(
                    rf"failed\s+\S*bad/{re.escape(name)}: line (\d+) \((.*)\)", output
                )
                self.assertIsNotNone(match, output)
                self.assertEqual(int(match[1]), line)
                self.assertIn(message, match[2])
        self.assertTrue(GlossaryTermPage.objects.filter(term_id="g1").exists(), good)
        self.assertEqual(GlossaryTermPage.objects.count(), 1)

    def test_an_id_used_by_two_files(self):
        self.write("a.txt", term_text(key="same", name="First"))
        self.write("b.txt", term_text(key="same", name="Second"))
        output, _error = self.run_failing()
        self.assertRegex(
            output, r"failed\s+\S*b\.txt: line 1 \(the id 'same' is already used by \S*a\.txt\)"
        )
        self.assertEqual(GlossaryTermPage.objects.get().title, "First")

    def test_strict_is_all_or_nothing(self):
        self.write("a.txt", term_text(key="s1", name="Strict one"))
        self.write("b.txt", "---\nid: s2\n")
        self.run_failing(strict=True)
        self.assertFalse(GlossaryTermPage.objects.exists())

    def test_strict_rolls_back_when_a_write_fails(self):
        self.write("a.txt", term_text(key="s1", name="Same slug"))
        self.write("b.txt", term_text(key="s2", name="Same slug"))
        output, _error = self.run_failing(strict=True)
        self.assertIn("rolled back", output)
        self.assertFalse(GlossaryTermPage.objects.exists())
        self.assertFalse(ImportedRecord.objects.exists())

    def test_slug_clash_fails_that_file_only(self):
        self.write("a.txt", term_text(key="s1", name="Same slug"))
        self.write("b.txt", term_text(key="s2", name="Same slug"))
        output, _error = self.run_failing()
        self.assertRegex(output, r"failed\s+\S*b\.txt: term 'Same slug' \(slug: .*in use")
        self.assertEqual(GlossaryTermPage.objects.count(), 1)

    def test_missing_path(self):
        with self.assertRaisesMessage(CommandError, "No fixture file or folder at /no/such/place"):
            call_command("import_fixtures", "/no/such/place", stdout=StringIO())


class LockTests(TransactionTestCase):
    serialized_rollback = True  # keep the migrated site tree for the tests that follow

    def test_a_second_import_waits_then_gives_up_clearly(self):
        errors = []

        def second():
            try:
                with import_lock(timeout=0.5):
                    errors.append("acquired")
            except ImportLocked as error:
                errors.append(str(error))
            finally:
                connection.close()

        with import_lock():
            thread = threading.Thread(target=second)
            thread.start()
            thread.join()
        self.assertEqual(len(errors), 1)
        self.assertIn("another import is still running", errors[0])

        after = []
        thread = threading.Thread(target=lambda: (after.append(_try_lock()), connection.close()))
        thread.start()
        thread.join()
        self.assertEqual(after, ["acquired"])


def _try_lock():
    with import_lock(timeout=1):
        return "acquired"
