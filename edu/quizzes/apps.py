from django.apps import AppConfig


class QuizzesConfig(AppConfig):
    name = "edu.quizzes"
    label = "quizzes"
