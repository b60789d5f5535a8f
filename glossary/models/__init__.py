"""Glossary models, one module per kind: ``pages`` (the index and the terms),
``term_relations`` (a term's pinned terms, cards and computed neighbours), ``history`` (a
term's "Updated" date, sources and published changes), ``lifecycle`` (a term's status and
replacement), ``review``, ``linking_switches``, ``snippets`` (the cards and section texts terms
show), ``hierarchy`` (broader and narrower terms), ``topics`` (the index's topic pages),
``backlinks`` (the articles that mention a term, read from the stored mentions of ``links``),
``downloads`` (the built download files) and ``daily`` (the scheduled terms of the day).
Everything is importable from here."""

from .backlinks import TermBacklinksMixin
from .daily import TermOfTheDay
from .downloads import DownloadBuild
from .hierarchy import GlossaryTermBroader
from .history import TermChange, TermHistoryMixin, TermSource
from .lifecycle import TermLifecycleMixin, TermStatus
from .linking_switches import TermLinkingMixin
from .links import LinkedPage, LinkedVocabulary, RelinkRequest, TermMention
from .neighbourhood import IndexedTerm, PendingNeighbourhood, TermWord, WordFrequency
from .pages import GlossaryIndexPage, GlossaryTermPage, new_term_id
from .review import ReviewedTermMixin
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
    "TermBacklinksMixin",
    "TermLinkingMixin",
    "ReviewedTermMixin",
    "TermMention",
    "TermChange",
    "TermHistoryMixin",
    "TermNeighbour",
    "TermOfTheDay",
    "TermSource",
    "TermLifecycleMixin",
    "TermStatus",
    "TermWord",
    "WordFrequency",
    "new_term_id",
    "reviewed_snippet_relations",
]
