"""Cohort fixtures: a cohort taught by the `instructor` fixture, learners in it, and the pocket
case from the cases tests loaded for real, so attempts go through the real engine."""

from datetime import timedelta

import pytest
from django.utils import timezone

from edu.cohorts import services
from tests.cases.conftest import commit, content_dir, play, pocket_case, take  # noqa: F401
from tests.factories import CohortFactory, EnrolmentFactory, LearnerFactory


@pytest.fixture
def cohort(instructor):
    return CohortFactory(name="Neuro block A", instructors=[instructor])


@pytest.fixture
def members(cohort):
    return [
        EnrolmentFactory(
            cohort=cohort, learner=LearnerFactory(first_name=n, last_name="Test")
        ).learner
        for n in ("Ana", "Ben", "Cy")
    ]


@pytest.fixture
def case_assignment(cohort, pocket_case, members):  # noqa: F811
    now = timezone.now()
    return services.create_assignment(
        cohort=cohort,
        kind="case",
        target=pocket_case,
        opens_at=now - timedelta(hours=1),
        due_at=now + timedelta(days=1),
        mode="assessment",
    )


def finish_case(learner, case, *, mode="assessment", level="neuromuscular-junction"):
    """Play the pocket case to the end through the real services."""
    from cases import services as case_services

    attempt = case_services.start_attempt(user=learner, case=case, mode=mode)
    return play(attempt, take("hx-fatigue"), take("steroid-burst"), commit(level=level))
