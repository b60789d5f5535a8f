"""The inbox in the admin's menu and on the dashboard, for those who may read it."""

from django.urls import path

from wagtail import hooks
from wagtail.admin.ui.components import Component

from core.menus import PermittedMenuItem

from . import admin_views
from .models import Feedback, Status


@hooks.register("register_admin_urls")
def register_inbox_urls():
    return [
        path("reader-feedback/", admin_views.inbox, name="feedback_inbox"),
        path(
            "reader-feedback/<int:feedback_id>/accept/",
            admin_views.accept,
            name="feedback_accept",
        ),
        path(
            "reader-feedback/<int:feedback_id>/decline/",
            admin_views.decline,
            name="feedback_decline",
        ),
    ]


@hooks.register("register_admin_menu_item")
def register_inbox_menu_item():
    return PermittedMenuItem.for_permission(
        admin_views.VIEW, "Reader feedback", "feedback_inbox", icon_name="mail", order=250
    )


class NewFeedbackPanel(Component):
    """How many submissions wait, with a link to them (one count query)."""

    name = "reader_feedback"
    template_name = "feedback/admin/new_feedback_panel.html"
    order = 230

    def get_context_data(self, parent_context):
        waiting = Feedback.objects.filter(status=Status.NEW).count()
        return {"waiting": waiting, "inbox_url": admin_views.inbox_url()}


@hooks.register("construct_homepage_panels")
def add_new_feedback_panel(request, panels):
    if request.user.has_perm(admin_views.VIEW):
        panels.append(NewFeedbackPanel())
