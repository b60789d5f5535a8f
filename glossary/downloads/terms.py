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
    status: str = "current"  # or "deprecated" (glossary.models.TermStatus)
    replaced_by: tuple = ()  # (term id, url) of a deprecated term's live, public replacement
    broader: tuple = ()  # (term id, name, url) of each live, public broader term, editor order
    narrower: tuple = ()  # url of each live, public narrower term


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
            "status",
            "replaced_by_id",
        )
        .iterator(chunk_size=chunk_size)
    )
    while chunk := list(islice(rows, chunk_size)):
        replacements = _replacements(index, index_url, {row[-1] for row in chunk if row[-1]})
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
        broader, narrower = hierarchy_of(index, index_url, [row[0] for row in chunk])
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
                status=status,
                replaced_by=replacements.get(replaced_by, ()),
                broader=tuple(broader.get(pk, ())),
                narrower=tuple(narrower.get(pk, ())),
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
                status,
                replaced_by,
            ) in chunk
        ]


def _replacements(index, index_url, ids):
    """{page id: (term id, url)} of the live, public terms among ``ids``: one query, and
    none for a chunk without replaced terms (the usual case)."""
    if not ids:
        return {}
    rows = public_terms(index).filter(pk__in=ids).values_list("pk", "term_id", "slug")
    return {pk: (term_id, f"{index_url}{slug}/") for pk, term_id, slug in rows}


def hierarchy_of(index, index_url, term_pks):
    """({term pk: [(term id, name, url) of each broader term]}, {term pk: [url of each
    narrower term]}) for the terms ``term_pks``, live and public ones only, in one query."""
    from django.db.models import Q

    from ..models import GlossaryTermBroader

    public = public_terms(index).values("pk")
    rows = (
        GlossaryTermBroader.objects.filter(page_id__in=public, term_id__in=public)
        .filter(Q(page_id__in=term_pks) | Q(term_id__in=term_pks))
        .order_by("page_id", "sort_order", "pk")
        .values_list(
            "page_id", "term_id", "term__term_id", "term__title", "term__slug", "page__slug"
        )
    )
    chunk = set(term_pks)
    broader, narrower = {}, {}
    for page_id, term_pk, term_id, name, slug, narrower_slug in rows:
        if page_id in chunk:
            broader.setdefault(page_id, []).append((term_id, name, f"{index_url}{slug}/"))
        if term_pk in chunk:
            narrower.setdefault(term_pk, []).append(f"{index_url}{narrower_slug}/")
    return broader, narrower
