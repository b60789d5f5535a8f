"""Pinned results: Wagtail's search promotions (``wagtail.contrib.search_promotions``), served
by the site's own search.

Editors pin pages for a query in the admin (Settings › Promoted search results, Wagtail's own
views and permissions). The site reads only ``SearchPromotion`` rows: never ``Query.get`` or
``add_hit``, which write on every search; counting is ``search.log``'s. The promotions, as
{normalised query: [page ids]}, are kept in the cache and read from there on each search, so
the results page's query budget does not grow; a change of a promotion drops that copy and
makes the search's cached responses stale (a content event, ``SNIPPET_CHANGED``). The pinned
pages are fetched with the other results, live and public only (``search.ranking``): a draft,
unpublished or private page is never shown. Promotions of external links are not shown: the
site's results are its own pages.
"""

from django.core.cache import cache
from django.db import transaction

from core import events, page_cache

CACHE_KEY = "search:promotions"


def promoted_page_ids(query):
    """The ids of the pages pinned for ``query`` (normalised, ``search.log.normalise``), in
    the editors' order."""
    if not query:
        return []
    promoted = cache.get(CACHE_KEY)
    if promoted is None:
        promoted = _load()
        cache.set(CACHE_KEY, promoted, timeout=None)
    return promoted.get(query, [])


def _load():
    from wagtail.contrib.search_promotions.models import SearchPromotion

    promoted = {}
    rows = (
        SearchPromotion.objects.filter(page__isnull=False)
        .order_by("query_id", "sort_order", "pk")
        .values_list("query__query_string", "page_id")
    )
    for query, page_id in rows:
        promoted.setdefault(query, []).append(page_id)
    return promoted


def changed(sender, instance, **kwargs):
    """A promotion or its query was saved or deleted (Django's signals, connected by
    ``SearchConfig.ready``)."""
    cache.delete(CACHE_KEY)
    transaction.on_commit(lambda: cache.delete(CACHE_KEY))
    events.send(events.SNIPPET_CHANGED, instance=instance, deleted="created" not in kwargs)


def touched(changes, instance, deleted):
    """The content event's handler: the search's responses (the API follows every change)."""
    from wagtail.contrib.search_promotions.models import Query, SearchPromotion

    if isinstance(instance, (SearchPromotion, Query)):
        changes.touch(scopes={page_cache.SEARCH})
        return True
    return False


def register():
    from django.db.models.signals import post_delete, post_save

    from wagtail.contrib.search_promotions.models import Query, SearchPromotion

    for model in (SearchPromotion, Query):
        name = model._meta.model_name
        post_save.connect(changed, sender=model, dispatch_uid=f"search_promotions_{name}_saved")
        post_delete.connect(changed, sender=model, dispatch_uid=f"search_promotions_{name}_deleted")
    events.connect(events.SNIPPET_CHANGED, touched)
