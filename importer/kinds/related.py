"""What a glossary term points at: its related-articles section, its cards, its pinned terms,
the term that replaces it.

Sections and cards are snippets shared by many terms (one section per set of texts, one card
per article slug, pointing at the article's page once it exists); a term may pin terms that a
later file of the same run creates. ``TermRelations`` keeps them for one run of the writer.
"""

from ..errors import FixtureError, short_reason
from ..records import CardRecord
from ..report import Notes
from ..schema import OMIT, field_line, too_long
from ..structure import normalise_slug, repair

ARTICLE_KIND = "article"  # the kind whose pages cards point at, by slug
ITEMS = "related_articles_items"
# The section's texts: snippet field -> front-matter key.
SECTION_FIELDS = {
    "heading": "related_articles_heading",
    "subheading": "related_articles_subheading",
    "description": "related_articles_description",
    "category": "related_articles_category",
}
# A card item: (its key in the file, CardRecord attribute, RelatedArticleCard field).
CARD_ITEM = (
    ("related_article_title", "title", "title"),
    ("related_article_subheading", "subheading", "subheading"),
    ("related_article_image", "image", None),  # an image reference, a library image
    ("related_article_buttontext", "button_text", "button_text"),
    ("related_article_slug", "slug", "target_slug"),
)
CARD_KEYS = {key for key, _, _ in CARD_ITEM}
DEFAULT_BUTTON_TEXT = "Read Pulse"
# In the report: cards whose article is not a page (yet).
MISSING_ARTICLES = Notes(
    key="missing_articles",
    heading="Cards whose Pulse article does not exist yet (shown without a link):",
    fields=("path", "card_title", "slug"),
    line="{path}: {card_title!r} -> /pulse/{slug}/",
)


def read_cards(document, key):
    """The cards of ``related_articles_items``, each article once, in order."""
    items = document.fields.get(key, [])
    if not isinstance(items, list):
        raise FixtureError(document.path, document.line_of(key), f"{key!r} must be a list")
    cards, seen = [], set()
    for position, item in enumerate(items):
        line = document.item_line(key, position)
        if not isinstance(item, dict):
            raise FixtureError(
                document.path, line, "each related article must be a '{ key: value, ... }' item"
            )
        unknown = set(item) - CARD_KEYS
        if unknown:
            raise FixtureError(
                document.path, line, f"unknown related-article field {sorted(unknown)[0]!r}"
            )
        values = {attr: str(item.get(name, "")).strip() for name, attr, _ in CARD_ITEM}
        title = repair(values["title"])
        source_slug = values["slug"]
        slug = normalise_slug(source_slug)
        if not title or not slug:
            missing = "related_article_title" if not title else "related_article_slug"
            raise FixtureError(document.path, line, f"the related article has no {missing}")
        if slug in seen:
            continue  # the same article twice on one term is shown once
        seen.add(slug)
        cards.append(
            CardRecord(
                title=title,
                subheading=repair(values["subheading"]),
                image=values["image"],
                button_text=repair(values["button_text"]) or DEFAULT_BUTTON_TEXT,
                slug=slug,
                source_slug=source_slug,
                line=line,
            )
        )
    return tuple(cards)


def export_cards(page, images):
    """The term's cards as ``related_articles_items``, their images written by ``images``."""
    items = []
    for placement in page.related_cards.all():
        card = placement.card
        reference = images.reference(card.image) if card.image else ""
        images.add(reference, card.image)
        values = {"image": reference} | {
            attr: getattr(card, column) for _, attr, column in CARD_ITEM if column
        }
        items.append({name: values[attr] for name, attr, _ in CARD_ITEM})
    return items or OMIT


def card_image_references(page, record):
    """(reference, image) of the cards the file ``record`` came from names."""
    cards = {placement.card.target_slug: placement.card for placement in page.related_cards.all()}
    return [(card.image, cards[card.slug].image) for card in record.cards if card.slug in cards]


