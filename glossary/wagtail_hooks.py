"""Admin views for the glossary: the term listing, the related-article snippets and the
reports.

Snippets are registered with ``SnippetViewSet`` so listings get search, filters and the
reference index's "used by" counts: https://docs.wagtail.org/en/stable/topics/snippets/customising.html
Pages get ``PageViewSet``s (https://docs.wagtail.org/en/stable/reference/viewsets.html#pageviewset):
the term one is the explorer's listing of the glossary index's children.
"""

from django.db.models import Count
from django.urls import include, path, reverse

from wagtail import hooks
from wagtail.admin.ui.tables import Column
from wagtail.admin.views.pages.listing import PageListingMixin
from wagtail.admin.viewsets.pages import PageViewSet
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

from core.admin_views import CreatedOncePageCreateView, report_paths
from core.menus import PermittedMenuItem
from search.admin_search import ForgivingListingView

from .models import GlossaryTermPage, RelatedArticleCard, RelatedArticlesSection, TermOfTheDay
from .reports import CardsWithoutArticleReport, TermsNeedingWorkReport
from .snippet_views import CardChooserViewSet, CoalescedEditAction, CreatedOnceCreateView


class RelatedArticleCardViewSet(SnippetViewSet):
    model = RelatedArticleCard
    icon = "link"
    menu_label = "Related-article cards"
    add_view_class = CreatedOnceCreateView
    chooser_viewset_class = CardChooserViewSet
    list_display = [
        "title",
        "subheading",
        "target_page",
        "target_slug",
        Column("terms_count", label="Used by terms"),
    ]
    list_filter = {"subheading": ["exact"], "target_page": ["isnull"]}
    ordering = ["title"]

    def get_queryset(self, request):
        # "Used by N terms" in one query; each card's "Usage" tab lists them (reference index).
        return RelatedArticleCard.objects.annotate(terms_count=Count("placements"))


class RelatedArticlesSectionViewSet(SnippetViewSet):
    model = RelatedArticlesSection
    icon = "doc-full"
    add_view_class = CreatedOnceCreateView
    menu_label = "Related-articles sections"
    list_display = ["heading", "subheading", "category"]
    list_filter = {"category": ["exact"]}
    ordering = ["heading"]


class RelatedArticlesGroup(SnippetViewSetGroup):
    menu_label = "Related articles"
    menu_icon = "link"
    menu_order = 200
    items = (RelatedArticleCardViewSet, RelatedArticlesSectionViewSet)


register_snippet(RelatedArticlesGroup)


class GlossaryTermPageViewSet(PageViewSet):
    """Terms: the explorer's listing of the glossary index (their only parent) shows each
    term's category and id, and its search forgives as the public one does."""

    model = GlossaryTermPage
    index_view_class = ForgivingListingView
    add_view_class = CreatedOncePageCreateView
    columns = [
        *PageListingMixin.base_columns,
        Column("category", label="Category", width="14%"),
        Column("term_id", label="Term id", width="12%"),
    ]


@hooks.register("register_admin_viewset")
def register_term_viewset():
    # After Wagtail's own (order -1): it takes over its views for terms.
    return GlossaryTermPageViewSet()


@hooks.register("register_actions")
def register_snippet_actions(registry):
    for model in (RelatedArticleCard, RelatedArticlesSection):
        registry.register(model, CoalescedEditAction)


@hooks.register("register_admin_urls")
def register_report_urls():
    reports = [
        *report_paths("cards-without-article/", CardsWithoutArticleReport, "cards_without_article"),
        *report_paths("terms-needing-work/", TermsNeedingWorkReport, "terms_needing_work"),
    ]
    return [path("reports/glossary/", include((reports, "glossary_reports")))]


@hooks.register("register_reports_menu_item")
def register_cards_report():
    return PermittedMenuItem.for_permission(
        "glossary.change_relatedarticlecard",
        "Cards without an article",
        "glossary_reports:cards_without_article",
        icon_name="link",
        order=800,
    )


@hooks.register("register_reports_menu_item")
def register_terms_report():
    return PermittedMenuItem(
        "Terms needing work",
        reverse("glossary_reports:terms_needing_work"),
        lambda user: TermsNeedingWorkReport.permission_policy.user_has_any_permission(
            user, TermsNeedingWorkReport.any_permission_required
        ),
        icon_name="warning",
        order=801,
    )


@hooks.register("construct_explorer_page_queryset")
def terms_a_to_z(parent_page, pages, request):
    """The glossary's terms in the explorer ordered by title as everywhere else: by their stored
    sort key (``glossary.alphabet.sort_key``), not the database's collation of the title. The
    hook runs after the explorer's own ordering; a search keeps its ranking."""
    from .models import GlossaryIndexPage, GlossaryTermPage

    if not isinstance(parent_page.specific_deferred, GlossaryIndexPage) or request.GET.get("q"):
        return pages
    ordering = request.GET.get("ordering", parent_page.specific_deferred.admin_default_ordering)
    if ordering in ("title", "-title"):
        # The term listing (GlossaryTermPageViewSet) hands over terms, the explorer pages.
        is_terms = issubclass(pages.model, GlossaryTermPage)
        key = "sort_key" if is_terms else "glossarytermpage__sort_key"
        return pages.order_by(f"-{key}" if ordering.startswith("-") else key, "pk")
    return pages


# --- The review (issue 24): "Mark as reviewed", its log entry, the "Terms due for review"
# report and its dashboard panel (glossary.review_admin).


@hooks.register("register_admin_urls")
def register_review_urls():
    from .review_admin import TermsDueForReviewReport, mark_reviewed_view

    review = [
        path("glossary/terms/<int:pk>/mark-reviewed/", mark_reviewed_view, name="mark_reviewed"),
        *report_paths(
            "reports/glossary/terms-due-for-review/",
            TermsDueForReviewReport,
            "terms_due_for_review",
        ),
    ]
    return [path("", include((review, "glossary_review")))]


@hooks.register("register_page_action_menu_item")
def register_mark_reviewed_item():
    from .review_admin import MarkReviewedMenuItem

    return MarkReviewedMenuItem(order=60)


@hooks.register("register_log_actions")
def register_review_log_actions(actions):
    from .review import MARK_REVIEWED

    actions.register_action(MARK_REVIEWED, "Mark as reviewed", "Marked as reviewed")


@hooks.register("register_reports_menu_item")
def register_review_report():
    from .review_admin import may_see_report

    return PermittedMenuItem(
        "Terms due for review",
        reverse("glossary_review:terms_due_for_review"),
        may_see_report,
        icon_name="time",
        order=802,
    )


@hooks.register("construct_homepage_panels")
def add_terms_due_panel(request, panels):
    from .review_admin import TermsDueForReviewPanel, may_see_report

    if may_see_report(request.user):
        panels.append(TermsDueForReviewPanel(request))


# --- The term of the day (issue 25): editors schedule a term for a date (glossary.daily).


class TermOfTheDayViewSet(SnippetViewSet):
    model = TermOfTheDay

    icon = "date"
    menu_label = "Terms of the day"
    menu_order = 210
    add_to_admin_menu = True
    list_display = ["date", "term", "note"]
    ordering = ["-date"]

    def get_queryset(self, request):
        return TermOfTheDay.objects.select_related("term")


register_snippet(TermOfTheDayViewSet)
