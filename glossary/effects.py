"""What follows a change of terms, and of what terms show: the glossary's handlers.

The dispatcher (``core.events``) carries every content event; ``register`` (called by
``GlossaryConfig.ready``) connects the glossary's answers to it:

- a term published, unpublished, deleted, moved or imported: its page, the terms that show
  it (as related, previous or next, or as a deprecated term's replacement), the lists (index,
  letter pages, home), the sitemap, the search, the downloads, the read API, the feeds of
  changes and What's new (``term_feeds``), in the change's request; and, if a name, synonym,
  description, address or status changed, every page that links terms (``terms``);
- the derived neighbourhood: related, previous and next terms (``_recompute_neighbourhood``,
  the single call point; ``glossary.related`` recomputes only the terms a change can move),
  by the worker after the change commits (a task, coalesced: ten publishes in a second cause
  one run); until it has run, links to a term that left are
  removed at once (``_drop_links_to_gone_terms``), so no page links to a 404, and new or
  renamed terms join the lists when it has (eventually consistent: see
  docs/caching-and-performance.md);
- the linked mentions stored with each page, found again by the worker for the pages whose body
  changed and the pages a changed name may be on (``glossary.linking.relink_after_commit``);
- the glossary's downloads, rebuilt by the worker (``downloads.rebuild_after_commit``);
- an article published or unpublished: the cards waiting for it link up
  (``link_waiting_cards``), and the terms that show it on a card render afresh (the article's
  own pages are ``pulse.effects``');
- a card, a section or an image edited: every term that shows it.

A term's letter and sort key are set before every save and bulk insert (``prepare_term``).
"""

from django.conf import settings

from core import events, page_cache, queue
from core.internals import public_pages
from core.page_roles import listing_page_ids

from . import names
from .alphabet import letter_for, sort_key
from .changes import TERM_FEEDS

TERMS = "glossary.terms"  # the dispatcher's note of the terms a batch changed

# What the importer and other callers used before the dispatcher moved to core.
batch = events.batch


def site_changed():
    """Everything anew: every page, the neighbourhood, the vocabulary, the downloads."""
    events.send(events.EVERYTHING)


def prepare_term(page):
    """Fields derived from a term's own fields, set before it is written."""
    page.letter = letter_for(page.title)
    page.sort_key = sort_key(page.title)
    page.name_words = names.name_words(page.title, page.synonyms)


def register():
    events.connect(events.PAGE_CHANGED, _page_changed)
    events.connect(events.IMPORTED, _imported)
    events.connect(events.SNIPPET_CHANGED, _snippet_changed)
    events.connect(events.IMAGE_CHANGED, _image_changed)
    events.connect(events.SITE_CHANGED, _site_changed)
    events.on_finish(_finish)


def _pages_changed(changes, pages):
    """Terms among ``pages`` are noted (their effects run when the batch ends); articles link
    the cards waiting for them. True if a term was among them."""
    from pulse.models import PulseArticlePage

    from .models import GlossaryTermPage

    terms = {page.pk for page in pages if isinstance(page, GlossaryTermPage)}
    articles = [page for page in pages if isinstance(page, PulseArticlePage)]
    changes.note(TERMS, terms)
    if articles:
        _articles_changed(changes, articles)
    return bool(terms)


def _page_changed(changes, page):
    return _pages_changed(changes, [page])


def _imported(changes, pages):
    return _pages_changed(changes, pages)


def _articles_changed(changes, articles):
    """Articles published, unpublished, deleted or moved: the cards waiting for the live ones
    point at them, and every term that shows one of them on a card renders afresh."""
    from .models import GlossaryTermRelatedCard

    live = [article for article in articles if article.live]
    linked = link_waiting_cards(live) if live else []
    showing = GlossaryTermRelatedCard.objects.filter(
        card__target_page_id__in=[article.pk for article in articles]
    ).values_list("page_id", flat=True)
    changes.touch(pages={*showing, *(term for card in linked for term in card.term_ids)})


