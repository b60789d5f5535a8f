"""What follows a content change: the one place.

Model saves, Wagtail's signals (``glossary/signals.py``) and the importer's bulk path all call
these functions, and nothing else writes what they write:

- a term's letter (``prepare_term``, before every save and every bulk insert);
- cards waiting for their article link up when it is published (``link_waiting_cards``);
- the derived neighbourhood of every term: related, previous and next terms
  (``glossary.related.recompute``), by the worker after the change commits (a task,
  coalesced: ten publishes in a second cause one recompute); until it has run, links to a
  term that left are removed at once (``_drop_links_to_gone_terms``), so no page links to a
  404, and new or renamed terms join the lists when it has;
- the linked mentions stored with each page, found again by the worker for the pages whose body
  changed and the pages a changed name may be on (``glossary.linking.relink_after_commit``);
- the glossary's downloads, rebuilt by the worker (``glossary.downloads``);
- the page cache and the front cache (``core.page_cache.invalidate``): precisely the pages a
  change shows on, and the shared lists (index, letter pages, sitemap, search, feeds).

Inside ``batch()`` (the importer uses it) changes are collected and their effects run once at
the end, so importing 1,000 updates recomputes the glossary once, not 1,000 times.
"""

import threading
from contextlib import contextmanager
from dataclasses import dataclass, field

from django.conf import settings

from core import navigation, page_cache, queue
from core.internals import public_pages

from . import names
from .alphabet import letter_for

_state = threading.local()


def prepare_term(page):
    """Fields derived from a term's own fields, set before it is written."""
    page.letter = letter_for(page.title)
    page.name_words = names.name_words(page.title, page.synonyms)


@dataclass
class Pending:
    """Changes seen inside a ``batch()``, applied together when it ends."""

    terms: set = field(default_factory=set)
    pages: set = field(default_factory=set)
    scopes: set = field(default_factory=set)
    everything: bool = False


@contextmanager
def batch():
    """Collect changes and run their effects once, when the outermost batch ends."""
    outer = getattr(_state, "pending", None) is None
    if outer:
        _state.pending = Pending()
    try:
        yield
    finally:
        if outer:
            pending, _state.pending = _state.pending, None
            _run(pending)


def _record(terms=(), pages=(), scopes=(), everything=False):
    pending = getattr(_state, "pending", None)
    if pending is None:
        _run(Pending(set(terms), set(pages), set(scopes), everything))
        return
    pending.terms.update(terms)
    pending.pages.update(pages)
    pending.scopes.update(scopes)
    pending.everything |= everything


def _run(pending):
    from . import downloads, linking
    from .models import TermNeighbour

    pages, scopes = set(pending.pages), set(pending.scopes)
    if pending.everything:
        navigation.forget()
        link_waiting_cards()
        _drop_links_to_gone_terms()
        _recompute_neighbourhood()  # every page is invalidated below
        linking.relink_after_commit(everything=True)
        page_cache.invalidate(scopes={page_cache.SITE})
        downloads.rebuild_after_commit()  # after the tokens it reads have moved on
        return
    if pending.terms:
        # Terms that show a changed term (as related, previous or next) before the change...
        pages |= set(
            TermNeighbour.objects.filter(other_id__in=pending.terms).values_list(
                "term_id", flat=True
            )
        )
        _drop_links_to_gone_terms(pending.terms)
        # ...and every term whose related, previous or next terms the change moved (now, or
        # when the worker has recomputed them: ``neighbourhood_recomputed``).
        pages |= _recompute_neighbourhood()
        pages |= pending.terms | _list_pages()
        scopes |= {page_cache.SITEMAP, page_cache.SEARCH, page_cache.DOWNLOADS}
    # Linked mentions: found again by the worker where a body or a name changed (glossary.linking).
    linking.relink_after_commit(pages=pending.pages, terms=pending.terms)
    page_cache.invalidate(scopes=scopes | {page_cache.API}, pages=pages)
    if page_cache.DOWNLOADS in scopes:
        downloads.rebuild_after_commit()  # after the tokens it reads have moved on


def _recompute_neighbourhood():
    """Related, previous and next terms: recomputed now (``RELATED_RECOMPUTE = "inline"``,
    returning the terms whose lists changed) or by the worker after the change commits
    ("task", the default: the editor's request does not wait for the whole glossary)."""
    from . import related, tasks

    if getattr(settings, "RELATED_RECOMPUTE", "task") == "inline":
        return related.recompute()
    queue.enqueue_coalesced(tasks.recompute_neighbourhood)
    return set()


