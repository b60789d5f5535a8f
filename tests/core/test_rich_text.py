"""Rich text is reduced to what its editor allows wherever it enters: the import's
``body_format: blocks`` files, the admin's edit form, code that saves a page; and the rows
stored before are cleaned by the data migrations (``test_rich_text_stored.py``). Each door is
checked on the rendered page."""

import json
import shutil
import tempfile
from io import StringIO
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis.extra.django import TestCase as HypothesisTestCase

from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.core.management import call_command
from django.test import SimpleTestCase

from wagtail.test.utils.form_data import inline_formset, nested_form_data, streamfield

from core.blocks import PARAGRAPH_FEATURES
from core.rich_text import sanitise_html
from glossary.models import GlossaryTermPage
from pulse.models import PulseArticlePage
from tests.core.rich_text_attacks import ATTACK, hostile_html, stored_body
from tests.factories import GlossaryTermPageFactory, PulseArticlePageFactory
from tests.markup import active_markup

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures"


def hostile_body(html):
    """A term body with ``html`` in each of its rich texts."""
    return [
        ("paragraph", html),
        ("callout", {"title": "Key point", "text": html}),
        ("quote", {"quote": html, "attribution": html}),
    ]


def hostile_article_body(html):
    return [
        ("paragraph", html),
        ("faq", {"heading_text": "FAQs", "items": [{"question": "Why?", "answer": html}]}),
    ]


class SanitiseTests(SimpleTestCase):
    def test_keeps_what_the_editor_writes(self):
        html = (
            '<p data-block-key="a1b2c">Text with <b>bold</b>, <i>italic</i>, '
            '<a linktype="page" id="3">a page</a> and <a href="https://example.org/">a site</a>'
            ' &amp; a &lt;tag&gt;.</p><ul><li data-block-key="d3">one</li></ul>'
            '<ol><li data-block-key="e4">two</li></ol>'
        )
        self.assertEqual(sanitise_html(html, PARAGRAPH_FEATURES), html)

    def test_removes_the_attack(self):
        cleaned = sanitise_html(ATTACK, PARAGRAPH_FEATURES)
        self.assertEqual(
            cleaned, "<p>Before</p><a>read more</a><p>After</p>", "only text and inert tags stay"
        )

    def test_features_decide_the_elements(self):
        self.assertEqual(sanitise_html("<h2>Title</h2><p>x</p>", ["bold"]), "Title<p>x</p>")
        self.assertEqual(sanitise_html("<h2>Title</h2>", ["h2"]), "<h2>Title</h2>")
        self.assertEqual(
            sanitise_html('<a linktype="document" id="2">d</a>', ["link"]), '<a id="2">d</a>'
        )
        self.assertEqual(
            sanitise_html('<a linktype="document" id="2">d</a>', ["document-link"]),
            '<a linktype="document" id="2">d</a>',
        )

    @given(hostile_html)
    def test_cleaned_markup_is_inert_and_stable(self, html):
        cleaned = sanitise_html(html, PARAGRAPH_FEATURES)
        self.assertEqual(active_markup(cleaned), [])
        self.assertEqual(sanitise_html(cleaned, PARAGRAPH_FEATURES), cleaned)


class CodeDoorTests(HypothesisTestCase):
    """Whatever code assigns, the saved page holds only what the editor allows."""

    def assert_page_is_inert(self, page):
        cache.clear()
        response = self.client.get(page.url)
        self.assertEqual(response.status_code, 200)
        self.assertEqual(active_markup(response.content.decode()), [])

    def test_the_attack_assigned_as_blocks_is_cleaned(self):
        term = GlossaryTermPageFactory(title="Kanban", body=hostile_body(ATTACK)[:2])
        stored = stored_body(GlossaryTermPage, term.pk)
        for piece in ("<script", "<iframe", "javascript:", "onerror", "<meta"):
            self.assertNotIn(piece, stored)
        self.assert_page_is_inert(term)

    def test_a_body_assigned_as_json_is_cleaned(self):
        """Wagtail saves a stream it never had to read as it was given."""
        term = GlossaryTermPageFactory(title="Kanban")
        term.body = json.dumps([{"type": "paragraph", "value": ATTACK, "id": "x1"}])
        term.save_revision().publish()
        self.assertNotIn("<script", stored_body(GlossaryTermPage, term.pk))
        self.assert_page_is_inert(GlossaryTermPage.objects.get())

    @settings(max_examples=25, suppress_health_check=[HealthCheck.too_slow])
    @given(hostile_html)
    def test_hostile_markup_saved_by_code_renders_inert(self, html):
        self.publish_hostile(GlossaryTermPage, GlossaryTermPageFactory, hostile_body(html))

    @settings(max_examples=10, suppress_health_check=[HealthCheck.too_slow])
    @given(hostile_html)
    def test_hostile_markup_in_an_article_renders_inert(self, html):
        self.publish_hostile(PulseArticlePage, PulseArticlePageFactory, hostile_article_body(html))

    def publish_hostile(self, model, factory, body):
        """The page "hostile" of ``model`` (one for every example) published with ``body``."""
        page = model.objects.filter(slug="hostile").first()
        if page is None:
            page = factory(title="Hostile", slug="hostile")
        page.body = body
        page.save_revision().publish()
        self.assert_page_is_inert(model.objects.get(pk=page.pk))


def blocks_term(body_html, key="t-evil", name="Evil term"):
    """A ``body_format: blocks`` term file whose rich text holds ``body_html``."""
    blocks = [
        {"type": "paragraph", "value": body_html},
        {"type": "callout", "value": {"title": "Note", "text": body_html}},
    ]
    return (
        f"---\nid: {key}\nname: {name}\ncategory: glossary\n"
        f"description: {name} is a test.\nbody_format: blocks\n---\n"
        + json.dumps(blocks, indent=1)
        + "\n"
    )


