from django.apps import AppConfig


class LessonsConfig(AppConfig):
    name = "edu.lessons"
    label = "lessons"