def neighbourhood_recomputed(changed):
    """The worker has written new neighbourhoods for the terms ``changed``: their pages (and
    the read API, the downloads' related-terms column) render afresh."""
    from . import downloads

    if changed:
        page_cache.invalidate(scopes={page_cache.API, page_cache.DOWNLOADS}, pages=changed)
        downloads.rebuild_after_commit()


def _drop_links_to_gone_terms(term_ids=None):
    """While the worker recomputes, no page may link to a term that is no longer live and
    public (a 404, or a login page): the stored links to such terms (among ``term_ids``, or
    any) are deleted now, in the change's transaction. The pages that showed them are
    invalidated with the change; they show a shorter list until the recompute fills it."""
    from .models import GlossaryTermPage, TermNeighbour

    links = TermNeighbour.objects.exclude(
        other_id__in=public_pages(GlossaryTermPage.objects.live()).values("pk")
    )
    if term_ids is not None:
        links = links.filter(other_id__in=term_ids)
    links.delete()


def _list_pages():
    """The pages that list terms or articles: the two indexes and the home page."""
    from wagtail.models import Page

    return set(Page.objects.filter(depth__in=(2, 3)).values_list("pk", flat=True))


# --- the changes ---------------------------------------------------------------------------------


def term_changed(page):
    """A term was published, unpublished, deleted or moved (pinned terms come with it)."""
    _record(terms={page.pk})


def article_changed(page):
    """An article was published, unpublished, deleted or moved."""
    from .models import GlossaryTermRelatedCard

    linked = link_waiting_cards([page]) if page.live else []
    showing = GlossaryTermRelatedCard.objects.filter(card__target_page_id=page.pk).values_list(
        "page_id", flat=True
    )
    _record(
        pages={page.pk, *showing, *(term for card in linked for term in card.term_ids)}
        | _list_pages(),
        scopes={page_cache.SITEMAP, page_cache.FEEDS, page_cache.SEARCH},
    )


def card_changed(card):
    """A related-article card was edited or deleted: every term that shows it."""
    _record(pages=set(card.placements.values_list("page_id", flat=True)))


def section_changed(section):
    """A related-articles section was edited or deleted: every term that shows it."""
    _record(pages=set(section.terms.values_list("pk", flat=True)))


def image_changed(image, deleted=False):
    """An image was uploaded, replaced or edited: its renditions are made now (never on a
    visitor's request), and the terms showing it on a card and the articles showing it render
    afresh."""
    from core.images import ALL_RENDITIONS
    from pulse.models import PulseArticlePage

    if not deleted:
        image.get_renditions(*ALL_RENDITIONS)
    from .models import GlossaryTermRelatedCard

    terms = GlossaryTermRelatedCard.objects.filter(card__image=image).values_list(
        "page_id", flat=True
    )
    articles = set(PulseArticlePage.objects.filter(hero_image=image).values_list("pk", flat=True))
    _record(
        pages={*terms, *articles, *(_list_pages() if articles else ())},
        scopes={page_cache.FEEDS} if articles else set(),
    )


def site_changed():
    """Something every page shows changed (the home page, an index, a view restriction, an
    import): recompute what is derived from the whole glossary and let every page render anew."""
    _record(everything=True)


def address_left(url_path):
    """A page moved away from ``url_path`` (a move or a new slug): the front cache forgets it.
    The page cache needs nothing more: what it stored there depends on the page's scope."""
    page_cache.invalidate(url_paths=[url_path])


def link_waiting_cards(articles=None):
    """Cards waiting for ``articles`` (default: every live article) point at them from now on.

    Returns the cards linked, each with ``term_ids``: the terms that show it.
    """
    from pulse.models import PulseArticlePage

    from .models import RelatedArticleCard

    if articles is None:
        live = public_pages(PulseArticlePage.objects.live()).only("id", "slug")
        by_slug = {article.slug: article for article in live}
    else:
        by_slug = {article.slug: article for article in articles}
    waiting = list(
        RelatedArticleCard.objects.filter(
            target_page__isnull=True, target_slug__in=list(by_slug)
        ).prefetch_related("placements")
    )
    for card in waiting:
        card.target_page = by_slug[card.target_slug]
        card.term_ids = [placement.page_id for placement in card.placements.all()]
    RelatedArticleCard.objects.bulk_update(waiting, ["target_page"])
    return waiting
