"""Every change is visible at once on every page that shows it, although pages are cached.

Each test first reads the pages that show the thing it changes until they come from the page
cache, makes the change the way an editor (or the importer) does, then reads them again.
"""

import tempfile
from io import StringIO
from pathlib import Path

from django.core.management import call_command

from wagtail.images.tests.utils import get_test_image_file
from wagtail.test.utils import WagtailPageTestCase

from glossary.models import GlossaryTermPage
from pulse.models import PulseArticlePage
from tests.factories import (
    GlossaryTermPageFactory,
    ImageFactory,
    PulseArticlePageFactory,
    RelatedArticleCardFactory,
    RelatedArticlesSectionFactory,
    add_cards,
)


def publish(page):
    page.save_revision().publish()
    return page.__class__.objects.get(pk=page.pk)


class CachedPagesMixin:
    def warm(self, *urls):
        """Read each URL until the page cache answers it."""
        for url in urls:
            self.client.get(url)
            self.assertEqual(self.client.get(url).get("X-Page-Cache"), "hit", url)

    def read(self, url, status=200):
        response = self.client.get(url)
        self.assertEqual(response.status_code, status, url)
        return response.content.decode()


class TermChangeTests(CachedPagesMixin, WagtailPageTestCase):
    def setUp(self):
        self.kanban = GlossaryTermPageFactory(
            title="Kanban",
            slug="kanban",
            description="A pull system for visual work.",
            key_questions=[("question", "How does a kanban board limit work in progress?")],
        )
        self.planning = GlossaryTermPageFactory(
            title="Capacity planning",
            slug="capacity-planning",
            description="Matching capacity to demand.",
            key_questions=[("question", "How does kanban help capacity planning?")],
            body=[("paragraph", "<p>Teams use kanban to see their capacity.</p>")],
        )
        self.article = PulseArticlePageFactory(
            title="Flow at work",
            slug="flow-at-work",
            body=[("paragraph", "<p>Every kanban team and every lean team measures flow.</p>")],
        )
        self.pages = {
            "kanban": self.kanban.url,
            "planning": self.planning.url,
            "article": self.article.url,
            "index": "/glossary/",
            "letter_k": "/glossary/letter/k/",
            "letter_l": "/glossary/letter/l/",
            "sitemap": "/sitemap-glossary.xml",
            "suggest": "/search/suggest/?q=lea",
            "home": "/",
        }
        self.warm(*self.pages.values())

    def test_a_published_term_shows_everywhere_at_once(self):
        lean = GlossaryTermPageFactory(
            title="Lean", slug="lean", description="Less waste.", live=False
        )
        self.assertNotIn("/glossary/lean/", self.read(self.pages["article"]))
        publish(lean)
        self.assertIn("Lean", self.read(self.pages["letter_l"]))
        self.assertIn('href="/glossary/lean/"', self.read(self.pages["index"]))
        self.assertIn("/glossary/lean/", self.read(self.pages["sitemap"]))
        self.assertIn("/glossary/lean/", self.read(self.pages["suggest"]))
        # The article mentions "lean": its first mention links to the new term.
        self.assertIn('class="term-link" href="/glossary/lean/"', self.read(self.pages["article"]))
        # Kanban was the last term A to Z; now Lean follows it.
        self.assertIn('rel="next" href="/glossary/lean/"', self.read(self.pages["kanban"]))

    def test_an_edited_definition_shows_on_every_page_that_quotes_it(self):
        self.assertIn("Kanban", self.read(self.pages["planning"]))  # a related term there
        self.kanban.description = "Cards on a board that pull work."
        publish(self.kanban)
        # The A–Z index lists names only; the letter page quotes the definition.
        for name in ("kanban", "planning", "article", "letter_k"):
            with self.subTest(page=name):
                html = self.read(self.pages[name])
                self.assertIn("Cards on a board that pull work.", html)
                self.assertNotIn("A pull system for visual work.", html)

    def test_an_edited_body_leaves_other_pages_cached(self):
        self.kanban.body = [("paragraph", "<p>New words about boards.</p>")]
        publish(self.kanban)
        self.assertIn("New words about boards.", self.read(self.pages["kanban"]))
        # The body is shown nowhere else: the article's links did not change.
        self.assertEqual(self.client.get(self.pages["article"])["X-Page-Cache"], "hit")

    def test_an_unpublished_term_disappears_everywhere_at_once(self):
        self.kanban.unpublish()
        self.read(self.pages["kanban"], status=404)
        for name in ("planning", "article", "index", "letter_k", "sitemap"):
            with self.subTest(page=name):
                self.assertNotIn('href="/glossary/kanban/"', self.read(self.pages[name]))
                self.assertNotIn("http://localhost/glossary/kanban/", self.read(self.pages[name]))

    def test_a_renamed_term_moves_letter_address_and_neighbours(self):
        self.kanban.title, self.kanban.slug = "Work in progress", "work-in-progress"
        publish(self.kanban)
        # Not the old page: a 404, or Wagtail's redirect once the rename has committed.
        self.assertIn(self.client.get("/glossary/kanban/").status_code, (301, 404))
        self.assertIn("Work in progress", self.read("/glossary/work-in-progress/"))
        self.assertNotIn("Kanban", self.read(self.pages["letter_k"]))
        self.assertIn("Work in progress", self.read("/glossary/letter/w/"))
        self.assertIn(
            'rel="next" href="/glossary/work-in-progress/"', self.read(self.pages["planning"])
        )
        # "kanban" in the article is no longer a term's name: no link is left to the old address.
        self.assertNotIn("/glossary/kanban/", self.read(self.pages["article"]))

    def test_a_deleted_term_disappears_everywhere_at_once(self):
        self.kanban.delete()
        for name in ("planning", "article", "index", "letter_k", "sitemap"):
            with self.subTest(page=name):
                self.assertNotIn("/glossary/kanban/", self.read(self.pages[name]))

    def test_a_moved_term_is_rendered_afresh(self):
        self.kanban.move(self.kanban.get_parent(), pos="first-child")
        response = self.client.get(self.pages["kanban"])
        self.assertEqual(response["X-Page-Cache"], "miss")
        self.assertEqual(response.status_code, 200)

    def test_pinning_a_related_term_shows_at_once(self):
        from glossary.models import GlossaryTermPinnedTerm

        zebra = GlossaryTermPageFactory(title="Zebra", slug="zebra", key_questions=[], body=[])
        self.warm(self.pages["planning"])
        self.planning.pinned_related_terms = [GlossaryTermPinnedTerm(term=zebra)]
        publish(self.planning)
        html = self.read(self.pages["planning"])
        related = html[html.index("Related terms") :]
        self.assertLess(related.index("/glossary/zebra/"), related.index("/glossary/kanban/"))


