from django.apps import AppConfig


class AuthoringConfig(AppConfig):
    name = "edu.authoring"
    label = "authoring"
    verbose_name = "Authored content"
