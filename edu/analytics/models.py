"""What the program pages need from a finished case attempt that its own row does not hold.

The Attempt row already carries the answer and every score part. Safety counts (critical
actions missed, harmful actions taken, deteriorations), the learner's opening moves and the
real time spent are only in the engine's state; they are written here once, when the attempt
finishes (see `summaries.py`), so a page aggregates these rows in the database and never
replays events.
"""

from django.conf import settings
from django.db import models


class CaseAttemptSummary(models.Model):
    attempt = models.OneToOneField(
        "cases.Attempt",
        primary_key=True,
        on_delete=models.CASCADE,
        related_name="analytics_summary",
    )
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    case = models.ForeignKey("cases.Case", on_delete=models.CASCADE, related_name="+")
    case_version = models.ForeignKey(
        "cases.CaseVersion", on_delete=models.CASCADE, related_name="+"
    )
    finished_at = models.DateTimeField()
    real_seconds = models.PositiveIntegerField(help_text="Wall-clock time from start to finish.")
    critical_missed = models.PositiveSmallIntegerField(null=True)
    harmful_taken = models.PositiveSmallIntegerField(null=True)
    deteriorations = models.PositiveSmallIntegerField(null=True)
    opening = models.CharField(
        max_length=400, blank=True, help_text="The first three moves, by label, joined by →."
    )

    def __str__(self) -> str:
        return f"summary of attempt {self.attempt_id}"
