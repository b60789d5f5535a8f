"""import_fixtures against the real database: references, safety, bad input and the lock."""

import re
import shutil
import threading
from io import StringIO
from pathlib import Path

from django.core.management import CommandError, call_command
from django.db import connection
from django.test import TestCase, TransactionTestCase

from wagtail.contrib.redirects.models import Redirect

from glossary.models import GlossaryTermPage, RelatedArticleCard, RelatedArticlesSection
from importer.locking import ImportLocked, import_lock
from importer.models import ImportedRecord
from pulse.models import PulseArticlePage
from tests.markup import active_markup

from .helpers import ImportTestMixin, article_text, term_text


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
