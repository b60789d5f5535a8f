"""Factories for the content model; tests build small trees under the migrated site root."""

import datetime

import factory
import wagtail_factories
from factory.django import DjangoModelFactory

from glossary.models import (
    GlossaryIndexPage,
    GlossaryTermPage,
    GlossaryTermRelatedCard,
    RelatedArticleCard,
    RelatedArticlesSection,
)
from importer.structure import normalise_slug
from pulse.models import PulseArticlePage, PulseIndexPage


def glossary_index():
    return GlossaryIndexPage.objects.get()


def pulse_index():
    return PulseIndexPage.objects.get()


class ImageFactory(wagtail_factories.ImageFactory):
    title = factory.Sequence(lambda n: f"Boardroom {n}")


class PulseArticlePageFactory(wagtail_factories.PageFactory):
    title = factory.Sequence(lambda n: f"Optimized outcomes, part {n}")
    slug = factory.LazyAttribute(lambda o: normalise_slug(o.title))
    parent = factory.LazyFunction(pulse_index)
    subheading = "Article"
    category = "Glossary in Action"
    summary = "How teams connect process design with execution control."
    published_date = datetime.date(2026, 3, 14)
    body = factory.LazyFunction(
        lambda: [
            ("heading", {"heading_text": "Why process strategy fails", "size": "h2"}),
            ("paragraph", "<p>Process strategy fails when it is treated as documentation.</p>"),
            (
                "faq",
                {
                    "heading_text": "FAQs",
                    "items": [
                        {
                            "question": "What is process strategy?",
                            "answer": "<p>A set of choices.</p>",
                        }
                    ],
                },
            ),
        ]
    )

    class Meta:
        model = PulseArticlePage


class GlossaryTermPageFactory(wagtail_factories.PageFactory):
    title = factory.Sequence(lambda n: f"Operations strategy {n}")
    slug = factory.LazyAttribute(lambda o: normalise_slug(o.title))
    parent = factory.LazyFunction(glossary_index)
    term_id = factory.Sequence(lambda n: f"term{n:08d}")
    category = "glossary"
    description = "Operations strategy aligns processes and resources with business goals."
    key_questions = factory.LazyFunction(
        lambda: [
            ("question", "How does operations strategy align with business goals?"),
            ("question", "What are the key components of a successful operations strategy?"),
        ]
    )
    body = factory.LazyFunction(
        lambda: [
            ("heading", {"heading_text": "Defining Operations Strategy", "size": "h2"}),
            ("paragraph", "<p>Operations strategy is the act of constructing a blueprint.</p>"),
            ("quote", {"quote": "Strategy is execution.", "attribution": "An operator"}),
            ("callout", {"title": "Key point", "text": "<p>Align resources with goals.</p>"}),
        ]
    )

    class Meta:
        model = GlossaryTermPage


class RelatedArticlesSectionFactory(DjangoModelFactory):
    heading = "Recently published Pulse insights."
    subheading = "Practical Application"
    description = "Read how Plexsive implement this with our clients."
    category = "Glossary in Action"

    class Meta:
        model = RelatedArticlesSection
        django_get_or_create = ("heading", "subheading", "description", "category")


class RelatedArticleCardFactory(DjangoModelFactory):
    title = factory.Sequence(lambda n: f"Elevating Workflows, part {n}")
    subheading = "Article"
    button_text = "Read Pulse"
    target_slug = factory.Sequence(lambda n: f"elevating-workflows-{n}")

    class Meta:
        model = RelatedArticleCard


def add_cards(term, *cards):
    for order, card in enumerate(cards):
        GlossaryTermRelatedCard.objects.create(page=term, card=card, sort_order=order)
