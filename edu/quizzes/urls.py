from django.urls import path

from . import views

app_name = "quizzes"
urlpatterns = [
    path("", views.index, name="index"),
    path("progress/", views.progress, name="progress"),
    path("review/", views.review, name="review"),
    path("review/start/", views.review_start, name="review-start"),
    path("attempts/<int:pk>/", views.take, name="take"),
    path("attempts/<int:pk>/submit/", views.submit, name="submit"),
    path("attempts/<int:pk>/result/", views.result, name="result"),
    path("attempts/<int:pk>/<int:position>/", views.item, name="item"),
    path("attempts/<int:pk>/<int:position>/answer/", views.answer, name="answer"),
    path("<slug:slug>/start/", views.start, name="start"),
]
