"""The page create view that makes one page of one form, for every page type (issue 21).

Wagtail 8.0's autosave creates a new page with a background POST to the create URL and points
the form at the edit URL only when the answer comes back. A click in between ("Save schedule",
"Save draft", "Publish", "Submit to Editorial review") posted the same form to the create URL
again: on a term it failed on the unique term name and nothing was scheduled or saved; on
other page types it made a twin. The same race, and the same cure, as the snippets'
(``glossary.snippet_views.CreatedOnceMixin``).
"""

import uuid

from django.db import transaction

from wagtail.admin.views.pages.create import CreateView
from wagtail.admin.viewsets.pages import page_viewset_registry

from core.models import PageCreationKey

from .snippet_views import CreatedOnceMixin


class CreatedOncePageCreateView(CreatedOnceMixin, CreateView):
    """Wagtail's page create view; its form carries a ``creation_key``, claimed in
    ``core.PageCreationKey`` in the transaction that creates the page.

    A post whose key made a page already continues that page: the editor's click is carried
    out by Wagtail's own edit view (schedule, save, publish, submit), an autosave saves
    nothing. Two posts at the same moment: the second claim waits on the key's unique index
    for the first transaction, fails, and continues the first page.
    """

    template_name = "glossary/admin/page_create.html"

    def made_already(self):
        key = self.creation_key()
        if key is None:
            return None
        claim = PageCreationKey.objects.filter(key=key, page__isnull=False).first()
        return claim and claim.page

    def create_once(self, request, *args, **kwargs):
        # The claim and the page commit together, or neither does.
        with transaction.atomic():
            return super().create_once(request, *args, **kwargs)

    def form_valid(self, form):
        key = self.creation_key()
        # Claimed before the page is made: a concurrent twin stops here (IntegrityError).
        claim = key and PageCreationKey.objects.create(key=key)
        response = super().form_valid(form)
        if claim:
            claim.page_id = self.page.pk
            claim.save(update_fields=["page"])
        return response

    def edit_existing(self, existing):
        viewset = page_viewset_registry.get_by_page_id(existing.pk)
        view_class = type("CreateFormEditView", (CreateFormEditMixin, viewset.edit_view_class), {})
        return viewset.construct_view(view_class)(self.request, page_id=existing.pk)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        # A failed post shows the form again with the key it carried.
        context["creation_key"] = self.creation_key() or uuid.uuid4()
        return context


class CreateFormEditMixin:
    """The edit view, fed the create form of a page the autosave made. That form's inline
    panels list every child as new (no ids): they are the page's whole set of children, so
    the ones the autosave gave the page are replaced, not doubled."""

    def post(self, request, *args, **kwargs):
        for formset_class in self.form_class.formsets.values():
            setattr(self.page, formset_class.fk.remote_field.get_accessor_name(), [])
        return super().post(request, *args, **kwargs)
