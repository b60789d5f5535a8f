"""The related-article cards and section texts terms show: snippets, so one card is stored
once and shown by many terms (editing it once changes every term that shows it), reviewed
like pages. https://docs.wagtail.org/en/stable/topics/snippets/
"""

import uuid

from django import forms
from django.contrib.contenttypes.fields import GenericRelation
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import models

from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.panels import (
    FieldPanel,
    MultiFieldPanel,
)
from wagtail.models import (
    DraftStateMixin,
    LockableMixin,
    RevisionMixin,
    WorkflowMixin,
)
from wagtail.search import index

from core.fields import optional_key
from core.images import CARD_RENDITION, optional_image, rendition


def reviewed_snippet_relations(query_name):
    """The generic relations Wagtail's docs give a snippet with revisions and workflows."""
    return (
        GenericRelation("wagtailcore.Revision", related_query_name=query_name),
        GenericRelation(
            "wagtailcore.WorkflowState",
            content_type_field="base_content_type",
            object_id_field="object_id",
            related_query_name=query_name,
            for_concrete_model=False,
        ),
    )


def named_search_fields(name, *texts):
    """Found by ``name`` as typed (the choosers' autocomplete) and by the words of ``texts``."""
    return [
        index.SearchField(name),
        *(index.SearchField(text) for text in texts),
        index.AutocompleteField(name),
    ]


def creation_key_field():
    """A key the create form carries, so one form makes one object however many times it is
    posted (see ``core.admin_views.CreatedOnceMixin``)."""
    return models.UUIDField(null=True, blank=True, unique=True, editable=False)


class CreatedOnceForm(WagtailAdminModelForm):
    """The snippets' admin form: a new object's form carries a fresh ``creation_key``.

    Wagtail 8's autosave creates the object with a background POST to the create URL and only
    then points the form at the edit URL; a click on "Submit to Editorial review" while that
    POST is on its way posted the same form to the create URL again: two objects. The key
    makes the second post find the first object (``core.admin_views.CreatedOnceMixin``).
    """

    creation_key = forms.UUIDField(required=False, widget=forms.HiddenInput, initial=uuid.uuid4)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.instance._state.adding:
            del self.fields["creation_key"]

    def clean(self):
        cleaned_data = super().clean()
        if self.instance._state.adding and cleaned_data.get("creation_key"):
            self.instance.creation_key = cleaned_data["creation_key"]
        return cleaned_data


class ReviewedSnippet(
    WorkflowMixin, DraftStateMixin, LockableMixin, RevisionMixin, index.Indexed, models.Model
):
    """A snippet reviewed like a page ("Editorial review"), created once per create form.

    Each subclass declares its own ``_revisions, workflow_states =
    reviewed_snippet_relations(<query name>)``: a generic relation's query name is its own.
    """

    creation_key = creation_key_field()

    base_form_class = CreatedOnceForm

    class Meta:
        abstract = True

    @property
    def revisions(self):
        return self._revisions


class RelatedArticlesSection(ReviewedSnippet):
    """The texts shown above a term's cards, shared by every term that uses the same texts.

    Like cards, sections go through the "Editorial review" workflow: an editor's change is a
    draft until a moderator publishes it; visitors see the published (live) version only.
    """

    heading = models.CharField(
        max_length=255, help_text="e.g. 'Recently published Pulse insights.'"
    )
    subheading = models.CharField(
        max_length=255,
        blank=True,
        help_text="Small text above the heading, e.g. 'Practical Application'.",
    )
    description = models.TextField(blank=True, help_text="One sentence under the heading.")
    category = models.CharField(
        max_length=255, blank=True, help_text="A label for the section, e.g. 'Glossary in Action'."
    )

    _revisions, workflow_states = reviewed_snippet_relations("related_articles_section")

    panels = [FieldPanel(name) for name in ("heading", "subheading", "description", "category")]
    search_fields = named_search_fields("heading", "description")

    class Meta:
        verbose_name = "related-articles section"
        constraints = [
            models.UniqueConstraint(
                fields=["heading", "subheading", "description", "category"],
                name="unique_related_articles_section_texts",
            )
        ]

    def __str__(self):
        return " · ".join(part for part in (self.subheading, self.heading) if part)


TARGET_SLUG_TAKEN = "target_slug_taken"


class RelatedArticleCard(ReviewedSnippet):
    """A card pointing at a Pulse article, reviewed like a page ("Editorial review").

    While the article does not exist, ``target_slug`` remembers which one is meant: the card
    shows without a link and links up when an article with that slug is published.
    """

    title = models.CharField(max_length=255, help_text="The article's title as the card shows it.")
    subheading = models.CharField(max_length=255, blank=True, help_text="e.g. 'Article'.")
    image = optional_image(help_text="Shown at the top of the card.")
    button_text = models.CharField(
        max_length=100, default="Read Pulse", help_text="The link's text."
    )
    target_page = optional_key(
        "pulse.PulseArticlePage", "The Pulse article the card opens.", related_name="cards"
    )
    target_slug = models.SlugField(
        max_length=255,
        blank=True,
        help_text="The slug of the article meant, kept while no such article exists yet.",
    )

    _revisions, workflow_states = reviewed_snippet_relations("related_article_card")

    panels = [
        FieldPanel("title"),
        FieldPanel("subheading"),
        FieldPanel("image"),
        FieldPanel("button_text"),
        MultiFieldPanel([FieldPanel("target_page"), FieldPanel("target_slug")], heading="Target"),
    ]
    search_fields = named_search_fields("title", "target_slug")

    class Meta:
        verbose_name = "related-article card"
        constraints = [
            models.UniqueConstraint(
                fields=["target_slug"],
                condition=~models.Q(target_slug=""),
                name="unique_related_article_card_target_slug",
                violation_error_code=TARGET_SLUG_TAKEN,
                violation_error_message=(
                    "Another card already points at this slug: choose that card instead, "
                    "or change the slug."
                ),
            )
        ]

    def __str__(self):
        return self.title

    def validate_constraints(self, exclude=None):
        """A repeated ``target_slug`` is an error on that field, in words, not Django's
        "Constraint … is violated." for the whole form."""
        try:
            super().validate_constraints(exclude=exclude)
        except ValidationError as error:
            errors = error.update_error_dict({})
            other = []
            for item in errors.pop(NON_FIELD_ERRORS, []):
                if item.code == TARGET_SLUG_TAKEN:
                    errors.setdefault("target_slug", []).append(item)
                else:
                    other.append(item)
            if other:
                errors[NON_FIELD_ERRORS] = other
            raise ValidationError(errors) from None

    @property
    def card_image(self):
        return rendition(self.image, CARD_RENDITION)

    @property
    def live_target(self):
        """The target page when visitors can open it, else None (never a link that 404s)."""
        page = self.target_page
        return page if page is not None and page.live else None
