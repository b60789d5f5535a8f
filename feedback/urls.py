from django.urls import path

from . import views

urlpatterns = [
    path("suggest/", views.suggest, name="feedback_suggest"),
    path("report/<int:term_id>/", views.report, name="feedback_report"),
    path("thanks/", views.thanks, name="feedback_thanks"),
]
