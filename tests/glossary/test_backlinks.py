"""Backlinks: a term lists the Pulse articles that mention it ("Mentioned in"), newest first,
and all of them on its ``mentions/`` route; only live, public articles; fresh after every
change that moves the list, although pages are cached."""

import datetime
import re
from unittest import mock

from django.core.cache import cache
from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext

from wagtail.models import PageViewRestriction, Site
from wagtail.test.utils import WagtailPageTestCase

from core import warming
from glossary import linking
from glossary.models import GlossaryTermPage
from pulse.models import PulseArticlePage
from tests.factories import GlossaryTermPageFactory, PulseArticlePageFactory

TERM_TYPE = "glossary.GlossaryTermPage"


def mentioning(text="Teams pull work with kanban every day."):
    return [("paragraph", f"<p>{text}</p>")]


def publish(page):
    page.save_revision().publish()
    return page.__class__.objects.get(pk=page.pk)


def listed(html):
    """The article titles a list of mentions shows (the term page's or the route's), in order."""
    if 'class="mention-list"' not in html:
        return []
    part = html[html.index('class="mention-list"') :]
    part = part[: part.index("</ul>")]
    return re.findall(r'<li><a href="[^"]+">([^<]+)</a>', part)


class BacklinksCase(WagtailPageTestCase):
    def setUp(self):
        cache.clear()
        self.kanban = GlossaryTermPageFactory(title="Kanban", slug="kanban", body=[])
        self.lean = GlossaryTermPageFactory(title="Lean", slug="lean", body=[])

    def article(self, number, text="Teams pull work with kanban every day.", **kwargs):
        kwargs.setdefault("published_date", datetime.date(2026, 1, number))
        return PulseArticlePageFactory(
            title=f"Article {number}", slug=f"article-{number}", body=mentioning(text), **kwargs
        )

    def read(self, url, status=200):
        response = self.client.get(url)
        self.assertEqual(response.status_code, status, url)
        return response.content.decode()

    def warm(self, *urls):
        for url in urls:
            self.client.get(url)
            self.assertEqual(self.client.get(url)["X-Page-Cache"], "hit", url)


class MentionedInTests(BacklinksCase):
    def test_the_newest_five_are_shown_with_a_link_to_all(self):
        for number in (3, 7, 1, 5, 2, 6):
            self.article(number)
        # No date of its own: dated by its first publication (in 2026-01-04's place).
        undated = self.article(4, published_date=None)
        PulseArticlePage.objects.filter(pk=undated.pk).update(
            first_published_at=datetime.datetime(2026, 1, 4, 9, tzinfo=datetime.UTC)
        )
        cache.clear()
        html = self.read("/glossary/kanban/")
        self.assertEqual(listed(html), [f"Article {n}" for n in (7, 6, 5, 4, 3)])
        self.assertIn('href="/glossary/kanban/mentions/">All 7 articles that mention Kanban', html)
        self.assertIn('<time datetime="2026-01-07">7 January 2026</time>', html)
        # The term the articles do not mention lists nothing, and offers no link.
        lean = self.read("/glossary/lean/")
        self.assertNotIn("Mentioned in", lean)
        self.assertNotIn("/mentions/", lean)

    def test_a_short_list_has_no_link_to_all(self):
        self.article(1)
        html = self.read("/glossary/kanban/")
        self.assertEqual(listed(html), ["Article 1"])
        self.assertNotIn("/glossary/kanban/mentions/", html)

    def test_reading_the_list_is_one_query_of_stored_rows(self):
        for number in range(1, 8):
            self.article(number)
        term = GlossaryTermPage.objects.get(pk=self.kanban.pk)
        with CaptureQueriesContext(connection) as queries:
            self.assertEqual(len(term.mentioned_in), 5)
            self.assertEqual(term.mentioned_in_count, 7)
        self.assertEqual(len(queries), 1, [query["sql"] for query in queries])
        self.assertIn("glossary_termmention", queries[0]["sql"])

    def test_a_term_page_never_matches_text_on_the_request(self):
        """The list is what the worker stored: an article whose mentions were not stored
        (its body changed behind the worker's back) is not found by reading its text."""
        self.article(1)
        PulseArticlePageFactory(title="Unlinked", slug="unlinked", body=[])
        PulseArticlePage.objects.filter(slug="unlinked").update(body=mentioning())
        self.assertEqual(listed(self.read("/glossary/kanban/")), ["Article 1"])


