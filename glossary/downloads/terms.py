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
    broader: tuple = ()  # (term id, name, url) of each live, public broader term, editor order
    narrower: tuple = ()  # url of each live, public narrower term


def public_terms(index):
    from ..models import GlossaryTermPage

    return public_pages(GlossaryTermPage.objects.child_of(index).live())


def term_chunks(index, index_url, chunk_size):
    """Every live, public term under ``index`` (name order), ``chunk_size`` at a time: the
    rows stream from one query, each chunk's related terms come from one more. Rows, not
    page objects: building 10,000 pages costs more than everything else here together."""
    from ..models import TermNeighbour

    rows = (
        public_terms(index)
        .order_by("sort_key", "pk")
        .values_list(
            "id", "term_id", "title", "slug", "category", "description", "synonyms", "key_questions"
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
                broader=tuple(broader.get(pk, ())),
                narrower=tuple(narrower.get(pk, ())),
            )
            for pk, term_id, title, slug, category, description, synonyms, key_questions in chunk
        ]


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
