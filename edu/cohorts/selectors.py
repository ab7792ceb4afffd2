"""Reads on cohorts shared by the cohort pages."""

from django.db.models import Count, QuerySet

from .models import Cohort


def cohorts_for(user) -> QuerySet[Cohort]:
    """The cohorts a user may manage: all for a program admin, their own for an instructor."""
    cohorts = Cohort.objects.annotate(learner_count=Count("enrolments", distinct=True))
    if user.is_program_admin:
        return cohorts
    return cohorts.filter(instructors=user)
