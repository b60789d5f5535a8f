from django.urls import path

from . import api, views

urlpatterns = [
    path("api/v2/search/", api.search, name="api_search"),
    path("search/", views.search, name="search"),
    path("search/suggest/", views.suggest, name="search_suggest"),
]