def blocks_article(body_html, slug="evil-article"):
    blocks = [
        {"type": "paragraph", "value": body_html},
        {
            "type": "faq",
            "value": {"heading_text": "FAQs", "items": [{"question": "Q?", "answer": body_html}]},
        },
    ]
    return (
        f"---\ntitle: Evil article\nslug: {slug}\ncategory: Glossary in Action\n"
        "published: 2026-05-01\nbody_format: blocks\n---\n" + json.dumps(blocks, indent=1) + "\n"
    )


class ImportDoorTests(HypothesisTestCase):
    def setUp(self):
        cache.clear()
        self.dir = Path(tempfile.mkdtemp())
        self.addCleanup(shutil.rmtree, self.dir)
        shutil.copytree(FIXTURES / "images", self.dir / "images")

    def run_import(self, **options):
        out = StringIO()
        with self.settings(FIXTURES_DIR=self.dir):
            call_command("import_fixtures", str(self.dir), stdout=out, **options)
        return out.getvalue()

    def test_the_issues_attack_is_removed_and_reported(self):
        (self.dir / "glossary").mkdir()
        (self.dir / "glossary" / "evil.txt").write_text(blocks_term(ATTACK))
        (self.dir / "pulse").mkdir()
        (self.dir / "pulse" / "evil.txt").write_text(blocks_article(ATTACK))
        output = self.run_import()
        self.assertIn("line 8: markup the editor does not allow", output)
        term = GlossaryTermPage.objects.get(term_id="t-evil")
        article = PulseArticlePage.objects.get(slug="evil-article")
        for page in (term, article):
            response = self.client.get(page.url)
            html = response.content.decode()
            self.assertContains(response, "Before")
            self.assertContains(response, "read more")
            self.assertEqual(active_markup(html), [], page.url)
            self.assertNotIn("evil.example", html)
        # Importing the same files again finds nothing to change: records equal saved pages.
        self.assertEqual(self.run_import(force=True).count("   unchanged  "), 2)

    @settings(max_examples=10, suppress_health_check=[HealthCheck.too_slow])
    @given(hostile_html)
    def test_hostile_markup_imported_renders_inert(self, html):
        shutil.rmtree(self.dir / "glossary", ignore_errors=True)
        (self.dir / "glossary").mkdir()
        (self.dir / "glossary" / "evil.txt").write_text(blocks_term(html))
        self.run_import()
        cache.clear()
        term = GlossaryTermPage.objects.get(term_id="t-evil")
        self.assertEqual(active_markup(self.client.get(term.url).content.decode()), [])


class AdminDoorTests(HypothesisTestCase):
    """A crafted edit POST: Draftail's contentstate with hostile text and links, and a raw
    HTML value where contentstate belongs."""

    def setUp(self):
        self.client.force_login(
            get_user_model().objects.create_superuser("boss", "b@example.com", "pw")
        )
        self.term = GlossaryTermPageFactory(title="Kanban", slug="kanban")

    def post_body(self, rich_text_value):
        data = nested_form_data(
            {
                "title": "Kanban",
                "slug": "kanban",
                "description": "A way to see work.",
                "body": streamfield([("paragraph", rich_text_value)]),
                "key_questions": streamfield([]),
                "related_cards": inline_formset([]),
                "pinned_related_terms": inline_formset([]),
                "sources": inline_formset([]),
                "broader_terms": inline_formset([]),
                "status": "current",
            }
        )
        return self.client.post(
            f"/admin/pages/{self.term.pk}/edit/", data | {"action-publish": "publish"}
        )

    @staticmethod
    def contentstate(text, url):
        return json.dumps(
            {
                "blocks": [
                    {
                        "key": "a1",
                        "type": "unstyled",
                        "depth": 0,
                        "text": text,
                        "inlineStyleRanges": [],
                        "entityRanges": [{"offset": 0, "length": len(text), "key": 0}],
                        "data": {},
                    }
                ],
                "entityMap": {"0": {"type": "LINK", "mutability": "MUTABLE", "data": {"url": url}}},
            }
        )

    def assert_saved_and_inert(self, response):
        self.assertEqual(response.status_code, 302)
        cache.clear()
        page = GlossaryTermPage.objects.get(pk=self.term.pk)
        self.client.logout()
        self.assertEqual(active_markup(self.client.get(page.url).content.decode()), [])

    def test_contentstate_with_the_attack(self):
        for url in ("javascript:alert(1)", " jav\tascript:alert(1)", "data:text/html,x"):
            with self.subTest(url=url):
                self.client.force_login(get_user_model().objects.get(username="boss"))
                self.assert_saved_and_inert(self.post_body(self.contentstate(ATTACK, url)))

    @settings(max_examples=8, suppress_health_check=[HealthCheck.too_slow])
    @given(hostile_html, hostile_html)
    def test_hostile_contentstate_renders_inert(self, text, url):
        self.client.force_login(get_user_model().objects.get(username="boss"))
        self.assert_saved_and_inert(self.post_body(self.contentstate(text or "x", url)))


def test_a_link_keeps_an_id_only_as_the_number_of_what_it_points_to():
    html = (
        '<p><a linktype="page" id="3">kept</a> <a href="https://example.org" '
        'id="wagtail-userbar">spoof</a> <a linktype="page" id="main">clobber</a></p>'
    )
    cleaned = sanitise_html(html)
    assert '<a linktype="page" id="3">kept</a>' in cleaned
    assert "wagtail-userbar" not in cleaned
    assert 'id="main"' not in cleaned
