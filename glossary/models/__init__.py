"""Glossary models, one module per kind: ``pages`` (the index and the terms) and ``snippets``
(the cards and section texts terms show). Everything is importable from here as before."""

from .links import LinkedPage, LinkedVocabulary, RelinkRequest, TermMention
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
    "LinkedPage",
    "LinkedVocabulary",
    "RelinkRequest",
    "RelatedArticleCard",
    "RelatedArticlesSection",
    "TermMention",
    "TermNeighbour",
    "new_term_id",
    "reviewed_snippet_relations",
]
