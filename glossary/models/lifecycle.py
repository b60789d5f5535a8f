"""A term's lifecycle: current, or deprecated and perhaps replaced by another term.

``TermLifecycleMixin`` gives ``GlossaryTermPage`` its ``status`` and ``replaced_by``, their
checks and what the term page shows of them (the notice at its top). A deprecated term stays
published, so old links and bookmarks still land somewhere that says what to use instead; it
leaves the linking vocabulary (``glossary.vocabulary.linkable_rows``) and ranks after current
terms in the search (``GlossaryConfig.ready``).
"""

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.functional import cached_property

from wagtail.admin.panels import FieldPanel, MultiFieldPanel

from core.fields import optional_key
from core.internals import public_pages

from ..rules import LINKS_CHECKED_BY_RUN, SUGGESTED_TERM_PLACEHOLDER


class TermStatus(models.TextChoices):
    CURRENT = "current", "Current"
    DEPRECATED = "deprecated", "Deprecated"


# Following a chain of replacements stops after this many steps (a guard, not a rule).
MAX_CHAIN = 50


class TermLifecycleMixin(models.Model):
    """For ``GlossaryTermPage``: whether the term is still the one to use, and what replaces it."""

    status = models.CharField(
        max_length=12,
        choices=TermStatus.choices,
        default=TermStatus.CURRENT,
        db_index=True,
        help_text="Deprecated terms stay published with a notice at the top, are no longer "
        "linked in other pages' text and rank after current terms in the search.",
    )
    replaced_by = optional_key(
        "glossary.GlossaryTermPage",
        "Only for a deprecated term: the term to use instead. Its page is linked from the "
        "notice; add the deprecated name to its synonyms so that mentions link it.",
        related_name="replaces",
    )

    lifecycle_panels = [
        MultiFieldPanel(
            [FieldPanel("status"), FieldPanel("replaced_by")],
            heading="Lifecycle",
        )
    ]

    class Meta:
        abstract = True

    @property
    def is_deprecated(self):
        return self.status == TermStatus.DEPRECATED

    def clean(self):
        super().clean()
        errors = {}
        problem = self.replacement_problem()
        if problem:
            errors["replaced_by"] = problem
        # A draft from a reader's suggestion (``feedback``) starts with a placeholder; a term
        # is never saved again, let alone published, until an editor writes the definition.
        if self.pk is not None and (self.description or "").strip() == SUGGESTED_TERM_PLACEHOLDER:
            errors["description"] = "Write the definition: this is a suggestion's placeholder."
        if errors:
            raise ValidationError(errors)

    def replacement_problem(self):
        """Why ``replaced_by`` cannot stand, or "": a current term has none, a term is not
        its own replacement, and following replacements never comes back to this term."""
        if self.replaced_by_id is None:
            return ""
        if not self.is_deprecated:
            return "Only a deprecated term has a replacement: set its status to Deprecated."
        if self.pk is not None and self.replaced_by_id == self.pk:
            return "A term cannot replace itself."
        if LINKS_CHECKED_BY_RUN.get():
            return ""  # the import checked the chain as the whole run leaves it
        if self.pk is not None and self.pk in replacement_chain(self.replaced_by_id):
            return "This replacement leads back to this term: choose a term that is not replaced by it."
        return ""

    @cached_property
    def replacement(self):
        """The replacing term when visitors can reach it (live and public), else None."""
        if self.replaced_by_id is None:
            return None
        return self.replacements_of([self.replaced_by_id]).get(self.replaced_by_id)

    @classmethod
    def replacements_of(cls, ids):
        """{id: term} of the live, public terms among ``ids`` (one query; none without ids)."""
        from .pages import GlossaryTermPage

        if not ids:
            return {}
        terms = public_pages(GlossaryTermPage.objects.live()).filter(pk__in=ids)
        return {term.pk: term for term in terms.only("id", "title", "url_path", "description")}

    @classmethod
    def prefetch_for_listing(cls, terms):
        """The replacements of a page of terms at once (the read API's listings): one query,
        and none for a page without deprecated terms."""
        found = cls.replacements_of({term.replaced_by_id for term in terms if term.replaced_by_id})
        for term in terms:
            term.__dict__["replacement"] = found.get(term.replaced_by_id)

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        if self.is_deprecated:
            context["replacement"] = self.replacement
        return context


def replacement_chain(start_id):
    """The ids reached from term ``start_id`` by following ``replaced_by`` (itself included),
    one query a step; stops at a repeat or after ``MAX_CHAIN`` steps."""
    from .pages import GlossaryTermPage

    seen, current = [], start_id
    while current is not None and current not in seen and len(seen) < MAX_CHAIN:
        seen.append(current)
        current = (
            GlossaryTermPage.objects.filter(pk=current)
            .values_list("replaced_by_id", flat=True)
            .first()
        )
    return seen
