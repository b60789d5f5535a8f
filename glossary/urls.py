"""The glossary's own routes, included by config/urls.py under ``glossary/``.

A Django view, not a route of the glossary page: Wagtail's page paths have no dots.
"""

from django.urls import path

from . import views

urlpatterns = [
    path("download/glossary.<str:format>", views.download, name="glossary_download"),
]
