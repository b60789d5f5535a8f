"""The glossary's newest changes, for its feeds (``glossary.feeds``) and its "What's new" page.

Both read the ``TermChange`` rows ``glossary.history`` writes at publish, newest first, of
live, public terms only: a term unpublished, made private or deleted leaves them with its
rows (the rows stay, for when it comes back). A row is "New" when it is its term's first
change, "Updated" otherwise; deciding that is part of the same query (a subquery on the
``(term, -date)`` index), so a feed costs one query and a page of "What's new" two.

They are kept in the page cache under ``TERM_FEEDS``, declared by ``GlossaryConfig.ready`` and
touched by ``glossary.effects`` whenever a term changes (published, unpublished, made private,
moved, deleted, imported).
"""

from django.db.models import Exists, OuterRef, Q

from core.internals import public_pages

TERM_FEEDS = "term_feeds"
FEED_ENTRIES = 50
WHATS_NEW_ENTRIES = 200
WHATS_NEW_PER_PAGE = 20
# What a listing never shows of a term: long fields read only on its own page.
UNSHOWN_TERM_FIELDS = ("term__body", "term__key_questions", "term__recent_changes")


def newest_changes(shown=True):
    """The changes of live, public terms, newest first; ``shown``: each with its term and
    ``has_earlier`` (whether the term changed before: see ``label``), else bare (to count)."""
    from .models import GlossaryTermPage, TermChange

    public_terms = public_pages(GlossaryTermPage.objects.live()).values("pk")
    changes = TermChange.objects.filter(term__in=public_terms).order_by("-date", "-id")
    if not shown:
        return changes
    earlier = TermChange.objects.filter(term_id=OuterRef("term_id")).filter(
        Q(date__lt=OuterRef("date")) | Q(date=OuterRef("date"), id__lt=OuterRef("id"))
    )
    return (
        changes.annotate(has_earlier=Exists(earlier))
        .select_related("term")
        .defer(*UNSHOWN_TERM_FIELDS)
    )


def label(change):
    """ "New" for a term's first published change, "Updated" for any later one."""
    return "Updated" if change.has_earlier else "New"


def summary(change):
    """The change note, then the term's short definition (a feed entry's text)."""
    return f"{change.note.rstrip('.')}. {change.term.description}"
