"""Glossary models, one module per kind: ``pages`` (the index and the terms) and ``snippets``
(the cards and section texts terms show). Everything is importable from here as before."""

from .links import LinkedPage, LinkedVocabulary, RelinkRequest, TermMention
from .neighbourhood import IndexedTerm, PendingNeighbourhood, TermWord, WordFrequency
from .pages import (
    GlossaryIndexPage,
    GlossaryTermPage,
    GlossaryTermPinnedTerm,
    GlossaryTermRelatedCard,
    TermNeighbour,
    new_term_id,
)
from .snippets import RelatedArticleCard, RelatedArticlesSection, reviewed_snippet_relations

__all__ = [
    "GlossaryIndexPage",
    "GlossaryTermPage",
    "GlossaryTermPinnedTerm",
    "GlossaryTermRelatedCard",
    "IndexedTerm",
    "PendingNeighbourhood",
    "LinkedPage",
    "LinkedVocabulary",
    "RelinkRequest",
    "RelatedArticleCard",
    "RelatedArticlesSection",
    "TermMention",
    "TermNeighbour",
    "TermWord",
    "WordFrequency",
    "new_term_id",
    "reviewed_snippet_relations",
]