class MentionsRouteTests(BacklinksCase):
    def setUp(self):
        super().setUp()
        for number in range(1, 8):
            self.article(number)
        patcher = mock.patch.object(GlossaryTermPage, "mentions_per_page", 3)
        patcher.start()
        self.addCleanup(patcher.stop)

    def test_every_mention_a_page_at_a_time_newest_first(self):
        pages = [self.read(f"/glossary/kanban/mentions/?page={n}") for n in (1, 2, 3)]
        self.assertEqual(
            [listed(html) for html in pages],
            [["Article 7", "Article 6", "Article 5"], ["Article 4", "Article 3", "Article 2"]]
            + [["Article 1"]],
        )
        self.assertIn("<h1>Articles that mention Kanban</h1>", pages[0])
        self.assertIn("Page 2 of 3", pages[1])
        self.assertIn('<a href="?page=3" rel="next">', pages[1])

    def test_each_page_is_its_own_canonical_kept_out_of_search_results(self):
        first = self.read("/glossary/kanban/mentions/")
        second = self.read("/glossary/kanban/mentions/?page=2")
        self.assertIn(
            '<link rel="canonical" href="http://localhost/glossary/kanban/mentions/">', first
        )
        self.assertIn(
            '<link rel="canonical" href="http://localhost/glossary/kanban/mentions/?page=2">',
            second,
        )
        self.assertIn('<meta name="robots" content="noindex, follow">', first)
        self.assertIn("7 Pulse articles mention Kanban (page 2 of 3).", second)
        # The term page itself stays indexable.
        self.assertNotIn("noindex", self.read("/glossary/kanban/"))

    def test_a_page_past_the_end_or_below_one_is_a_404(self):
        for query in ("?page=4", "?page=0", "?page=999999999"):
            with self.subTest(query=query):
                self.read(f"/glossary/kanban/mentions/{query}", status=404)
        # Not a number: the first page (as every list of the site reads it).
        self.assertEqual(listed(self.read("/glossary/kanban/mentions/?page=x"))[0], "Article 7")

    def test_a_term_no_article_mentions_has_an_empty_list(self):
        html = self.read("/glossary/lean/mentions/")
        self.assertIn("No Pulse article mentions Lean yet.", html)
        self.read("/glossary/lean/mentions/?page=2", status=404)

    def test_a_route_of_a_term_that_is_not_live_is_a_404(self):
        self.kanban.unpublish()
        self.read("/glossary/kanban/mentions/", status=404)
        self.read("/glossary/kanban/other/", status=404)

    def test_the_cache_keys_the_route_by_page_and_the_term_page_by_nothing(self):
        self.warm("/glossary/kanban/", "/glossary/kanban/mentions/")
        # The term page reads no parameter: any ?page= is the one stored page.
        self.assertEqual(self.client.get("/glossary/kanban/?page=2")["X-Page-Cache"], "hit")
        second = self.client.get("/glossary/kanban/mentions/?page=2")
        self.assertEqual(second["X-Page-Cache"], "miss")
        self.assertEqual(listed(second.content.decode())[0], "Article 4")

    def test_a_page_of_the_route_is_one_query_beyond_the_term_itself(self):
        self.read("/glossary/kanban/mentions/")  # per-process caches (site roots) warmed
        cache.clear()
        with CaptureQueriesContext(connection) as queries:
            self.read("/glossary/kanban/mentions/?page=2")
        mentions = [q["sql"] for q in queries if "glossary_termmention" in q["sql"]]
        self.assertEqual(len(mentions), 1, mentions)
        # Only the list: not the term's cards, neighbours or body links.
        self.assertFalse([q["sql"] for q in queries if "glossary_termneighbour" in q["sql"]])


