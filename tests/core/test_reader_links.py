"""Links one app puts on another's pages (``core.reader_links``): the page names a place, the
installed apps fill it, and a place nobody fills renders nothing."""

from pathlib import Path
from unittest import mock

from django.template import Context, Template
from django.test import SimpleTestCase

from core import reader_links
from core.reader_links import ReaderLink

TEMPLATES = Path(__file__).resolve().parents[2] / "templates"
PLACE = Template('{% load reader_link_tags %}{% reader_links "test_place" name=name %}')


def render(name):
    return PLACE.render(Context({"name": name})).strip()


class ReaderLinksTests(SimpleTestCase):
    def setUp(self):
        self.enterContext(mock.patch.dict(reader_links._builders, clear=True))

    def test_a_place_no_app_fills_renders_nothing(self):
        self.assertEqual(render("Kanban"), "")

    def test_the_builders_links_render_escaped_in_order_and_none_is_left_out(self):
        reader_links.register(
            "test_place", lambda name: ReaderLink(f"/a/?q={name}", f"About {name}", "first")
        )
        reader_links.register("test_place", lambda name: None)
        reader_links.register(
            "test_place", lambda name: ReaderLink("/b/", "Second", "second", lead="Or:")
        )
        self.assertHTMLEqual(
            render("<b>"),
            '<p class="first"><a href="/a/?q=&lt;b&gt;" rel="nofollow">About &lt;b&gt;</a></p>'
            '<p class="second">Or: <a href="/b/" rel="nofollow">Second</a></p>',
        )

    def test_a_builder_is_registered_once(self):
        def build(name):
            return ReaderLink("/x/", name, "x")

        reader_links.register("test_place", build)
        reader_links.register("test_place", build)  # AppConfig.ready run again
        self.assertEqual(len(reader_links.links("test_place", name="x")), 1)


class TemplatesNameTheirPlacesTests(SimpleTestCase):
    def test_the_term_and_search_pages_load_nothing_of_the_feedback_app(self):
        """They name places (``term_page``, ``search_results``); ``feedback`` fills them."""
        for template in ("glossary/glossary_term_page.html", "search/search.html"):
            with self.subTest(template=template):
                text = (TEMPLATES / template).read_text()
                self.assertNotIn("feedback", text)
                self.assertIn("{% reader_links ", text)
