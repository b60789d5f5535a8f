"""A term's switches over linking: never linked anywhere, or no links on its own page."""

from django.db import models

from core.linked_terms import NoLinkedTermsMixin


class TermLinkingMixin(NoLinkedTermsMixin):
    """ "Never link this term": no page's body links it (its page, search and lists stay).

    Read by the worker's automaton (``glossary.linked_html``), by rendering (a stored mention of
    such a term is not shown as a link, at once) and by ``glossary.linking``'s comparison of
    what pages saw (the pages that linked it are relinked).
    """

    never_link = models.BooleanField(
        "never link this term",
        default=False,
        help_text="Mentions of this term's name, synonyms and their plurals on other pages are "
        "not linked to it (e.g. a common word). Its page still exists and is found by search.",
    )

    class Meta:
        abstract = True
