from django.apps import AppConfig


class AnalyticsConfig(AppConfig):
    name = "edu.analytics"
    label = "analytics"
