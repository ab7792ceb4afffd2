"""seed_demo at scale: cohorts, assignments and activity made through the real services, the
usual confusions among them, review due for the demo learner, and nothing added on a rerun."""

import io

import pytest
from django.core.management import call_command
from django.utils import timezone

from cases.models import Attempt
from edu.cohorts.models import Assignment, Cohort, Enrolment
from edu.cohorts.selectors import DONE, LATE, progress_grid
from edu.quizzes.models import Answer, ReviewCard

pytestmark = pytest.mark.django_db


@pytest.fixture
def seeded():
    call_command("load_content", verbosity=0)
    call_command("seed_demo", "--learners", "20", "--cohorts", "2", stdout=io.StringIO())


def test_seed_demo_builds_cohorts_with_filled_grids(seeded):
    assert Cohort.objects.count() == 2
    assert Enrolment.objects.filter(cohort__code="demo-clerkship").count() == 11  # + demo learner
    assert Assignment.objects.filter(cohort__code="demo-block-2").count() == 6
    grid = progress_grid(Cohort.objects.get(code="demo-clerkship"))
    statuses = {cell.status for row in grid.rows for cell in row.cells if cell}
    assert {DONE, LATE} <= statuses
    # Played through the engine: every finished attempt has events and a score.
    finished = Attempt.objects.filter(status="finished")
    assert finished.exists() and not finished.filter(event_count=0).exists()


def test_seed_demo_includes_the_typical_confusions(seeded):
    committed = set(
        Attempt.objects.filter(status="finished").values_list("correct_level", "chosen_level")
    )
    assert ("neuromuscular-junction", "muscle") in committed


def test_seed_demo_leaves_review_due_for_the_demo_learner(seeded):
    due = ReviewCard.objects.filter(user__username="learner", due__lte=timezone.now())
    assert due.exists()


def test_seed_demo_twice_adds_nothing(seeded):
    counts = (Attempt.objects.count(), Answer.objects.count(), Assignment.objects.count())
    call_command("seed_demo", "--learners", "20", "--cohorts", "2", stdout=io.StringIO())
    assert (Attempt.objects.count(), Answer.objects.count(), Assignment.objects.count()) == counts
