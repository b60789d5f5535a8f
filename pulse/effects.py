"""What follows a change of articles: Pulse's handlers for the dispatcher (``core.events``).

An article published, unpublished, deleted, moved or imported: its page, the lists that show
it (the Pulse index, the home page), the sitemap, the feeds and the search, in the change's
request. An image changed: the articles that show it as their hero image, with the lists and
feeds. What articles change for terms (the cards that show them) is ``glossary.effects``'.
Registered by ``PulseConfig.ready``.
"""

from core import events, page_cache
from home import navigation


def register():
    events.connect(events.PAGE_CHANGED, _page_changed)
    events.connect(events.IMPORTED, _imported)
    events.connect(events.IMAGE_CHANGED, _image_changed)


def _articles_changed(changes, pages):
    from .models import PulseArticlePage

    articles = {page.pk for page in pages if isinstance(page, PulseArticlePage)}
    if articles:
        changes.touch(
            pages=articles | navigation.listing_pages(),
            scopes={page_cache.SITEMAP, page_cache.FEEDS, page_cache.SEARCH},
        )
    return bool(articles)


def _page_changed(changes, page):
    return _articles_changed(changes, [page])


def _imported(changes, pages):
    return _articles_changed(changes, pages)


def _image_changed(changes, image, deleted):
    from .models import PulseArticlePage

    articles = set(PulseArticlePage.objects.filter(hero_image=image).values_list("pk", flat=True))
    if articles:
        changes.touch(pages=articles | navigation.listing_pages(), scopes={page_cache.FEEDS})
