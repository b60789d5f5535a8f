"""The editor's switch a content page (a term, an article) has over its linked terms."""

from django.db import models


class NoLinkedTermsMixin(models.Model):
    """ "No linked terms on this page": the page's body links no glossary term.

    Read by the worker (``glossary.linking`` finds no mentions in such a body) and by rendering
    (the body is shown as written, at once, before the worker has come).
    """

    no_linked_terms = models.BooleanField(
        "no linked terms on this page",
        default=False,
        help_text="Show this page's text without links to glossary terms (e.g. a page that "
        "quotes many terms, or a legal text). Other pages still link to it.",
    )

    class Meta:
        abstract = True
