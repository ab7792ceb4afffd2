"""Writes on cohorts, shared by views and the demo seeding command."""

from .models import Cohort, Enrolment


def ensure_cohort(*, name: str, code: str, instructors) -> Cohort:
    cohort, _ = Cohort.objects.get_or_create(code=code, defaults={"name": name})
    cohort.instructors.add(*instructors)
    return cohort


def join_cohort(*, cohort: Cohort, learner) -> Enrolment:
    enrolment, _ = Enrolment.objects.get_or_create(cohort=cohort, learner=learner)
    return enrolment
