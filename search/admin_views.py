"""A new draft term named after a search that found nothing: Wagtail's own create form for
the page type whose names the search matches (``core.searchables``: the glossary's terms),
under its index, with the title filled in. Nothing is made until the editor saves; the form
posts to Wagtail's usual create URL, so the term's own validation (a unique name) holds."""

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponseBadRequest
from django.utils.text import capfirst, slugify

from wagtail.admin.viewsets.pages import page_viewset_registry
from wagtail.models import Page

from core import searchables

from .log import normalise


class PrefilledTitleMixin:
    """Wagtail's page create view with ``initial_title`` in its form."""

    initial_title = ""

    def get(self, request):
        self.page.title = self.initial_title
        self.page.slug = slugify(self.initial_title)
        return super().get(request)


def named_page_type():
    """The page type the search matches by name (a term), or None."""
    return next((item.model for item in searchables.searchables() if item.names), None)


def parent_for(model, user):
    """The first page under which ``user`` may add a ``model`` (the glossary index)."""
    parents = Page.objects.type(*model.allowed_parent_page_models()).order_by("path")
    for parent in parents:
        parent = parent.specific
        if parent.permissions_for_user(user).can_add_subpage() and model.can_create_at(parent):
            return parent
    return None


def new_term(request):
    """``?q=``: the create form of a term named after the query (GET only: it saves nothing)."""
    if request.method != "GET":
        return HttpResponseBadRequest("Open the form, then save it.")
    query = normalise(request.GET.get("q", ""))
    if not query:
        return HttpResponseBadRequest("Which search should the term be named after?")
    model = named_page_type()
    if model is None:
        raise Http404("No page type is searched by name.")
    parent = parent_for(model, request.user)
    if parent is None:
        raise PermissionDenied
    viewset = page_viewset_registry.get_by_type(model)
    view_class = type(
        "PrefilledCreateView",
        (PrefilledTitleMixin, viewset.add_view_class),
        {"initial_title": capfirst(query)},
    )
    view = viewset.construct_view(view_class)
    return view(
        request,
        content_type_app_name=model._meta.app_label,
        content_type_model_name=model._meta.model_name,
        parent_page_id=parent.pk,
    )
