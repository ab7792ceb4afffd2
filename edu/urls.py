"""The project's URL map. Every view states its access rule (see edu.access)."""

from django.contrib import admin
from django.urls import include, path

from edu import views

urlpatterns = [
    path("", views.home, name="home"),
    path("accounts/", include("edu.accounts.urls")),
    path("lessons/", include("edu.lessons.urls")),
    path("cases/", include("cases.urls")),
    path("quizzes/", include("edu.quizzes.urls")),
    path("cohorts/", include("edu.cohorts.urls")),
    path("analytics/", include("edu.analytics.urls")),
    path("authoring/", include("edu.authoring.urls")),
    path("admin/", admin.site.urls),
]

handler400 = "edu.views.bad_request"
handler403 = "edu.views.permission_denied"
handler404 = "edu.views.page_not_found"
handler500 = "edu.views.server_error"
