"""What search engines and link previews see, read with a real structured-data extractor."""

import extruct
from defusedxml import ElementTree

from django.core.cache import cache

from wagtail.test.utils import WagtailPageTestCase

from tests.factories import (
    GlossaryTermPageFactory,
    ImageFactory,
    PulseArticlePageFactory,
    RelatedArticleCardFactory,
    add_cards,
)


def json_ld(response):
    data = extruct.extract(
        response.content.decode(), base_url="http://localhost/", syntaxes=["json-ld"]
    )
    return {item["@type"]: item for item in data["json-ld"]}


def meta(response, attribute, name):
    from lxml import html

    tree = html.fromstring(response.content)
    values = tree.xpath(f'//meta[@{attribute}="{name}"]/@content')
    return values[0] if values else None


class StructuredDataTests(WagtailPageTestCase):
    def setUp(self):
        cache.clear()

    def test_term_is_a_defined_term_in_a_set_with_breadcrumbs(self):
        term = GlossaryTermPageFactory(
            title="Operations strategy", slug="operations-strategy", term_id="e0c71804d0d3"
        )
        add_cards(term, RelatedArticleCardFactory(image=ImageFactory()))
        response = self.client.get(term.url)
        documents = json_ld(response)
        defined = documents["DefinedTerm"]
        self.assertEqual(defined["name"], "Operations strategy")
        self.assertEqual(defined["description"], term.description)
        self.assertEqual(defined["termCode"], "e0c71804d0d3")
        self.assertEqual(defined["url"], "http://localhost/glossary/operations-strategy/")
        self.assertEqual(defined["inDefinedTermSet"]["@type"], "DefinedTermSet")
        self.assertEqual(defined["inDefinedTermSet"]["url"], "http://localhost/glossary/")
        crumbs = documents["BreadcrumbList"]["itemListElement"]
        self.assertEqual([c["name"] for c in crumbs], ["Home", "Glossary", "Operations strategy"])
        self.assertEqual([c["position"] for c in crumbs], [1, 2, 3])

        self.assertEqual(meta(response, "property", "og:title"), "Operations strategy")
        self.assertEqual(
            meta(response, "property", "og:url"), "http://localhost/glossary/operations-strategy/"
        )
        self.assertEqual(meta(response, "name", "description"), term.description)
        self.assertTrue(
            meta(response, "property", "og:image").startswith("http://testserver/media/images/")
        )
        self.assertEqual(meta(response, "name", "twitter:card"), "summary_large_image")

    def test_article_is_an_article(self):
        article = PulseArticlePageFactory(
            title="Governed execution", slug="governed-execution", hero_image=ImageFactory()
        )
        response = self.client.get(article.url)
        documents = json_ld(response)
        self.assertEqual(documents["Article"]["headline"], "Governed execution")
        self.assertEqual(documents["Article"]["datePublished"], "2026-03-14")
        self.assertTrue(
            documents["Article"]["image"][0].startswith("http://testserver/media/images/")
        )
        self.assertEqual(meta(response, "property", "og:type"), "article")
        self.assertIn("BreadcrumbList", documents)

    def test_an_article_without_a_summary_is_described_by_its_opening(self):
        article = PulseArticlePageFactory(
            slug="no-summary",
            summary="",
            body=[
                ("heading", {"heading_text": "Start", "size": "h2"}),
                ("paragraph", "<p>Process &amp; control <b>matter</b>. " + "word " * 60 + "</p>"),
            ],
        )
        description = meta(self.client.get(article.url), "name", "description")
        self.assertTrue(description.startswith("Process & control matter. word"), description)
        self.assertLessEqual(len(description), 160)

    def test_an_articles_contents_list_holds_its_headings_and_faq(self):
        article = PulseArticlePageFactory(
            slug="with-contents",
            body=[
                ("heading", {"heading_text": "Why it matters", "size": "h2"}),
                ("paragraph", "<p>Text.</p>"),
                ("faq", {"heading_text": "Questions asked", "items": []}),
            ],
        )
        response = self.client.get(article.url)
        self.assertContains(response, '<a href="#why-it-matters">Why it matters</a>', html=True)
        self.assertContains(response, '<a href="#questions-asked">Questions asked</a>', html=True)
        self.assertContains(response, '<h2 id="questions-asked">Questions asked</h2>', html=True)

    def test_text_cannot_break_out_of_json_ld(self):
        term = GlossaryTermPageFactory(title="</script><script>alert(1)</script>", slug="breakout")
        response = self.client.get(term.url)
        self.assertNotContains(response, "<script>alert(1)")
        self.assertEqual(
            json_ld(response)["DefinedTerm"]["name"], "</script><script>alert(1)</script>"
        )

    def test_glossary_index_is_a_defined_term_set(self):
        documents = json_ld(self.client.get("/glossary/"))
        self.assertEqual(documents["DefinedTermSet"]["url"], "http://localhost/glossary/")