def _snippet_changed(changes, instance, deleted):
    """A related-article card or section was edited or is being deleted: every term that
    shows it."""
    from .models import RelatedArticleCard, RelatedArticlesSection

    if isinstance(instance, RelatedArticleCard):
        changes.touch(pages=instance.placements.values_list("page_id", flat=True))
        return True
    if isinstance(instance, RelatedArticlesSection):
        changes.touch(pages=instance.terms.values_list("pk", flat=True))
        return True
    return False


def _site_changed(changes, site):
    """The downloads and the feeds write absolute addresses: built again (the neighbourhoods
    stay)."""
    changes.touch(scopes={page_cache.DOWNLOADS, TERM_FEEDS})


def _image_changed(changes, image, deleted):
    """An image changed: the terms that show it on a card (its renditions are the core's)."""
    from .models import GlossaryTermRelatedCard

    changes.touch(
        pages=GlossaryTermRelatedCard.objects.filter(card__image=image).values_list(
            "page_id", flat=True
        )
    )


def _finish(changes):
    """The terms' effects, once per batch, before the page cache is invalidated."""
    from . import downloads, linking
    from .models import GlossaryTermPage, TermNeighbour

    terms = changes.notes.get(TERMS)
    changed_pages = set(changes.pages)  # pages whose own content changed (articles, ...)
    if terms and len(terms) > page_cache.MANY_PAGES:
        changes.touch_everything()  # a large import: the whole glossary anew, in few queries
    if changes.everything:
        link_waiting_cards()
        _drop_links_to_gone_terms()
        _recompute_neighbourhood(None)  # every page is invalidated by the dispatcher
        linking.relink_after_commit(everything=True)
        changes.after.append(downloads.rebuild_after_commit)  # after the tokens have moved
        return
    if terms:
        # Terms that show a changed term (as related, previous or next) before the change...
        pages = set(
            TermNeighbour.objects.filter(other_id__in=terms).values_list("term_id", flat=True)
        )
        _drop_links_to_gone_terms(terms)
        # ...and every term whose related, previous or next terms the change moved (now, or
        # when the worker has recomputed them: ``neighbourhood_recomputed``).
        pages |= _recompute_neighbourhood(terms)
        pages |= terms | listing_page_ids()
        # Deprecated terms whose notice names a changed term as their replacement.
        pages |= set(
            GlossaryTermPage.objects.filter(replaced_by_id__in=terms).values_list("pk", flat=True)
        )
        changes.touch(
            pages=pages,
            scopes={page_cache.SITEMAP, page_cache.SEARCH, page_cache.DOWNLOADS, TERM_FEEDS},
        )
    # Linked mentions: found again by the worker where a body or a name changed (glossary.linking).
    linking.relink_after_commit(pages=changed_pages, terms=terms or ())
    if page_cache.DOWNLOADS in changes.scopes:
        changes.after.append(downloads.rebuild_after_commit)  # after the tokens have moved


def _recompute_neighbourhood(term_ids=None):
    """Related, previous and next terms of what the change of ``term_ids`` (None: of anything)
    can move: the change is recorded in its own transaction, then caught up with now
    (``RELATED_RECOMPUTE = "inline"``, returning the terms whose lists changed) or by the
    worker after the change commits ("task", the default: the editor's request does not wait)."""
    from . import related, tasks

    related.record_changes(term_ids)
    if getattr(settings, "RELATED_RECOMPUTE", "task") == "inline":
        return related.drain()
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

    public = public_pages(GlossaryTermPage.objects.live())
    if term_ids is None:
        TermNeighbour.objects.exclude(other_id__in=public.values("pk")).delete()
        return
    # The changed terms that left, found among themselves: an anti-join with every public
    # term read the whole glossary on each publish (bench/RESULTS.md, scale).
    staying = set(public.filter(pk__in=term_ids).values_list("pk", flat=True))
    gone = set(term_ids) - staying
    if gone:
        TermNeighbour.objects.filter(other_id__in=gone).delete()


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
