from django.apps import AppConfig


class CohortsConfig(AppConfig):
    name = "edu.cohorts"
    label = "cohorts"
