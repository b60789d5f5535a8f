"""Broader and narrower terms: a term names its broader terms (``GlossaryTermBroader`` rows,
edited in the term's form); its narrower terms are the inverse query, never stored twice.

A cycle (a term broader than itself, directly or through others) is refused wherever a
hierarchy is written: in the editor (``TermHierarchyForm``), on save (``clean``) and in the
import (``importer.kinds.hierarchy``), with the cycle named (``cycle_through``).
"""

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Exists, OuterRef, Q, Subquery
from django.utils.functional import cached_property
from django.utils.text import slugify

from wagtail.admin.forms import WagtailAdminPageForm
from wagtail.admin.panels import InlinePanel, PageChooserPanel
from wagtail.models import Orderable

from core.internals import public_pages

from ..rules import LINKS_CHECKED_BY_RUN, cycle_from
from .term_relations import TERM, chosen, on_term

# The fields a term needs to be listed as broader or narrower (a link and its name).
LINK_FIELDS = ("id", "title", "url_path", "slug", "description", "sort_key", "category")


class GlossaryTermBroader(Orderable):
    """A broader term of a term, in the order the editor gives."""

    page = on_term("broader_terms")
    term = chosen(TERM, "A more general term; it lists this one as narrower.", "narrower_links")
    panels = [PageChooserPanel("term", page_type=TERM)]

    class Meta(Orderable.Meta):
        verbose_name = "broader term"
        constraints = [
            # One row a pair; the chooser and the import both keep it (a repeat is dropped).
            models.UniqueConstraint(fields=["page", "term"], name="unique_broader_term"),
        ]


def broader_edges(start_ids):
    """{term pk: [broader pk, …]} of every term reachable upwards from ``start_ids``: one
    query per level of the hierarchy (a few), never the whole table."""
    edges, frontier = {}, set(start_ids)
    while frontier:
        rows = GlossaryTermBroader.objects.filter(page_id__in=frontier).values_list(
            "page_id", "term_id"
        )
        found = {pk: [] for pk in frontier}
        for page_id, term_id in rows.order_by("page_id", "sort_order", "pk"):
            found[page_id].append(term_id)
        edges.update(found)
        frontier = {term for targets in found.values() for term in targets} - set(edges)
    return edges


def cycle_through(term_pk, broader_pk, edges=None):
    """The pks of the cycle that making ``broader_pk`` a broader term of ``term_pk`` would
    close ([term, broader, …, term]), or None. ``edges``: the stored hierarchy upwards from
    ``broader_pk`` (``broader_edges``), with this term's own links left out: only its new
    ones count."""
    if term_pk is None or broader_pk is None:
        return None
    if term_pk == broader_pk:
        return [term_pk, term_pk]
    edges = broader_edges([broader_pk]) if edges is None else edges
    return cycle_from(term_pk, {**edges, term_pk: [broader_pk]})


def describe_cycle(path, names):
    """The cycle as “A” → “B” → “A”, each term by its name (``names``: {pk: name})."""
    return " → ".join(f"“{names.get(pk, pk)}”" for pk in path)


def cycle_message(term, broader_pk, path):
    from .pages import GlossaryTermPage

    names = dict(GlossaryTermPage.objects.filter(pk__in=set(path)).values_list("pk", "title"))
    names[term.pk] = term.title or names.get(term.pk, "this term")
    if path == [term.pk, term.pk]:
        return "A term cannot be its own broader term."
    return (
        f"“{names.get(broader_pk)}” cannot be a broader term of this one: it would make a "
        f"cycle, {describe_cycle(path, names)}."
    )


def hierarchy_problems(term, broader_pks):
    """Messages for each of ``broader_pks`` (the term's new broader terms) that closes a
    cycle; the stored hierarchy is read once for all of them."""
    broader_pks = [pk for pk in broader_pks if pk is not None]
    if term.pk is None or not broader_pks:
        return []  # a new term has no narrower terms yet: it cannot close a cycle
    edges = broader_edges(broader_pks)
    edges.pop(term.pk, None)  # its stored links are being replaced
    problems = []
    for pk in dict.fromkeys(broader_pks):
        path = cycle_through(term.pk, pk, edges)
        if path is not None:
            problems.append(cycle_message(term, pk, path))
    return problems


class TermHierarchyForm(WagtailAdminPageForm):
    """The term's form: a broader term that would close a cycle is refused, named."""

    def clean(self):
        cleaned = super().clean()
        formset = self.formsets.get("broader_terms")
        if formset is None or not hasattr(formset, "cleaned_data"):
            return cleaned
        chosen_terms = [
            form.cleaned_data.get("term")
            for form in formset.forms
            if form.cleaned_data and not form.cleaned_data.get("DELETE")
        ]
        pks = [term.pk for term in chosen_terms if term is not None]
        if len(pks) != len(set(pks)):
            self.add_error(None, "A broader term is chosen twice; keep it once.")
        for problem in hierarchy_problems(self.instance, pks):
            self.add_error(None, problem)
        return cleaned


