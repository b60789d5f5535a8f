"""Glossary models, one module per kind: ``pages`` (the index and the terms),
``term_relations`` (a term's pinned terms, cards and computed neighbours), ``snippets`` (the
cards and section texts terms show), ``downloads`` (the built download files) and ``backlinks``
(the articles that mention a term, read from the stored mentions of ``links``).
Everything is importable from here as before."""

from .backlinks import TermBacklinksMixin
from .downloads import DownloadBuild
from .links import LinkedPage, LinkedVocabulary, RelinkRequest, TermMention
from .neighbourhood import IndexedTerm, PendingNeighbourhood, TermWord, WordFrequency
from .pages import GlossaryIndexPage, GlossaryTermPage, new_term_id
from .snippets import RelatedArticleCard, RelatedArticlesSection, reviewed_snippet_relations
from .term_relations import GlossaryTermPinnedTerm, GlossaryTermRelatedCard, TermNeighbour

__all__ = [
    "DownloadBuild",
    "GlossaryIndexPage",
    "GlossaryTermPage",
    "GlossaryTermPinnedTerm",
    "GlossaryTermRelatedCard",
    "IndexedTerm",
    "LinkedPage",
    "LinkedVocabulary",
    "PendingNeighbourhood",
    "RelatedArticleCard",
    "RelatedArticlesSection",
    "RelinkRequest",
    "TermBacklinksMixin",
    "TermMention",
    "TermNeighbour",
    "TermWord",
    "WordFrequency",
    "new_term_id",
    "reviewed_snippet_relations",
]