class OnlyVisibleArticlesTests(BacklinksCase):
    def test_draft_unpublished_and_private_articles_are_never_listed(self):
        shown = self.article(1)
        draft = self.article(2, live=False)
        gone = self.article(3)
        secret = self.article(4)
        linking.relink_pages([shown.pk, draft.pk, gone.pk, secret.pk])  # every body's mentions
        self.warm("/glossary/kanban/", "/glossary/kanban/mentions/")
        self.assertEqual(
            listed(self.read("/glossary/kanban/")), ["Article 4", "Article 3", "Article 1"]
        )

        gone.unpublish()
        PageViewRestriction.objects.create(page=secret, restriction_type=PageViewRestriction.LOGIN)
        for url in ("/glossary/kanban/", "/glossary/kanban/mentions/"):
            html = self.read(url)
            self.assertIn("Article 1", html)
            for title in ("Article 2", "Article 3", "Article 4"):
                self.assertNotIn(title, html, url)
        api = self.client.get(f"/api/v2/pages/{self.kanban.pk}/").json()
        self.assertEqual([item["title"] for item in api["mentioned_in"]], ["Article 1"])


class InvalidationTests(BacklinksCase):
    def setUp(self):
        super().setUp()
        self.first = self.article(1)
        self.urls = ("/glossary/kanban/", "/glossary/kanban/mentions/", "/glossary/lean/")
        self.warm(*self.urls)

    def test_a_published_article_that_mentions_the_term_shows_at_once(self):
        later = self.article(2, live=False)
        publish(later)
        for url in self.urls[:2]:
            self.assertEqual(listed(self.read(url))[:2], ["Article 2", "Article 1"])
        # The term it does not mention was left in the cache.
        self.assertEqual(self.client.get("/glossary/lean/")["X-Page-Cache"], "hit")

    def test_an_article_that_starts_and_stops_mentioning_a_term(self):
        article = PulseArticlePage.objects.get(pk=self.first.pk)
        article.body = mentioning("Teams remove waste the lean way.")
        publish(article)
        self.assertEqual(listed(self.read("/glossary/lean/")), ["Article 1"])
        self.assertNotIn("Mentioned in", self.read("/glossary/kanban/"))
        self.assertIn("No Pulse article mentions Kanban yet.", self.read(self.urls[1]))

    def test_an_unpublished_article_leaves_the_list_at_once(self):
        self.first.unpublish()
        self.assertNotIn("Article 1", self.read("/glossary/kanban/"))
        self.assertNotIn("Article 1", self.read("/glossary/kanban/mentions/"))

    def test_a_renamed_and_moved_article_shows_its_new_title_and_address(self):
        article = PulseArticlePage.objects.get(pk=self.first.pk)
        article.title, article.slug = "Pull systems", "pull-systems"
        publish(article)
        for url in self.urls[:2]:
            html = self.read(url)
            self.assertIn('<a href="/pulse/pull-systems/">Pull systems</a>', html)
            self.assertNotIn("/pulse/article-1/", html)

    def test_a_deleted_article_leaves_the_list_at_once(self):
        PulseArticlePage.objects.get(pk=self.first.pk).delete()
        for url in self.urls[:2]:
            self.assertNotIn("Article 1", self.read(url))

    def test_a_change_of_the_stored_mentions_alone_invalidates_the_terms_it_moved(self):
        """The worker's relink (after a change of names, say) reports the terms whose list
        moved: those pages, not others, render afresh, and the read API."""
        api = f"/api/v2/pages/{self.lean.pk}/"
        self.warm(api)
        PulseArticlePage.objects.filter(pk=self.first.pk).update(
            body=mentioning("Lean, not kanban.")
        )
        linking.relink_after_commit(pages=[self.first.pk])
        self.assertEqual(listed(self.read("/glossary/lean/")), ["Article 1"])
        self.assertEqual(self.client.get("/glossary/kanban/")["X-Page-Cache"], "hit")
        mentioned = self.client.get(api).json()["mentioned_in"]
        self.assertEqual([item["title"] for item in mentioned], ["Article 1"])


