"""No query string makes a public URL answer 500: odd values are refused (400) or ignored.

Every public URL and the read API get NUL bytes, numbers out of range, the wrong type, lists
(``?x[]=``), repeated and over-long parameters, malformed percent-escapes and odd Unicode,
each asked twice (the second answer may come from the page cache).
"""

from urllib.parse import quote

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis.extra.django import TestCase

from django.test import Client

from tests.factories import (
    GlossaryTermPageFactory,
    ImageFactory,
    PulseArticlePageFactory,
    RelatedArticleCardFactory,
    add_cards,
)

SITE_PARAMETERS = ["page", "q", "kind", "category", "p", "format"]
API_PARAMETERS = [
    "type", "letter", "category", "fields", "limit", "offset", "order", "search", "child_of",
    "descendant_of", "ancestor_of", "html_path", "id", "slug", "locale", "translation_of",
    "show_in_menus", "title", "published_date", "term_id",
]  # fmt: skip
PARAMETERS = SITE_PARAMETERS + API_PARAMETERS
NASTY = [
    "\x00", "a\x00b", "99999999999999999999", "-1", "1e9", "abc", "", "-title", "x" * 5000,
    "\ud800", "\u202e", "😀", "' OR 1=1 --", "2147483648", "-9223372036854775809", "１２",
    "glossary.", "wagtailcore.Page", "auth.User", "title,body,*", "cards(title)", "body(", "%ff",
]  # fmt: skip


def raw_query(pairs):
    """A query string as a client may send it: names and values escaped as UTF-8, with
    surrogates and lone ``%`` passed through as bytes."""
    parts = []
    for name, value in pairs:
        escaped = quote(value.encode("utf-8", "surrogatepass"), safe="%")
        parts.append(f"{quote(name, safe='[]')}={escaped}")
    return "&".join(parts)


class PublicParameterTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        image = ImageFactory()
        article = PulseArticlePageFactory(title="Uptime explained", hero_image=image)
        for title in ("Lean process", "Kanban", "Ärger management"):
            term = GlossaryTermPageFactory(title=title, category="methods")
        add_cards(term, RelatedArticleCardFactory(target_page=article, image=image))
        cls.urls = [
            "/",
            "/glossary/",
            "/glossary/letter/a/",
            "/glossary/letter/0-9/",
            "/glossary/topics/",
            "/glossary/topics/methods/",
            term.url,
            term.url + "mentions/",
            "/pulse/",
            article.url,
            "/search/",
            "/search/suggest/",
            "/sitemap.xml",
            "/sitemap-pages.xml",
            "/robots.txt",
            "/favicon.ico",
            "/glossary/download/glossary.csv",
            "/glossary/download/glossary.ttl",
            "/glossary/download/glossary.jsonld",
            "/pulse/feed/",
            "/pulse/feed/atom/",
            "/api/v2/pages/",
            f"/api/v2/pages/{term.pk}/",
            "/api/v2/pages/find/",
            "/api/v2/images/find/",
            "/api/v2/images/",
            f"/api/v2/images/{image.pk}/",
            "/api/v2/search/",
            "/no-such-page/",
            "/glossary/feed/",
            "/glossary/feed/atom/",
            "/glossary/whats-new/",
            "/glossary/feed/term-of-the-day/",
            "/glossary/feed/term-of-the-day/atom/",
            "/feedback/suggest/",
            f"/feedback/report/{term.pk}/",
            "/feedback/thanks/",
        ]

    def setUp(self):
        self.client = Client(raise_request_exception=False)

    def answers(self, url, query):
        """Asked twice: once computed, once as the page cache (or Varnish) would keep it."""
        for _ in range(2):
            response = self.client.get(url, QUERY_STRING=query)
            self.assertLess(
                response.status_code, 500, f"{url}?{query[:200]} -> {response.status_code}"
            )

    def test_each_odd_value_of_each_parameter(self):
        """Site pages get every parameter at once (they ignore the ones they do not read);
        the API refuses unknown parameters, so its listings get one at a time."""
        listings = ["/api/v2/pages/", "/api/v2/pages/?type=glossary.GlossaryTermPage"]
        listings += ["/api/v2/pages/?type=pulse.PulseArticlePage", "/api/v2/images/"]
        for value in NASTY:
            with self.subTest(value=value[:20]):
                for url in self.urls:
                    self.answers(url, raw_query([(name, value) for name in PARAMETERS]))
                for url in listings:
                    path, _, given = url.partition("?")
                    for name in API_PARAMETERS:
                        self.answers(
                            path, "&".join(filter(None, [given, raw_query([(name, value)])]))
                        )

    def test_lists_repeats_and_broken_escapes(self):
        odd = [
            "page[]=1",
            "category[]=x",
            "page=1&page=abc&page=-1",
            "type=glossary.GlossaryTermPage&type=pulse.PulseArticlePage",
            "type=glossary.GlossaryTermPage&letter[]=A",
            "type=glossary.GlossaryTermPage&letter=%00",
            "type=glossary.GlossaryTermPage&category=%00",
            "type=glossary.GlossaryTermPage&order=letter&limit=1e9",
            "type=pulse.PulseArticlePage&published_date=abc",
            "type=pulse.PulseArticlePage&published_date=99999-99-99",
            "type=glossary.GlossaryTermPage&fields=cards(title,image)",
            "q=%ED%A0%80",
            "q=%C0%AF",
            "%00=1",
            "q=" + "%FF" * 2000,
            "&".join(f"p{n}={n}" for n in range(2000)),
        ]
        for url in self.urls:
            for query in odd:
                with self.subTest(url=url, query=query[:60]):
                    self.answers(url, query)

    def test_what_is_refused_says_why(self):
        for url, query, says in [
            ("/search/", "q=a%00b", b"NUL character"),
            ("/glossary/letter/a/", "page%00=1", b"NUL character"),
            ("/api/v2/pages/", "type=pulse.PulseArticlePage&published_date=abc", b"date"),
            ("/api/v2/pages/", "offset=99999999999999999999", b"offset cannot be higher"),
            ("/api/v2/pages/find/", "id=1e9", b"id must be a whole number"),
            ("/api/v2/images/find/", "id=abc", b"id must be a whole number"),
        ]:
            with self.subTest(url=url, query=query):
                response = self.client.get(url, QUERY_STRING=query)
                self.assertEqual(response.status_code, 400)
                self.assertIn(says, response.content)
        # A page number out of range is not an error: the last page.
        self.assertEqual(
            self.client.get("/glossary/letter/a/", {"page": "99999999999999999999"}).status_code,
            200,
        )

    @settings(max_examples=100, suppress_health_check=[HealthCheck.too_slow])
    @given(
        st.data(),
        st.lists(
            st.tuples(
                st.sampled_from(PARAMETERS) | st.text(max_size=20),
                st.sampled_from(NASTY) | st.text(max_size=300) | st.integers().map(str),
            ),
            min_size=1,
            max_size=4,
        ),
    )
    def test_any_query_string(self, data, pairs):
        url = data.draw(st.sampled_from(self.urls))
        self.answers(url, raw_query(pairs))
