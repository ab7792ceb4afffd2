"""Cohort pages: instructors' under /cohorts/<id>/, learners' joining and assignment starts."""

from django.urls import path

from . import views

app_name = "cohorts"
urlpatterns = [
    path("", views.index, name="index"),
    path("new/", views.create, name="create"),
    path("join/", views.join, name="join"),
    path("join/<slug:code>/", views.join_link, name="join-link"),
    path("assignments/<int:assignment_id>/start/", views.start_assignment, name="start"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/edit/", views.edit, name="edit"),
    path("<int:pk>/leave/", views.leave, name="leave"),
    path("<int:pk>/join-code/", views.join_code, name="join-code"),
    path("<int:pk>/learners/add/", views.add_learners, name="add-learners"),
    path("<int:pk>/learners/<int:learner_id>/", views.learner, name="learner"),
    path("<int:pk>/learners/<int:learner_id>/remove/", views.remove_learner, name="remove-learner"),
    path("<int:pk>/assignments/new/", views.assignment_create, name="assignment-create"),
    path(
        "<int:pk>/assignments/<int:assignment_id>/edit/",
        views.assignment_edit,
        name="assignment-edit",
    ),
    path(
        "<int:pk>/assignments/<int:assignment_id>/delete/",
        views.assignment_delete,
        name="assignment-delete",
    ),
    path("<int:pk>/progress/", views.progress, name="progress"),
    path("<int:pk>/insight/", views.insight_page, name="insight"),
    path("<int:pk>/insight/dismiss/", views.dismiss_risk, name="dismiss-risk"),
    path("<int:pk>/cases/<int:attempt_id>/", views.case_attempt, name="case-attempt"),
    path("<int:pk>/quizzes/<int:attempt_id>/", views.quiz_attempt, name="quiz-attempt"),
    path("<int:pk>/export/gradebook.csv", views.export_gradebook, name="export-gradebook"),
    path("<int:pk>/export/attempts.csv", views.export_attempts, name="export-attempts"),
]
