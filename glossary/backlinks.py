"""What makes a term's "Mentioned in" stale (``glossary.models.backlinks``), and when.

A term's page and its ``mentions/`` route (one page scope: ``get_cached_paths`` names both)
list the live, public articles whose stored mentions include it. They change when:

- an article starts or stops mentioning the term: ``glossary.linking.relink_pages`` reports
  the terms whose set of mentioning live articles moved, and ``relink_requested`` invalidates
  them (and the read API) as soon as it has written the rows, by the worker or inline;
- an article that mentions it is published, unpublished, renamed, moved, deleted or imported
  (its title, address or date show in the list): the terms its stored mentions name are
  touched with the change (``register``, through the dispatcher, ``core.events``);
- who may see an article changes: every page is (``RESTRICTION_CHANGED``).

A deleted article's mentions are gone (a cascade) before the dispatcher hears of the delete, so
they are read just before (``_remember_mentions``).
"""

from django.db.models.signals import pre_delete

from core import events


def lists_mentions(page):
    """Whether the terms ``page`` mentions list it: a live Pulse article."""
    from pulse.models import PulseArticlePage

    return isinstance(page, PulseArticlePage) and page.live


def register():
    """Connect to the dispatcher (called by ``GlossaryConfig.ready``)."""
    from pulse.models import PulseArticlePage

    events.connect(events.PAGE_CHANGED, _page_changed)
    events.connect(events.PAGE_RENAMED, _page_changed)
    events.connect(events.IMPORTED, _imported)
    pre_delete.connect(
        _remember_mentions, sender=PulseArticlePage, dispatch_uid="backlinks_article_deleting"
    )


def _remember_mentions(sender, instance, **kwargs):
    from .models import TermMention

    instance.backlinked_terms = set(
        TermMention.objects.filter(page_id=instance.pk).values_list("term_id", flat=True)
    )


def _articles_changed(changes, pages):
    """The terms that list one of these articles (as their stored mentions say) render
    afresh. Never claims the pages: the articles are ``pulse.effects``'."""
    from pulse.models import PulseArticlePage

    from .models import TermMention

    articles = [page for page in pages if isinstance(page, PulseArticlePage)]
    if not articles:
        return False
    terms = set()
    for article in articles:
        terms |= getattr(article, "backlinked_terms", set())
    terms |= set(
        TermMention.objects.filter(page_id__in=[article.pk for article in articles]).values_list(
            "term_id", flat=True
        )
    )
    changes.touch(pages=terms)
    return False


def _page_changed(changes, page, **kwargs):
    return _articles_changed(changes, [page])


def _imported(changes, pages):
    return _articles_changed(changes, pages)
