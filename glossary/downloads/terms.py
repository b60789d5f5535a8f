"""The terms a download holds, read in chunks as plain rows (``glossary.downloads``)."""

from dataclasses import dataclass
from itertools import islice

from core.internals import public_pages

from ..vocabulary import split_synonyms


@dataclass(frozen=True)
class DownloadTerm:
    term_id: str
    name: str
    slug: str
    url: str
    category: str
    description: str
    synonyms: tuple
    key_questions: tuple
    related: tuple  # (name, url) of each related term, in the order term pages show them
    updated: str = ""  # ISO date-time the content last changed (content_updated_at), or ""
    sources: tuple = ()  # (title, url, publisher) of each source it cites, in editor order


def public_terms(index):
    from ..models import GlossaryTermPage

    return public_pages(GlossaryTermPage.objects.child_of(index).live())


def term_chunks(index, index_url, chunk_size):
    """Every live, public term under ``index`` (name order), ``chunk_size`` at a time: the
    rows stream from one query, each chunk's related terms come from one more. Rows, not
    page objects: building 10,000 pages costs more than everything else here together.
    Their sources come from one more query a chunk."""
    from ..models import TermNeighbour, TermSource

    rows = (
        public_terms(index)
        .order_by("sort_key", "pk")
        .values_list(
            "id",
            "term_id",
            "title",
            "slug",
            "category",
            "description",
            "synonyms",
            "key_questions",
            "content_updated_at",
        )
        .iterator(chunk_size=chunk_size)
    )
    while chunk := list(islice(rows, chunk_size)):
        related = {}
        neighbours = TermNeighbour.objects.filter(
            kind=TermNeighbour.RELATED,
            term_id__in=[row[0] for row in chunk],
            other_id__in=public_terms(index).values("pk"),
        ).order_by("term_id", "position")
        for term, name, slug in neighbours.values_list("term_id", "other__title", "other__slug"):
            related.setdefault(term, []).append((name, f"{index_url}{slug}/"))
        sources = {}
        cited = TermSource.objects.filter(page_id__in=[row[0] for row in chunk])
        for term, *source in cited.order_by("page_id", "sort_order").values_list(
            "page_id", "title", "url", "publisher"
        ):
            sources.setdefault(term, []).append(tuple(source))
        yield [
            DownloadTerm(
                term_id=term_id,
                name=title,
                slug=slug,
                url=f"{index_url}{slug}/",
                category=category,
                description=description,
                synonyms=tuple(split_synonyms(synonyms)),
                # Each key question is a plain text block: its stored value is the question.
                key_questions=tuple(block["value"] for block in key_questions.raw_data),
                related=tuple(related.get(pk, ())),
                updated=updated.isoformat() if updated else "",
                sources=tuple(sources.get(pk, ())),
            )
            for (
                pk,
                term_id,
                title,
                slug,
                category,
                description,
                synonyms,
                key_questions,
                updated,
            ) in chunk
        ]
