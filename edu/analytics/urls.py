from django.urls import path

from . import views

app_name = "analytics"
urlpatterns = [
    path("", views.overview, name="index"),
    path("csv/<slug:table>/", views.overview, name="index-csv"),
    path("cases/", views.cases, name="cases"),
    path("cases/csv/<slug:table>/", views.cases, name="cases-csv"),
    path("cases/<slug:slug>/", views.case_detail, name="case"),
    path("cases/<slug:slug>/csv/<slug:table>/", views.case_detail, name="case-csv"),
    path("quizzes/", views.quizzes, name="quizzes"),
    path("quizzes/csv/<slug:table>/", views.quizzes, name="quizzes-csv"),
    path("quizzes/<slug:slug>/", views.quiz_detail, name="quiz"),
    path("quizzes/<slug:slug>/csv/<slug:table>/", views.quiz_detail, name="quiz-csv"),
    path(
        "quizzes/<slug:slug>/questions/<int:question_id>/",
        views.question_detail,
        name="question",
    ),
    path(
        "quizzes/<slug:slug>/questions/<int:question_id>/csv/<slug:table>/",
        views.question_detail,
        name="question-csv",
    ),
    path("levels/", views.levels, name="levels"),
    path("levels/csv/<slug:table>/", views.levels, name="levels-csv"),
    path("export/xapi/", views.xapi, name="xapi"),
]
