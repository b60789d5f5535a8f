"""What follows a change of the hierarchy (``GlossaryTermBroader``): the terms that show a
changed term as broader or narrower render afresh.

A term's page lists its broader and narrower terms, so when a term is published,
unpublished, renamed, moved or deleted, the terms linked to it either way are touched (read
when the batch finishes). A link removed by that change is gone from the table by then: its
two ends are remembered when the row is deleted (``post_delete``, which modelcluster's commit
and a page's cascade both send) and touched with the batch. The topic pages are routes of
the glossary index, which every term change touches already (``glossary.effects``).
"""

import threading

from django.db.models import Q
from django.db.models.signals import post_delete

from core import events

_removed = threading.local()


def register():
    from .models import GlossaryTermBroader

    post_delete.connect(_link_removed, sender=GlossaryTermBroader, dispatch_uid="hierarchy-removed")
    events.on_finish(_finish)


def _link_removed(sender, instance, **kwargs):
    held = getattr(_removed, "pages", None)
    if held is None:
        held = _removed.pages = set()
    held.update((instance.page_id, instance.term_id))


def linked_terms(term_ids):
    """Terms linked to any of ``term_ids`` as broader or narrower, as the table has them."""
    from .models import GlossaryTermBroader

    rows = GlossaryTermBroader.objects.filter(
        Q(page_id__in=term_ids) | Q(term_id__in=term_ids)
    ).values_list("page_id", "term_id")
    return {pk for row in rows for pk in row} - set(term_ids)


def _finish(changes):
    from .effects import TERMS

    removed, _removed.pages = getattr(_removed, "pages", None) or set(), set()
    terms = changes.notes.get(TERMS)
    if changes.everything:
        return
    touched = set(removed)
    if terms:
        touched |= linked_terms(terms)
    if touched:
        changes.touch(pages=touched)
