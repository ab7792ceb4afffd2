"""The case library, playing an attempt, and its debrief."""

from django.urls import path

from . import views

app_name = "cases"
urlpatterns = [
    path("", views.library, name="library"),
    path("<slug:slug>/start/", views.start, name="start"),
    path("attempts/<int:attempt_id>/", views.play, name="play"),
    path("attempts/<int:attempt_id>/act/", views.act, name="act"),
    path("attempts/<int:attempt_id>/localize/", views.localize, name="localize"),
    path("attempts/<int:attempt_id>/commit/", views.commit, name="commit"),
    path("attempts/<int:attempt_id>/debrief/", views.debrief, name="debrief"),
]
