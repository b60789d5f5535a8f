"""Admin create views that make one object of one form, whatever the autosave does (issue 21).

Wagtail 8.0's autosave creates a new object with a background POST to the create URL and points
the form at the edit URL only when the answer comes back. A click in between ("Save schedule",
"Save draft", "Publish", "Submit to Editorial review") posted the same form to the create URL
again: on a term it failed on the unique term name and nothing was scheduled or saved; on
other page types and on snippets it made a twin. The base holds the mechanism
(``CreatedOnceMixin``) and the page create view every page type uses; the glossary's reviewed
snippets use the mixin in their own views (``glossary.snippet_views``).
"""

import uuid

from django.contrib.admin.utils import quote
from django.db import IntegrityError, transaction
from django.urls import path
from django.utils.translation import gettext as _

from wagtail.admin.views.pages.create import CreateView
from wagtail.admin.viewsets.pages import page_viewset_registry

from core.models import PageCreationKey


class CreatedOnceMixin:
    """A create view that never makes two objects from one form.

    Wagtail 8.0's autosave posts the new form to the create URL in the background and points
    the form at the edit URL only when the answer comes back. A click on "Submit to Editorial
    review" (or "Publish") in between posts the same form to the create URL again, and made a
    second object: the one the editor had chosen for a term stayed a draft while its twin went
    to review. The form carries a ``creation_key`` (``CreatedOnceForm``), unique in the table:
    a post whose key already made an object continues that object instead, whichever of the
    two requests comes first (a concurrent insert waits for the first and fails on the unique
    index). Written by hand: Wagtail offers no idempotent create.
    """

    def creation_key(self):
        try:
            return uuid.UUID(self.request.POST.get("creation_key", ""))
        except ValueError:
            return None

    def made_already(self):
        key = self.creation_key()
        return key and self.model.objects.filter(creation_key=key).first()

    def post(self, request, *args, **kwargs):
        existing = self.made_already()
        if existing is None:
            try:
                return self.create_once(request, *args, **kwargs)
            except IntegrityError:
                existing = self.made_already()
                if existing is None:
                    raise
        return self.continue_with(existing)

    def create_once(self, request, *args, **kwargs):
        return super().post(request, *args, **kwargs)

    def continue_with(self, existing):
        if self.expects_json_response:
            # An autosave that lost the race with the editor's own click: the click carried
            # the same form, and is the newer; this save would only add an older revision.
            return self.json_error_response(
                "invalid_revision", _("This form was saved already; reload to go on editing.")
            )
        # The editor's click (save, submit, publish) on a form whose object the autosave
        # made: the edit view does with that object what the click asked.
        return self.edit_existing(existing)

    def edit_existing(self, existing):
        edit_view = self.model.snippet_viewset.edit_view
        return edit_view(self.request, pk=quote(existing.pk))


class CreatedOncePageCreateView(CreatedOnceMixin, CreateView):
    """Wagtail's page create view; its form carries a ``creation_key``, claimed in
    ``core.PageCreationKey`` in the transaction that creates the page.

    A post whose key made a page already continues that page: the editor's click is carried
    out by Wagtail's own edit view (schedule, save, publish, submit), an autosave saves
    nothing. Two posts at the same moment: the second claim waits on the key's unique index
    for the first transaction, fails, and continues the first page.
    """

    template_name = "core/admin/page_create.html"

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


def report_paths(route, report, name):
    """A Wagtail report's two URLs: its page, and the results its filters fetch again."""
    return [
        path(route, report.as_view(), name=name),
        path(f"{route}results/", report.as_view(results_only=True), name=f"{name}_results"),
    ]
