from django.urls import path

from . import views

app_name = "authoring"
urlpatterns = [
    path("import/", views.import_document, name="import"),
    path("import/publish/", views.publish, name="publish"),
]
