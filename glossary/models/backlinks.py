"""A term's backlinks: the Pulse articles that mention it ("Mentioned in").

Derived, never edited: the worker stores the terms each body mentions (``TermMention``,
written by ``glossary.linking.relink_pages``, the matcher that links them), and a term's page
only reads those rows, restricted to articles live and public now, newest first (the date an
article shows: its publication date, else its first publication). The term page shows the
first few (``TermBacklinksMixin``, one query) and links to all of them on its own route,
``/glossary/<slug>/mentions/`` (paginated, one query a page). What invalidates them is
``glossary.backlinks``.
"""

import datetime

from django.core.paginator import EmptyPage, Paginator
from django.core.paginator import Page as ListPage
from django.db.models import Count, F, Window
from django.db.models.functions import Coalesce, RowNumber, TruncDate
from django.http import Http404
from django.template.response import TemplateResponse
from django.utils.functional import cached_property

from wagtail.contrib.routable_page.models import RoutablePageMixin, path
from wagtail.models import Page

from core.filters import page_number
from core.internals import public_pages
from core.page_cache import route_params
from core.seo import canonical_listing_url

MENTIONS_SHOWN = 5  # on the term page; the rest on its mentions route
MENTIONS_PER_PAGE = 20
# What a list of mentions shows of an article (and the API's id, title, url, date).
ARTICLE_FIELDS = ("id", "title", "url_path", "published_date", "first_published_at", "category")


def _newest_first(prefix=""):
    """The order of a list of mentioning articles: the date each shows, newest first (a
    ``published_date``, else the day of its first publication), then the later first
    publication, then the newer page. ``prefix`` reaches the article from another model."""
    date = Coalesce(
        F(f"{prefix}published_date"),
        TruncDate(f"{prefix}first_published_at", tzinfo=datetime.UTC),
    )
    return [
        date.desc(nulls_last=True),
        F(f"{prefix}first_published_at").desc(nulls_last=True),
        F(f"{prefix}id").desc(),
    ]


def _shown_articles():
    from pulse.models import PulseArticlePage

    return public_pages(PulseArticlePage.objects.live())


def mentioning_articles(term_id):
    """The live, public articles whose stored mentions include the term, newest first, each
    with ``mention_total`` (how many in all: a window over the same rows, no second query)."""
    from .links import TermMention

    mentioning = TermMention.objects.filter(term_id=term_id).values("page_id")
    return (
        _shown_articles()
        .filter(pk__in=mentioning)
        .only(*ARTICLE_FIELDS)
        .annotate(mention_total=Window(Count("pk")))
        .order_by(*_newest_first())
    )


def mentions_of(term_ids, limit=MENTIONS_SHOWN):
    """{term id: [article, …] newest first, at most ``limit``} for many terms in two queries
    (the read API's listings): the ranked rows, then their articles."""
    from pulse.models import PulseArticlePage

    from .links import TermMention

    rows = list(
        TermMention.objects.filter(term_id__in=term_ids, page_id__in=_shown_articles().values("pk"))
        .annotate(
            rank=Window(
                RowNumber(),
                partition_by=[F("term_id")],
                order_by=_newest_first("page__pulsearticlepage__"),
            )
        )
        .filter(rank__lte=limit)
        .order_by("term_id", "rank")
        .values_list("term_id", "page_id")
    )
    articles = PulseArticlePage.objects.only(*ARTICLE_FIELDS).in_bulk(
        {page_id for _term, page_id in rows}
    )
    found = {term_id: [] for term_id in term_ids}
    for term_id, page_id in rows:
        found[term_id].append(articles[page_id])
    return found


class TermBacklinksMixin(RoutablePageMixin):
    """For ``GlossaryTermPage``: "Mentioned in" on its page and in the read API, and the
    ``mentions/`` route listing every article that mentions it."""

    mentions_shown = MENTIONS_SHOWN
    mentions_per_page = MENTIONS_PER_PAGE

    @cached_property
    def _mentions_head(self):
        """(the first ``mentions_shown`` articles, how many in all): one query."""
        if self.pk is None:  # a preview of a term not saved yet
            return [], 0
        articles = list(mentioning_articles(self.pk)[: self.mentions_shown])
        return articles, (articles[0].mention_total if articles else 0)

    @cached_property
    def mentioned_in(self):
        """The newest articles that mention the term (at most ``mentions_shown``)."""
        return self._mentions_head[0]

    @property
    def mentioned_in_count(self):
        return self._mentions_head[1]

    @classmethod
    def prefetch_for_listing(cls, terms):
        """The cooperative part of the API listings' prefetch: every term's mentions at once."""
        parent = getattr(super(), "prefetch_for_listing", None)
        if parent is not None:
            parent(terms)
        mentions = mentions_of([term.pk for term in terms], MENTIONS_SHOWN)
        for term in terms:
            term.__dict__["mentioned_in"] = mentions[term.pk]

    def get_cached_paths(self):
        """The term's page and its list of mentions: purged and warmed together."""
        return [*super().get_cached_paths(), "mentions/"]

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["mentioned_in"] = self.mentioned_in
        context["mentioned_in_count"] = self.mentioned_in_count
        return context

    @path("mentions/", name="mentions")
    @route_params("page")
    def mentions_route(self, request):
        """Every live, public article that mentions the term, newest first, a page at a time
        (``?page=N``; past the last page, or below 1, a 404). One query: the page of rows
        carries the total. Canonical and ``noindex, follow``: a derived list of links with no
        text of its own (one per term) is no page to rank, but its articles are to be found.
        """
        number = page_number(request.GET.get("page", ""))
        number = 1 if number is None else number
        per_page = self.mentions_per_page
        start = max(number - 1, 0) * per_page
        articles = list(mentioning_articles(self.pk)[start : start + per_page])
        paginator = Paginator(articles, per_page, allow_empty_first_page=True)
        paginator.count = articles[0].mention_total if articles else 0
        try:
            paginator.validate_number(number)
        except EmptyPage as error:
            raise Http404("No such page of the list") from error
        items = ListPage(articles, number, paginator)
        # Only what the list shows: not the term's cards, neighbours and body.
        context = Page.get_context(self, request)
        context.update(
            items=items,
            canonical_url=canonical_listing_url(f"{self.get_full_url(request)}mentions/", items),
            meta_description=mentions_description(self.title, items),
        )
        return TemplateResponse(request, "glossary/glossary_term_mentions.html", context)


def mentions_description(title, items):
    count = items.paginator.count
    text = f"{count} Pulse article{'s' if count != 1 else ''} mention{'' if count != 1 else 's'}"
    text += f" {title}"
    if items.paginator.num_pages > 1:
        text += f" (page {items.number} of {items.paginator.num_pages})"
    return text + "."
