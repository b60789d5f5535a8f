"""Glossary models, one module per kind: ``pages`` (the index and the terms),
``term_relations`` (a term's pinned terms, cards and computed neighbours), ``hierarchy``
(broader and narrower terms), ``topics`` (the index's topic pages), ``snippets`` (the
cards and section texts terms show) and ``downloads`` (the built download files).
Everything is importable from here as before."""

from .downloads import DownloadBuild
from .hierarchy import GlossaryTermBroader
from .links import LinkedPage, LinkedVocabulary, RelinkRequest, TermMention
from .neighbourhood import IndexedTerm, PendingNeighbourhood, TermWord, WordFrequency
from .pages import GlossaryIndexPage, GlossaryTermPage, new_term_id
from .snippets import RelatedArticleCard, RelatedArticlesSection, reviewed_snippet_relations
from .term_relations import GlossaryTermPinnedTerm, GlossaryTermRelatedCard, TermNeighbour

__all__ = [
    "DownloadBuild",
    "GlossaryIndexPage",
    "GlossaryTermBroader",
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
    "TermMention",
    "TermNeighbour",
    "TermWord",
    "WordFrequency",
    "new_term_id",
    "reviewed_snippet_relations",
]
