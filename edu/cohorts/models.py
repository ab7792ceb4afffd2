"""Cohorts: a group of learners taught by one or more instructors, joined with a code."""

from django.conf import settings
from django.db import models


class Cohort(models.Model):
    name = models.CharField(max_length=120)
    code = models.SlugField(max_length=20, unique=True, help_text="Learners join with this code.")
    instructors = models.ManyToManyField(
        settings.AUTH_USER_MODEL, related_name="teaching_cohorts", blank=True
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Enrolment(models.Model):
    cohort = models.ForeignKey(Cohort, on_delete=models.CASCADE, related_name="enrolments")
    learner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="enrolments"
    )
    joined_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["cohort", "learner"], name="cohorts_one_enrolment")
        ]

    def __str__(self) -> str:
        return f"{self.learner} in {self.cohort}"