class TermRelations:
    """The sections, cards, article pages and term pages a run of the writer shares."""

    def __init__(self, writer, records):
        from glossary.models import GlossaryTermPage, RelatedArticleCard
        from pulse.models import PulseArticlePage

        self.writer = writer
        self.sections = self._sections()
        card_slugs = {card.slug for record in records for card in getattr(record, "cards", ())}
        self.cards = {
            card.target_slug: card
            for card in RelatedArticleCard.objects.filter(target_slug__in=card_slugs)
        }
        self.articles = {
            page.slug: page for page in PulseArticlePage.objects.filter(slug__in=card_slugs)
        }
        self.new_cards = []
        # Pinned related terms by term id: those of the run are added as they are written;
        # a term pinning one written after it gets its pins in ``finish``.
        pinned = {
            key
            for record in records
            for key in (*getattr(record, "pinned", ()), *getattr(record, "broader", ()))
        }
        pinned |= {record.replaced_by for record in records if getattr(record, "replaced_by", "")}
        self.term_pages = (
            dict(GlossaryTermPage.objects.filter(term_id__in=pinned).values_list("term_id", "pk"))
            if pinned
            else {}
        )
        self.waiting_pins = {}

    @staticmethod
    def _sections():
        from glossary.models import RelatedArticlesSection

        return {
            (s.heading, s.subheading, s.description, s.category): s
            for s in RelatedArticlesSection.objects.all()
        }

    def kept(self):
        """What a savepoint restores if it rolls back (see ``Writer.savepoint``)."""
        return {
            "articles": dict(self.articles),
            "term_pages": dict(self.term_pages),
            "waiting_pins": dict(self.waiting_pins),
        }

    def restore(self, kept):
        from glossary.models import RelatedArticleCard

        for name, value in kept.items():
            setattr(self, name, value)
        # Objects changed in memory before the rollback: read again as the database has them.
        self.sections = self._sections()
        self.cards = {
            card.target_slug: card
            for card in RelatedArticleCard.objects.filter(target_slug__in=list(self.cards))
        }
        self.new_cards = []

    def section(self, record):
        from glossary.models import RelatedArticlesSection

        texts = record.section
        if texts.is_empty():
            return None
        key = (texts.heading, texts.subheading, texts.description, texts.category)
        if key not in self.sections:
            self.sections[key] = RelatedArticlesSection.objects.create(
                heading=texts.heading,
                subheading=texts.subheading,
                description=texts.description,
                category=texts.category,
            )
        return self.sections[key]

    def card(self, card, record_path):
        """One card per target slug, shared by every term that shows it.

        New cards are only built here; ``prepare_cards`` writes them in bulk before the pages
        that show them.
        """
        from glossary.models import RelatedArticleCard

        values = {
            "title": card.title,
            "subheading": card.subheading,
            "button_text": card.button_text,
            "image": self.writer.image(card.image, record_path),
        }
        existing = self.cards.get(card.slug)
        if existing is None:
            existing = RelatedArticleCard(
                target_slug=card.slug, target_page=self.articles.get(card.slug), **values
            )
            self.cards[card.slug] = existing
            self.new_cards.append(existing)
        elif any(getattr(existing, name) != value for name, value in values.items()):
            for name, value in values.items():
                setattr(existing, name, value)
            if existing.pk:
                existing.save()
        return existing

    def prepare_cards(self, records):
        """Make sure every card these records show exists, writing new ones in bulk."""
        from .. import bulk

        for record in records:
            for card in record.cards:
                self.card(card, record.path)
        bulk.create_snippets(self.new_cards)
        self.new_cards = []

    def pinned_terms(self, record, keys=None):
        """Pages of the terms ``record`` pins (or names in ``keys``: its broader terms) that
        exist now; the rest wait for ``finish``."""
        keys = record.pinned if keys is None else keys
        found = [self.term_pages[key] for key in keys if key in self.term_pages]
        if len(found) < len(keys):
            self.waiting_pins[record.key] = record
        return found

    def replacement(self, record):
        """The page id of the term replacing ``record``'s when it exists now; else None, and
        the record waits for ``finish``."""
        if record.replaced_by and record.replaced_by not in self.term_pages:
            self.waiting_pins[record.key] = record
        return self.term_pages.get(record.replaced_by) if record.replaced_by else None

    def fill(self, page, record):
        from glossary.models import (
            GlossaryTermBroader,
            GlossaryTermPinnedTerm,
            GlossaryTermRelatedCard,
        )

        page.related_section = self.section(record)
        page.related_cards = [
            GlossaryTermRelatedCard(card=self.cards[card.slug], sort_order=order)
            for order, card in enumerate(record.cards)
        ]
        page.pinned_related_terms = [
            GlossaryTermPinnedTerm(term_id=term, sort_order=order)
            for order, term in enumerate(self.pinned_terms(record))
        ]
        page.replaced_by_id = self.replacement(record)
        page.broader_terms = [
            GlossaryTermBroader(term_id=term, sort_order=order)
            for order, term in enumerate(self.pinned_terms(record, record.broader))
        ]

    def written(self, pages):
        """Terms just written: others can now pin them."""
        for page in pages:
            self.term_pages[page.term_id] = page.pk

    def link_cards(self, articles):
        """Cards waiting for these articles point at them from now on."""
        from glossary import effects

        self.articles.update((article.slug, article) for article in articles)
        for card in effects.link_waiting_cards(articles):
            self.cards[card.target_slug] = card

    def finish(self, kind):
        """Give terms the pinned terms and the replacement written after them, through a
        revision of their own."""
        from ..models import ImportedRecord

        report = self.writer.report
        waiting, self.waiting_pins = self.waiting_pins, {}
        for record in waiting.values():
            replacing = [record.replaced_by] if record.replaced_by else []
            wanted = [*record.pinned, *record.broader, *replacing]
            missing = [key for key in wanted if key not in self.term_pages]
            for key in missing:
                what = (
                    "related"
                    if key in record.pinned
                    else "broader"
                    if key in record.broader
                    else "replacing"
                )
                report.warn(
                    record.path,
                    f"{what} term id {key!r} is not a term; left out",
                    "term not found",
                )
            imported = ImportedRecord.objects.filter(kind=record.kind, key=record.key).first()
            if imported is None or len(missing) == len(wanted):
                continue
            try:
                with self.writer.savepoint():
                    self.writer.refill(record, imported)
                    self.waiting_pins.pop(record.key, None)
            except Exception as error:  # noqa: BLE001 - the page stands; only its pins failed
                report.warn(
                    record.path,
                    f"related terms not pinned: {short_reason(error)}",
                    "related terms not pinned",
                )

    # --- checks and the report ----------------------------------------------------------------

    @staticmethod
    def length_problem(record):
        """(line, reason) for a section text or card value longer than its column, or None."""
        from glossary.models import RelatedArticleCard, RelatedArticlesSection

        section = record.section
        for name, key in SECTION_FIELDS.items():
            reason = too_long(RelatedArticlesSection, name, getattr(section, name))
            if reason:
                return field_line(record, key), f"related articles {reason}"
        for card in record.cards:
            for _, attr, column in CARD_ITEM:
                reason = column and too_long(RelatedArticleCard, column, getattr(card, attr))
                if reason:
                    return card.line, f"related article {reason}"
        return None

    @staticmethod
    def note_missing_planned(report, records):
        """For a dry run: cards of the run's terms whose article is neither a page nor in the
        run."""
        from pulse.models import PulseArticlePage

        slugs = {card.slug for record in records for card in getattr(record, "cards", ())}
        present = set(
            PulseArticlePage.objects.filter(slug__in=slugs).values_list("slug", flat=True)
        )
        present |= {record.slug for record in records if record.kind == ARTICLE_KIND}
        for record in records:
            for card in getattr(record, "cards", ()):
                if card.slug not in present:
                    report.note(MISSING_ARTICLES, record.path, card.title, card.slug)

    @staticmethod
    def note_missing(report, names):
        """Cards shown by the run's terms whose article is not (yet) a page, unchanged files
        included."""
        from glossary.models import GlossaryTermRelatedCard

        waiting = (
            GlossaryTermRelatedCard.objects.filter(
                card__target_page__isnull=True, page__imported_record__isnull=False
            )
            .order_by("page__imported_record__source_path", "sort_order")
            .values_list("page__imported_record__source_path", "card__title", "card__target_slug")
        )
        for path, title, slug in waiting:
            if path in names:
                report.note(MISSING_ARTICLES, path, title, slug)
