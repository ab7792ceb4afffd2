from django.apps import AppConfig
from django.db.models.signals import post_save


class AnalyticsConfig(AppConfig):
    name = "edu.analytics"
    label = "analytics"

    def ready(self) -> None:
        from cases.models import Attempt

        from .summaries import on_attempt_saved

        post_save.connect(on_attempt_saved, sender=Attempt, dispatch_uid="analytics-summary")
