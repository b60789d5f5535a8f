"""Links to the readers' forms from other apps' public pages (``core.reader_links``: the
term page's ``term_page``, the search's ``search_results``), decided without a query (the
term page's budget holds): a term's report form only when routing showed no page on its way restricted
(``core.internals.RoutedPageMixin.route_chain``), so no restricted term links to a form
that would not find it; "Suggest this term" when a search found little."""

from django.conf import settings
from django.urls import reverse
from django.utils.http import urlencode

from core.reader_links import ReaderLink

from .forms import QUERY_MAX_LENGTH


def report_link(page):
    """The report form of a live term page served publicly, else None."""
    chain = page.route_chain() if hasattr(page, "route_chain") else None
    if not page.live or chain is None or any(row.alias_of_id or row.restricted for row in chain):
        return None
    url = reverse("feedback_report", args=[page.pk])
    return ReaderLink(url, "Report a problem with this definition", "report-problem")


def suggest_link(query, found):
    """The suggestion form named after ``query`` when the search found at most
    ``SEARCH_LOG_FEW_RESULTS`` results (what the search reports count as "found little")."""
    query = " ".join((query or "").split())
    if not query or len(query) > QUERY_MAX_LENGTH or found > settings.SEARCH_LOG_FEW_RESULTS:
        return None
    url = reverse("feedback_suggest") + "?" + urlencode({"q": query})
    return ReaderLink(
        url, "Suggest this term", "suggest-term", lead="Not what you were looking for?"
    )
