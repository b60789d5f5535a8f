"""What a visitor meets on the term page's cards, the home page and the search filters
(issue 21): read from the rendered HTML, through the page cache as a visitor's request is."""

from html.parser import HTMLParser

from wagtail.test.utils import WagtailPageTestCase

from glossary.models import GlossaryTermPage
from home.models import HomePage, HomePageFeaturedTerm
from tests.factories import (
    GlossaryTermPageFactory,
    ImageFactory,
    PulseArticlePageFactory,
    RelatedArticleCardFactory,
    add_cards,
)


class Elements(HTMLParser):
    """Each element with its attributes, its text and the elements inside it."""

    def __init__(self, html):
        super().__init__()
        self.root = {"tag": None, "attrs": {}, "children": [], "text": ""}
        self.stack = [self.root]
        self.feed(html)

    VOID = {"img", "meta", "link", "input", "br", "hr", "source"}

    def handle_starttag(self, tag, attrs):
        element = {"tag": tag, "attrs": dict(attrs), "children": [], "text": ""}
        self.stack[-1]["children"].append(element)
        if tag not in self.VOID:
            self.stack.append(element)

    def handle_endtag(self, tag):
        while len(self.stack) > 1:
            if self.stack.pop()["tag"] == tag:
                break

    def handle_data(self, data):
        for element in self.stack:
            element["text"] += data

    def find_all(self, predicate, element=None):
        element = element or self.root
        for child in element["children"]:
            if predicate(child):
                yield child
            yield from self.find_all(predicate, child)


def with_class(name):
    return lambda element: name in element["attrs"].get("class", "").split()


def tag(name):
    return lambda element: element["tag"] == name


class CardTests(WagtailPageTestCase):
    @classmethod
    def setUpTestData(cls):
        cls.term = GlossaryTermPageFactory(title="Capacity planning", slug="capacity-planning")
        article = PulseArticlePageFactory(title="Optimized Outcomes", slug="optimized-outcomes")
        cls.live = RelatedArticleCardFactory(
            title="Optimized Outcomes with AI", target_page=article, image=ImageFactory()
        )
        cls.waiting = [
            RelatedArticleCardFactory(title=f"Waiting piece {number}", image=ImageFactory())
            for number in range(3)
        ]
        add_cards(cls.term, cls.live, *cls.waiting)

    def test_a_live_card_is_one_link_named_by_its_title(self):
        page = Elements(self.client.get(self.term.url).content.decode())
        cards = list(page.find_all(with_class("card")))
        self.assertEqual(len(cards), 1)
        links = list(page.find_all(tag("a"), cards[0]))
        self.assertEqual(len(links), 1)
        self.assertEqual(links[0]["attrs"]["href"], "/pulse/optimized-outcomes/")
        self.assertEqual(links[0]["text"].strip(), "Optimized Outcomes with AI")
        self.assertIn("card__link", links[0]["attrs"]["class"])  # stretched over the card
        self.assertIn("Read Pulse", cards[0]["text"])  # the editor's button text, not a link

    def test_cards_waiting_for_their_article_are_one_line_each_without_image_or_link(self):
        page = Elements(self.client.get(self.term.url).content.decode())
        (pending,) = page.find_all(with_class("pending-cards"))
        items = list(page.find_all(tag("li"), pending))
        self.assertEqual(
            [item["text"].split("Article coming soon")[0].strip() for item in items],
            [card.title for card in self.waiting],
        )
        self.assertEqual(list(page.find_all(tag("img"), pending)), [])
        self.assertEqual(list(page.find_all(tag("a"), pending)), [])
        # Only the live card's image is on the page.
        self.assertEqual(len(list(page.find_all(with_class("card__image")))), 1)


class HomePageTests(WagtailPageTestCase):
    @classmethod
    def setUpTestData(cls):
        cls.home = HomePage.objects.get()
        cls.plain = GlossaryTermPageFactory(title="Audit trail", slug="audit-trail")
        cls.rich = GlossaryTermPageFactory(title="Zoning", slug="zoning")
        add_cards(cls.rich, RelatedArticleCardFactory(), RelatedArticleCardFactory())
        GlossaryTermPageFactory(title="5S method", slug="5s-method")

    def featured(self):
        page = Elements(self.client.get("/").content.decode())
        (section,) = page.find_all(with_class("featured-term"))
        (link,) = page.find_all(tag("a"), section)
        return link["text"].strip(), link["attrs"]["href"]

    def test_the_featured_term_is_the_one_with_most_to_read_and_follows_changes(self):
        self.assertEqual(self.featured(), ("Zoning", "/glossary/zoning/"))
        self.assertEqual(self.featured(), ("Zoning", "/glossary/zoning/"))  # deterministic
        rich = GlossaryTermPage.objects.get(pk=self.rich.pk)
        rich.unpublish()  # the cached home page is invalidated by the term's change
        self.assertEqual(self.featured(), ("Audit trail", "/glossary/audit-trail/"))  # A to Z

    def test_the_editors_first_featured_term_comes_first(self):
        chosen = GlossaryTermPage.objects.get(slug="5s-method")
        HomePageFeaturedTerm.objects.create(page=self.home, term=chosen, sort_order=0)
        self.home.save_revision().publish()
        self.assertEqual(self.featured(), ("5S method", "/glossary/5s-method/"))

    def test_the_home_page_has_the_letter_bar(self):
        response = self.client.get("/")
        self.assertContains(response, 'href="/glossary/letter/z/"')
        self.assertContains(response, 'aria-label="Z: 1 term"')
        self.assertContains(response, 'href="/glossary/letter/0-9/"')
        self.assertContains(
            response, '<span class="letter-nav__empty" title="No terms">Q</span>', html=True
        )


class SearchFilterLabelTests(WagtailPageTestCase):
    def test_each_group_of_chips_has_a_visible_label_that_names_it(self):
        GlossaryTermPageFactory(title="Capacity planning", category="methods")
        GlossaryTermPageFactory(title="Capacity buffer", category="lean")
        PulseArticlePageFactory(title="Capacity insights", slug="capacity-insights")
        page = Elements(self.client.get("/search/?q=capacity").content.decode())
        groups = list(page.find_all(with_class("search-filters__group")))
        labels = {}
        for group in groups:
            (label,) = page.find_all(with_class("search-filters__label"), group)
            (chips,) = page.find_all(tag("ul"), group)
            self.assertEqual(chips["attrs"]["aria-labelledby"], label["attrs"]["id"])
            labels[label["text"].strip()] = group
        self.assertEqual(set(labels), {"Kind", "Category"})
