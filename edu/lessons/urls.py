from django.urls import path

from . import views

app_name = "lessons"
urlpatterns = [
    path("", views.index, name="index"),
    path("<slug:topic_slug>/", views.topic, name="topic"),
    path("<slug:topic_slug>/<slug:lesson_slug>/", views.lesson, name="lesson"),
    path("<slug:topic_slug>/<slug:lesson_slug>/read/", views.mark_read, name="mark-read"),
    path("<slug:topic_slug>/<slug:lesson_slug>/unread/", views.mark_unread, name="mark-unread"),
]