class SnippetAndArticleChangeTests(CachedPagesMixin, WagtailPageTestCase):
    def setUp(self):
        self.section = RelatedArticlesSectionFactory(heading="Recently published.")
        self.card = RelatedArticleCardFactory(
            title="Elevating workflows", target_slug="later-article", image=ImageFactory()
        )
        self.first = GlossaryTermPageFactory(title="First", related_section=self.section)
        self.second = GlossaryTermPageFactory(title="Second", related_section=self.section)
        add_cards(self.first, self.card)
        add_cards(self.second, self.card)
        self.terms = [self.first.url, self.second.url]
        self.warm(*self.terms, "/pulse/", "/pulse/feed/", "/")

    def test_an_edited_card_shows_on_every_term_that_shows_it(self):
        self.card.title = "Elevating workflows, revised"
        self.card.save()
        for url in self.terms:
            self.assertIn("Elevating workflows, revised", self.read(url))

    def test_an_edited_section_shows_on_every_term_that_shows_it(self):
        self.section.heading = "Fresh from Pulse."
        self.section.save()
        for url in self.terms:
            self.assertIn("Fresh from Pulse.", self.read(url))

    def test_a_replaced_image_shows_at_once_with_its_renditions_made(self):
        image = self.card.image
        before = self.read(self.first.url)
        image.file = get_test_image_file(filename="replaced.png", colour="red")
        image.renditions.all().delete()  # as Wagtail's image editor does when the file changes
        image.save()
        # The new renditions were made by the change, not by a visitor's request.
        self.assertEqual(image.renditions.count(), 2)
        after = self.read(self.first.url)
        self.assertNotEqual(before, after)
        self.assertIn("replaced", after)

    def test_a_published_article_links_the_cards_waiting_for_it(self):
        for url in self.terms:
            self.assertIn("Article coming soon", self.read(url))
        article = PulseArticlePageFactory(title="Later article", slug="later-article", live=False)
        publish(article)
        for url in self.terms:
            self.assertIn('href="/pulse/later-article/"', self.read(url))
        for url in ("/pulse/", "/pulse/feed/", "/"):
            self.assertIn("Later article", self.read(url))

    def test_an_unpublished_article_unlinks_its_cards(self):
        article = PulseArticlePageFactory(title="Later article", slug="later-article", live=False)
        publish(article)
        self.warm(*self.terms)
        PulseArticlePage.objects.get(pk=article.pk).unpublish()
        for url in self.terms:
            self.assertNotIn('href="/pulse/later-article/"', self.read(url))


