"""Admin views for the related-article snippets.

Registered with ``SnippetViewSet`` so listings get search, filters and the reference
index's "used by" counts: https://docs.wagtail.org/en/stable/topics/snippets/customising.html
"""

from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

from .models import RelatedArticleCard, RelatedArticlesSection


class RelatedArticleCardViewSet(SnippetViewSet):
    model = RelatedArticleCard
    icon = "link"
    menu_label = "Related-article cards"
    list_display = ["title", "subheading", "target_page", "target_slug"]
    list_filter = {"subheading": ["exact"], "target_page": ["isnull"]}
    search_fields = ["title", "target_slug"]
    ordering = ["title"]


class RelatedArticlesSectionViewSet(SnippetViewSet):
    model = RelatedArticlesSection
    icon = "doc-full"
    menu_label = "Related-articles sections"
    list_display = ["heading", "subheading", "category"]
    list_filter = {"category": ["exact"]}
    search_fields = ["heading", "description"]
    ordering = ["heading"]


class RelatedArticlesGroup(SnippetViewSetGroup):
    menu_label = "Related articles"
    menu_icon = "link"
    menu_order = 200
    items = (RelatedArticleCardViewSet, RelatedArticlesSectionViewSet)


register_snippet(RelatedArticlesGroup)
