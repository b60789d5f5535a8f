"""Private means private everywhere: one term and one article are restricted, and no public
surface shows them afterwards, though each showed them (and was cached) before."""

from django.core.cache import cache

from wagtail.models import PageViewRestriction
from wagtail.test.utils import WagtailPageTestCase

from glossary.models import GlossaryTermPinnedTerm
from tests.factories import GlossaryTermPageFactory, PulseArticlePageFactory

SECRET_TERM = "Shadow roadmap"
SECRET_DEFINITION = "Confidential: the plan the board has not announced."
SECRET_ARTICLE = "Quarterly layoffs briefing"

PUBLIC_SURFACES = [
    "/",
    "/glossary/",
    "/glossary/letter/s/",
    "/glossary/kanban/",
    "/pulse/",
    "/pulse/roadmaps-in-practice/",
    "/pulse/feed/",
    "/pulse/feed/atom/",
    "/search/?q=shadow+roadmap",
    "/search/?q=layoffs+briefing",
    "/search/suggest/?q=shad",
    "/search/suggest/?q=quarterly",
    "/sitemap.xml",
    "/sitemap-glossary.xml",
    "/sitemap-pulse.xml",
    "/glossary/download/glossary.csv",
    "/glossary/download/glossary.ttl",
    "/glossary/download/glossary.jsonld",
    "/api/v2/pages/?limit=100",
    "/api/v2/pages/?type=glossary.GlossaryTermPage&fields=related_terms,description&limit=100",
    "/api/v2/search/?q=shadow+roadmap",
    "/api/v2/search/?q=layoffs+briefing",
    "/glossary/feed/",
    "/glossary/feed/atom/",
    "/glossary/whats-new/",
    "/glossary/feed/term-of-the-day/",
    "/glossary/feed/term-of-the-day/atom/",
    "/feedback/suggest/?q=shadow+roadmap",
]


class PrivateContentTests(WagtailPageTestCase):
    def setUp(self):
        cache.clear()
        self.kanban = GlossaryTermPageFactory(
            title="Kanban",
            slug="kanban",
            body=[("paragraph", "<p>Kanban boards show the shadow roadmap too.</p>")],
        )
        self.secret = GlossaryTermPageFactory(
            title=SECRET_TERM, slug="shadow-roadmap", description=SECRET_DEFINITION
        )
        self.secret.save_revision().publish()  # its first change: in the feeds, What's new
        GlossaryTermPinnedTerm.objects.create(page=self.kanban, term=self.secret)
        self.kanban.save_revision().publish()  # the pin is published with the page
        PulseArticlePageFactory(
            title="Roadmaps in practice",
            slug="roadmaps-in-practice",
            body=[("paragraph", "<p>Every team keeps a shadow roadmap.</p>")],
        )
        self.secret_article = PulseArticlePageFactory(
            title=SECRET_ARTICLE, slug="quarterly-layoffs-briefing"
        )

    def surfaces(self):
        pages = {}
        for url in PUBLIC_SURFACES:
            response = self.client.get(url)
            self.assertEqual(response.status_code, 200, url)
            pages[url] = response.getvalue().decode()  # the downloads are streamed
        return pages

    def showing(self, pages, *secrets):
        def plain(text):  # search results mark matched words: "<mark>Shadow</mark> roadmap"
            return text.replace("<mark>", "").replace("</mark>", "")

        return sorted(url for url, text in pages.items() if any(s in plain(text) for s in secrets))

    def test_a_restricted_term_and_article_vanish_from_every_public_surface(self):
        before = self.surfaces()
        # The test can fail: each secret was public, and its surfaces are now cached.
        self.assertIn("/glossary/kanban/", self.showing(before, SECRET_DEFINITION))  # previews
        self.assertIn("/pulse/roadmaps-in-practice/", self.showing(before, SECRET_DEFINITION))
        self.assertIn("/search/?q=shadow+roadmap", self.showing(before, SECRET_TERM))
        self.assertIn("/sitemap-pulse.xml", self.showing(before, "quarterly-layoffs-briefing"))
        self.assertIn("/pulse/feed/", self.showing(before, SECRET_ARTICLE))
        self.assertIn("/glossary/whats-new/", self.showing(before, SECRET_TERM))
        self.assertIn("/glossary/feed/atom/", self.showing(before, SECRET_DEFINITION))
        # Two terms over 30 days: the secret one was a term of the day.
        self.assertIn("/glossary/feed/term-of-the-day/", self.showing(before, SECRET_TERM))

        for page in (self.secret, self.secret_article):
            PageViewRestriction.objects.create(
                page=page, restriction_type=PageViewRestriction.LOGIN
            )

        after = self.surfaces()
        secrets = (SECRET_TERM, SECRET_DEFINITION, "shadow-roadmap")
        self.assertEqual(self.showing(after, *secrets), [])
        self.assertEqual(self.showing(after, SECRET_ARTICLE, "quarterly-layoffs-briefing"), [])
        # Kanban still mentions it in its body, as text, not as a link with a preview.
        self.assertIn("Kanban boards show the shadow roadmap too.", after["/glossary/kanban/"])

        # The pages themselves ask for a login and show nothing of the content.
        for page in (self.secret, self.secret_article):
            response = self.client.get(page.url)
            self.assertEqual(response.status_code, 302)
            self.assertIn("/_util/login/", response["Location"])