class ImportChangeTests(CachedPagesMixin, WagtailPageTestCase):
    def test_an_import_shows_everywhere_at_once(self):
        self.warm("/glossary/", "/glossary/letter/o/", "/sitemap-glossary.xml", "/")
        call_command("import_fixtures", "fixtures/", stdout=StringIO(), stderr=StringIO())
        term = GlossaryTermPage.objects.get(title="Operations strategy")
        for url in ("/glossary/", "/glossary/letter/o/", "/sitemap-glossary.xml"):
            self.assertIn(term.url, self.read(url))
        # Imported terms get their neighbourhood like published ones.
        self.assertEqual(self.client.get(term.url).status_code, 200)


def _term_file(key, name, words, body):
    return (
        f"---\nid: {key}\nname: {name}\ncategory: glossary\n"
        f"description: {name} is about {words}.\n"
        f'key_words: ["Why {words}?"]\n'
        f"content_raw: Defining {name} {body}\n"
        "related_articles_items: []\n---\n"
    )


class ImportedChangeTests(CachedPagesMixin, WagtailPageTestCase):
    """An import invalidates the pages it wrote, their neighbours and the lists; not the
    whole site."""

    TERMS = {
        "alpha": ("t1", "Alpha", "boats and sails", "Boats float on water. Sails catch wind."),
        "beta": ("t2", "Beta", "bread and ovens", "Ovens bake bread. Bread needs flour."),
        "mu": ("t3", "Mu", "music and rhythm", "Rhythm keeps time. Music has notes."),
        "zulu": ("t4", "Zulu", "glaciers and ice", "Glaciers move slowly. Ice is frozen water."),
    }

    def setUp(self):
        self.folder = Path(self.enterContext(tempfile.TemporaryDirectory()))
        for slug, (key, name, words, body) in self.TERMS.items():
            (self.folder / f"{slug}.txt").write_text(_term_file(key, name, words, body))
        self.import_folder()

    def import_folder(self):
        with self.settings(FIXTURES_DIR=self.folder):
            call_command("import_fixtures", str(self.folder), stdout=StringIO(), stderr=StringIO())

    def test_an_imported_change_leaves_unrelated_pages_cached(self):
        self.warm("/glossary/alpha/", "/glossary/zulu/", "/glossary/", "/glossary/letter/a/")
        key, name, words, _body = self.TERMS["alpha"]
        (self.folder / "alpha.txt").write_text(
            _term_file(key, name, words, "Boats float on water. Keels keep them upright.")
        )
        self.import_folder()
        self.assertIn("Keels keep them upright.", self.read("/glossary/alpha/"))
        self.assertEqual(self.client.get("/glossary/").get("X-Page-Cache"), "miss")
        # Zulu is neither Alpha's neighbour A to Z nor related to it: still served cached.
        self.assertEqual(self.client.get("/glossary/zulu/").get("X-Page-Cache"), "hit")