class TermHierarchyMixin:
    """For ``GlossaryTermPage``: its broader and narrower terms, as visitors see them."""

    base_form_class = TermHierarchyForm
    hierarchy_panels = [
        InlinePanel(
            "broader_terms",
            label="Broader term",
            heading="Broader terms",
            help_text="More general terms this one belongs under; it is listed on their pages as "
            "narrower. A term cannot be broader than itself, directly or through others.",
        ),
    ]

    def clean(self):
        """Refuse a cycle however the term is saved (the editor's form says it first)."""
        super().clean()
        held = getattr(self, "_cluster_related_objects", {})
        if "broader_terms" not in held or LINKS_CHECKED_BY_RUN.get():
            return  # the stored rows are not changed, or the import checked the whole run
        pks = [row.term_id for row in held["broader_terms"]]
        problems = hierarchy_problems(self, pks)
        if problems:
            raise ValidationError(problems)

    @cached_property
    def hierarchy(self):
        """{"broader": [term, …] in editor order, "narrower": [term, …] A to Z}: live,
        public terms, in one query. In a preview, the broader terms being edited."""
        from .pages import GlossaryTermPage

        held = getattr(self, "_cluster_related_objects", {}).get("broader_terms")
        found = {"broader": [], "narrower": []}
        if self.pk is None and not held:
            return found
        if held is not None:
            order = {row.term_id: position for position, row in enumerate(held)}
            broader = Q(pk__in=list(order))
        else:
            order = None
            broader = Q(narrower_links__page_id=self.pk)
        terms = (
            public_pages(GlossaryTermPage.objects.live())
            # A new term (a preview) has no narrower terms: no "IS NULL" join over all terms.
            .filter(broader | Q(broader_terms__term_id=self.pk) if self.pk else broader)
            .annotate(
                is_broader=Exists(
                    GlossaryTermBroader.objects.filter(page_id=self.pk, term_id=OuterRef("pk"))
                ),
                broader_order=Subquery(
                    GlossaryTermBroader.objects.filter(page_id=self.pk, term_id=OuterRef("pk"))
                    .order_by()
                    .values("sort_order")[:1]
                ),
                is_narrower=Exists(
                    GlossaryTermBroader.objects.filter(page_id=OuterRef("pk"), term_id=self.pk)
                ),
            )
            .only(*LINK_FIELDS)
            .order_by("sort_key", "pk")
            .distinct()
        )
        for term in terms:
            if term.is_narrower and term.pk != self.pk:
                found["narrower"].append(term)
            if term.pk in order if order is not None else term.is_broader:
                found["broader"].append(term)
        if order is not None:
            found["broader"].sort(key=lambda t: order[t.pk])
        else:  # editor order; rows saved without one (by code) keep the order they were added
            found["broader"].sort(key=lambda t: t.broader_order or 0)
        return found

    def get_context(self, request, *args, **kwargs):
        """Adds the term's broader and narrower terms and its topic's address."""
        context = super().get_context(request, *args, **kwargs)
        context["broader_terms"] = self.broader()
        context["narrower_terms"] = self.narrower()
        context["topic_url"] = self.topic_url(request)
        return context

    def topic_url(self, request=None):
        """The address of the term's topic page ("" when its category makes none): from the
        index found while routing, so no query."""
        slug = slugify(self.category)
        index = self.breadcrumb_pages[-2] if len(self.breadcrumb_pages) > 1 else None
        if not slug or index is None or not hasattr(index.specific_class, "topic_url"):
            return ""
        return index.get_url(request) + index.specific_class.get_resolver().reverse("topic", slug)

    def broader(self):
        return self.hierarchy["broader"]

    def narrower(self):
        return self.hierarchy["narrower"]

    @classmethod
    def hierarchies_of(cls, term_ids):
        """{term pk: {"broader": […], "narrower": […]}} for many saved terms in two queries
        (the read API's listings)."""
        from .pages import GlossaryTermPage

        found = {pk: {"broader": [], "narrower": []} for pk in term_ids}
        rows = list(
            GlossaryTermBroader.objects.filter(Q(page_id__in=term_ids) | Q(term_id__in=term_ids))
            .order_by("sort_order", "pk")
            .values_list("page_id", "term_id")
        )
        if not rows:
            return found
        shown = (
            public_pages(GlossaryTermPage.objects.live())
            .filter(pk__in={pk for row in rows for pk in row})
            .only(*LINK_FIELDS)
            .order_by("sort_key", "pk")
        )
        by_pk = {term.pk: term for term in shown}
        for page_id, term_id in rows:
            if page_id in found and term_id in by_pk:
                found[page_id]["broader"].append(by_pk[term_id])
            if term_id in found and page_id in by_pk:
                found[term_id]["narrower"].append(by_pk[page_id])
        for entry in found.values():  # narrower A to Z, as the page lists them
            entry["narrower"].sort(key=lambda term: (bytes(term.sort_key), term.pk))
        return found

    @classmethod
    def prefetch_for_listing(cls, terms):
        """The hierarchy of a page of terms at once, then what the other mixins read."""
        hierarchies = cls.hierarchies_of([term.pk for term in terms])
        for term in terms:
            term.__dict__["hierarchy"] = hierarchies[term.pk]
        super().prefetch_for_listing(terms)
