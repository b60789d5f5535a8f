"""What search engines and link previews see, read with a real structured-data extractor."""

from unittest import mock

import extruct
from defusedxml import ElementTree

from django.core.cache import cache

from wagtail.test.utils import WagtailPageTestCase

from glossary.models import GlossaryIndexPage
from pulse.models import PulseIndexPage
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
        webpage = documents["WebPage"]
        self.assertEqual(webpage["url"], "http://localhost/glossary/operations-strategy/")
        defined = webpage["mainEntity"]
        self.assertEqual(defined["@type"], "DefinedTerm")
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
            meta(response, "property", "og:image").startswith("http://localhost/media/images/")
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
            documents["Article"]["image"][0].startswith("http://localhost/media/images/")
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
            json_ld(response)["WebPage"]["mainEntity"]["name"], "</script><script>alert(1)</script>"
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
            rss.find("channel/item/link").text, "http://localhost/pulse/governed-execution/"
        )
        atom = ElementTree.fromstring(self.client.get("/pulse/feed/atom/").content)
        ns = {"a": "http://www.w3.org/2005/Atom"}
        self.assertEqual(atom.find("a:entry/a:title", ns).text, "Governed execution")
        # The Site's address, not the request's Host: an entry's id never changes with it.
        self.assertEqual(atom.find("a:entry/a:id", ns).text, rss.find("channel/item/link").text)
        self.assertEqual(atom.find("a:id", ns).text, "http://localhost/pulse/")
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


class ListingSeoTests(WagtailPageTestCase):
    """Descriptions, images and canonical addresses of the lists: home, indexes, letters, pages."""

    @classmethod
    def setUpTestData(cls):
        for number in range(5):
            category = "Methods" if number % 2 else "Governance"
            PulseArticlePageFactory(title=f"Article {number}", category=category)
            GlossaryTermPageFactory(title=f"Capacity {number}", category=category.lower())

    def setUp(self):
        cache.clear()

    def test_every_list_has_a_description_and_an_image_to_share(self):
        with (
            mock.patch.object(PulseIndexPage, "articles_per_page", 2),
            mock.patch.object(GlossaryIndexPage, "terms_per_page", 2),
        ):
            for url in [
                "/",
                "/glossary/",
                "/glossary/letter/c/",
                "/glossary/letter/c/?page=2",
                "/pulse/",
                "/pulse/?page=2",
                "/pulse/?category=Methods",
            ]:
                with self.subTest(url=url):
                    response = self.client.get(url)
                    description = meta(response, "name", "description")
                    self.assertTrue(description, "a meta description")
                    self.assertEqual(meta(response, "property", "og:description"), description)
                    self.assertEqual(
                        meta(response, "property", "og:image"),
                        "http://localhost/static/icons/icon-512.png",
                    )
                    self.assertEqual(meta(response, "name", "twitter:card"), "summary")

    def test_a_letter_page_describes_its_own_terms(self):
        with mock.patch.object(GlossaryIndexPage, "terms_per_page", 2):
            first = meta(self.client.get("/glossary/letter/c/"), "name", "description")
            second = meta(self.client.get("/glossary/letter/c/?page=2"), "name", "description")
        self.assertEqual(
            first, "5 glossary terms starting with C: Capacity 0, Capacity 1 (page 1 of 3)."
        )
        self.assertEqual(
            second, "5 glossary terms starting with C: Capacity 2, Capacity 3 (page 2 of 3)."
        )

    def test_each_page_of_a_list_is_its_own_canonical(self):
        def canonical(url):
            from lxml import html

            tree = html.fromstring(self.client.get(url).content)
            return tree.xpath('//link[@rel="canonical"]/@href')[0]

        with (
            mock.patch.object(PulseIndexPage, "articles_per_page", 2),
            mock.patch.object(GlossaryIndexPage, "terms_per_page", 2),
        ):
            self.assertEqual(canonical("/pulse/"), "http://localhost/pulse/")
            self.assertEqual(canonical("/pulse/?page=1"), "http://localhost/pulse/")
            self.assertEqual(canonical("/pulse/?page=3"), "http://localhost/pulse/?page=3")
            self.assertEqual(
                canonical("/pulse/?category=Methods&page=1&utm_source=x"),
                "http://localhost/pulse/?category=Methods",
            )
            self.assertEqual(
                canonical("/pulse/?category=Governance&page=2"),
                "http://localhost/pulse/?category=Governance&page=2",
            )
            self.assertEqual(canonical("/pulse/?category=nothing"), "http://localhost/pulse/")
            self.assertEqual(
                canonical("/glossary/letter/c/?page=2"),
                "http://localhost/glossary/letter/c/?page=2",
            )
            self.assertEqual(
                canonical("/glossary/?category=methods"),
                "http://localhost/glossary/?category=methods",
            )

    def test_a_page_past_the_end_of_a_list_is_not_found(self):
        with (
            mock.patch.object(PulseIndexPage, "articles_per_page", 2),
            mock.patch.object(GlossaryIndexPage, "terms_per_page", 2),
        ):
            for url in [
                "/pulse/?page=99",
                "/pulse/?page=0",
                "/pulse/?category=Methods&page=2",
                "/glossary/letter/c/?page=4",
                "/glossary/letter/q/?page=2",
                "/search/?q=zzzz&page=2",
            ]:
                with self.subTest(url=url):
                    self.assertEqual(self.client.get(url).status_code, 404)
            for url in [
                "/pulse/?page=3",
                "/pulse/?page=x",
                "/glossary/letter/q/",
                "/search/?q=zzzz",
            ]:
                with self.subTest(url=url):
                    self.assertEqual(self.client.get(url).status_code, 200)

    def test_an_upper_case_letter_redirects_to_its_letter_page(self):
        response = self.client.get("/glossary/letter/C/?category=methods")
        self.assertRedirects(response, "/glossary/letter/c/?category=methods", status_code=301)
        self.assertEqual(self.client.get("/glossary/letter/CC/").status_code, 404)

    def test_the_category_filter_submits_to_the_page_itself(self):
        """An empty ``action`` is invalid HTML; with none, the form goes to the page's address."""
        from lxml import html

        for url in ["/pulse/", "/glossary/", "/glossary/letter/c/"]:
            with self.subTest(url=url):
                form = html.fromstring(self.client.get(url).content).xpath(
                    '//form[@class="category-filter"]'
                )[0]
                self.assertNotIn("action", form.attrib)


class ArticleStructuredDataTests(WagtailPageTestCase):
    def test_an_article_has_an_author_and_an_image_without_a_hero(self):
        article = PulseArticlePageFactory(slug="no-hero", hero_image=None)
        documents = json_ld(self.client.get(article.url))
        self.assertEqual(documents["Article"]["author"]["@type"], "Organization")
        self.assertEqual(documents["Article"]["author"]["name"], "Plexsive")
        self.assertEqual(
            documents["Article"]["image"], ["http://localhost/static/icons/icon-512.png"]
        )
        self.assertEqual(documents["Article"]["publisher"]["logo"]["width"], 512)