class MentionedInAPITests(BacklinksCase):
    def test_a_term_in_detail_has_the_list_its_page_shows(self):
        for number in range(1, 8):
            self.article(number)
        data = self.client.get(f"/api/v2/pages/{self.kanban.pk}/").json()
        newest = PulseArticlePage.objects.get(slug="article-7")
        self.assertEqual(len(data["mentioned_in"]), 5)
        self.assertEqual(
            data["mentioned_in"][0],
            {
                "id": newest.pk,
                "title": "Article 7",
                "url": "http://localhost/pulse/article-7/",
                "date": "2026-01-07",
            },
        )
        self.assertEqual(
            [item["title"] for item in data["mentioned_in"]],
            [f"Article {n}" for n in (7, 6, 5, 4, 3)],
        )

    def test_a_listing_reads_every_terms_mentions_in_a_fixed_number_of_queries(self):
        url = f"/api/v2/pages/?type={TERM_TYPE}&fields=mentioned_in&limit=50"

        def queries():
            cache.clear()
            with CaptureQueriesContext(connection) as captured:
                data = self.client.get(url).json()
            return len(captured), data

        self.article(1, text="Kanban and lean.")
        before, _data = queries()
        for number in range(2, 12):
            GlossaryTermPageFactory(title=f"Flow {number}", slug=f"flow-{number}", body=[])
            self.article(number, text=f"Kanban, lean and flow {number}.")
        after, data = queries()
        self.assertEqual(after, before)
        by_title = {item["title"]: item["mentioned_in"] for item in data["items"]}
        self.assertEqual(len(by_title["Kanban"]), 5)
        self.assertEqual(by_title["Kanban"][0]["title"], "Article 11")
        self.assertEqual([item["title"] for item in by_title["Flow 3"]], ["Article 3"])

    def test_a_new_mention_shows_in_the_cached_api_at_once(self):
        url = f"/api/v2/pages/{self.lean.pk}/"
        self.assertEqual(self.client.get(url).json()["mentioned_in"], [])
        self.article(1, text="The lean way.")
        self.assertEqual(
            [item["title"] for item in self.client.get(url).json()["mentioned_in"]], ["Article 1"]
        )


class BackgroundRenderTests(BacklinksCase):
    """The worker renders the lists again after the change commits, and purges them from the
    front cache: the term page and its mentions route are one page's addresses."""

    def setUp(self):
        super().setUp()
        self.client.defaults["HTTP_HOST"] = "localhost"  # the site's host, the warmer's

    @override_settings(WARM_MAX_PAGES=500)
    def test_the_worker_renders_the_lists_whose_mentions_moved(self):
        """The relink task (after an article's body changed) stores the new mentions, then
        the lists they moved are rendered again before a visitor asks."""
        article = self.article(1)  # mentions kanban (linked inline, the tests' setting)
        PulseArticlePage.objects.filter(pk=article.pk).update(body=mentioning("The lean way."))
        with self.settings(LINKS_RELINK="task"), self.captureOnCommitCallbacks(execute=True):
            linking.relink_after_commit(pages=[article.pk])
        for url, titles in (
            ("/glossary/lean/", ["Article 1"]),
            ("/glossary/lean/mentions/", ["Article 1"]),
            ("/glossary/kanban/", []),
            ("/glossary/kanban/mentions/", []),
        ):
            response = self.client.get(url)
            self.assertEqual(response["X-Page-Cache"], "hit", url)
            self.assertEqual(listed(response.content.decode()), titles, url)

    def test_the_front_cache_purges_the_list_with_the_term(self):
        term = GlossaryTermPage.objects.get(pk=self.kanban.pk)
        self.assertEqual(term.get_cached_paths(), ["/", "mentions/"])
        self.assertEqual(
            warming.page_paths({term.pk, self.lean.pk}, Site.objects.get(is_default_site=True)),
            ["/glossary/kanban/", "/glossary/lean/"]
            + ["/glossary/kanban/mentions/", "/glossary/lean/mentions/"],
        )