class TermNavigationTests(WagtailPageTestCase):
    def test_contents_list_links_to_the_body_headings(self):
        term = GlossaryTermPageFactory(
            body=[
                ("heading", {"heading_text": "Defining Operations Strategy", "size": "h2"}),
                ("paragraph", "<p>Text.</p>"),
                ("heading", {"heading_text": "Its Business Benefits", "size": "h3"}),
            ]
        )
        response = self.client.get(term.url)
        self.assertContains(
            response,
            '<a href="#defining-operations-strategy">Defining Operations Strategy</a>',
            html=True,
        )
        self.assertContains(
            response, '<h3 id="its-business-benefits">Its Business Benefits</h3>', html=True
        )

    def test_previous_and_next_terms_alphabetically(self):
        GlossaryTermPageFactory(title="Backlog", slug="backlog")
        middle = GlossaryTermPageFactory(title="Capacity", slug="capacity")
        GlossaryTermPageFactory(title="Agile", slug="agile")
        GlossaryTermPageFactory(title="Draft term", slug="draft-term", live=False)
        response = self.client.get(middle.url)
        self.assertContains(
            response,
            '<a rel="prev" href="/glossary/backlog/"><span>Previous term</span> Backlog</a>',
            html=True,
        )
        self.assertNotContains(response, 'rel="next"')


class FeedAndSitemapTests(WagtailPageTestCase):
    def test_rss_and_atom_feeds_list_articles(self):
        PulseArticlePageFactory(title="Governed execution", slug="governed-execution")
        rss = ElementTree.fromstring(self.client.get("/pulse/feed/").content)
        self.assertEqual(rss.find("channel/item/title").text, "Governed execution")
        self.assertEqual(
            rss.find("channel/item/link").text, "http://testserver/pulse/governed-execution/"
        )
        atom = ElementTree.fromstring(self.client.get("/pulse/feed/atom/").content)
        ns = {"a": "http://www.w3.org/2005/Atom"}
        self.assertEqual(atom.find("a:entry/a:title", ns).text, "Governed execution")
        self.assertContains(self.client.get("/"), 'type="application/rss+xml"')

    def test_sitemap_has_lastmod(self):
        term = GlossaryTermPageFactory(title="Capacity", slug="capacity")
        term.save_revision().publish()
        root = ElementTree.fromstring(self.client.get("/sitemap-glossary.xml").content)
        ns = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}
        urls = {u.find("s:loc", ns).text: u for u in root.findall("s:url", ns)}
        self.assertIn("http://localhost/glossary/capacity/", urls)
        self.assertIsNotNone(urls["http://localhost/glossary/capacity/"].find("s:lastmod", ns))

    def test_a_sitemap_file_reads_only_addresses_and_dates(self):
        """A term's raw source and body stay in the database (5,000 of them a file)."""
        from django.core.cache import cache
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        GlossaryTermPageFactory(title="Capacity", slug="capacity")
        cache.clear()
        with CaptureQueriesContext(connection) as captured:
            response = self.client.get("/sitemap-glossary.xml")
        self.assertContains(response, "<loc>http://localhost/glossary/capacity/</loc>")
        read = " ".join(query["sql"] for query in captured)
        for column in ("content_raw", '"description"', '"body"'):
            self.assertNotIn(column, read)
