"""Admin reports for the content team: cards still waiting for their article, and terms that
are missing something visitors expect."""

from django.db.models import CharField, Count, Q, TextField
from django.db.models.functions import Cast, Length
from django.urls import reverse

from wagtail.admin.ui.tables import Column, TitleColumn
from wagtail.admin.views.reports import ReportView
from wagtail.permission_policies.pages import PagePermissionPolicy

from core.spreadsheets import SafeSpreadsheetMixin

from .models import GlossaryTermPage, RelatedArticleCard


def term_title_column():
    """The term's name, linking to its editor."""
    return TitleColumn(
        "title",
        label="Term",
        get_url=lambda term: reverse("wagtailadmin_pages:edit", args=[term.pk]),
    )


class TermReport(SafeSpreadsheetMixin, ReportView):
    """A report on terms, for users who may edit pages: each sees the terms they may edit."""

    model = GlossaryTermPage
    permission_policy = PagePermissionPolicy()
    any_permission_required = ["add", "change", "publish"]


class CardsWithoutArticleReport(SafeSpreadsheetMixin, ReportView):
    page_title = "Cards without an article"
    header_icon = "link"
    model = RelatedArticleCard
    permission_required = "change"
    index_url_name = "glossary_reports:cards_without_article"
    index_results_url_name = "glossary_reports:cards_without_article_results"
    list_export = ["title", "target_slug", "terms_count"]
    export_headings = {"target_slug": "Waiting for slug", "terms_count": "Shown by terms"}
    columns = [
        TitleColumn(
            "title",
            label="Card",
            get_url=lambda card: reverse(
                "wagtailsnippets_glossary_relatedarticlecard:edit", args=[card.pk]
            ),
        ),
        Column("target_slug", label="Waiting for the article at /pulse/…/"),
        Column("terms_count", label="Shown by terms"),
    ]

    def get_queryset(self):
        return (
            RelatedArticleCard.objects.filter(
                Q(target_page__isnull=True) | Q(target_page__live=False)
            )
            .annotate(terms_count=Count("placements"))
            .order_by("-terms_count", "title")
        )


class TermsNeedingWorkReport(TermReport):
    page_title = "Terms needing work"
    header_icon = "warning"
    index_url_name = "glossary_reports:terms_needing_work"
    index_results_url_name = "glossary_reports:terms_needing_work_results"
    list_export = ["title", "missing"]
    columns = [
        term_title_column(),
        Column("missing", label="Missing"),
    ]

    def get_queryset(self):
        editable = self.permission_policy.instances_user_has_any_permission_for(
            self.request.user, ["change"]
        )
        # An empty StreamField is stored as "[]": two characters whatever the database.
        return (
            GlossaryTermPage.objects.filter(pk__in=editable.values("pk"))
            .annotate(
                card_count=Count("related_cards"),
                body_length=Length(Cast(Cast("body", TextField()), CharField())),
            )
            .filter(Q(description="") | Q(body_length__lte=2) | Q(card_count=0))
            .only("id", "title", "description")
            .order_by("title")
        )

    def decorate_paginated_queryset(self, object_list):
        for term in object_list:
            term.missing = ", ".join(
                label
                for label, is_missing in (
                    ("description", not term.description),
                    ("body", term.body_length <= 2),
                    ("related articles", term.card_count == 0),
                )
                if is_missing
            )
        return object_list
