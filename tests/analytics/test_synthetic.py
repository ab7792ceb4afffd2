"""seed_synthetic at a small scale: marked synthetic, true to the engine, and removable."""

import io

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from cases.models import Attempt, AttemptEvent
from cases.services import replay_attempt
from edu.accounts.models import User
from edu.analytics.models import CaseAttemptSummary
from edu.cohorts.models import Cohort
from edu.quizzes.models import Answer, QuizAttempt

pytestmark = pytest.mark.django_db

SMALL = dict(learners=30, cohorts=3, attempts=240, events=240 * 12, sittings=80, stdout=None)


def seed(**overrides):
    out = io.StringIO()
    call_command("seed_synthetic", **{**SMALL, **overrides, "stdout": out})
    return out.getvalue()


def test_it_makes_what_was_asked_and_marks_it_synthetic(pocket, quiz_a):
    report = seed()
    assert "SYNTHETIC DATA" in report
    synthetic = User.objects.filter(username__startswith="synthetic-")
    assert synthetic.count() == 30
    assert Cohort.objects.filter(name__startswith="Synthetic cohort").count() == 3
    assert Attempt.objects.filter(user__in=synthetic).count() == 240
    events = AttemptEvent.objects.filter(attempt__user__in=synthetic).count()
    assert 240 * 12 <= events <= 240 * 13  # at least the plan's, about twelve per attempt
    assert QuizAttempt.objects.filter(user__in=synthetic).count() == 80
    assert Answer.objects.filter(user__in=synthetic).count() == 80 * 4
    finished = Attempt.objects.filter(user__in=synthetic, status="finished")
    assert CaseAttemptSummary.objects.filter(user__in=synthetic).count() == finished.count()


def test_every_synthetic_attempt_replays_to_what_its_row_says(pocket, quiz_a):
    seed()
    for attempt in Attempt.objects.filter(user__username__startswith="synthetic-").select_related(
        "case_version"
    )[:60]:
        state = replay_attempt(attempt)
        assert state.stage == attempt.stage
        assert state.minute == attempt.minutes
        if attempt.status == "finished":
            assert state.answer.level == attempt.chosen_level
        else:
            assert not state.finished


def test_starts_are_spread_over_the_weeks(pocket, quiz_a):
    seed(weeks=20)
    starts = Attempt.objects.filter(user__username__startswith="synthetic-").values_list(
        "started_at", flat=True
    )
    assert (max(starts) - min(starts)).days > 60


def test_running_again_refuses_and_clear_removes_everything(pocket, quiz_a):
    seed()
    with pytest.raises(CommandError, match="already here"):
        seed()
    seed(clear=True)
    assert not User.objects.filter(username__startswith="synthetic-").exists()
    assert not Cohort.objects.filter(code__startswith="synthetic-").exists()
    assert User.objects.filter(pk=quiz_a["learners"][0].pk).exists()  # real accounts stay


def test_without_cases_it_says_what_to_do(db):
    with pytest.raises(CommandError, match="load_content"):
        seed()


def test_the_pages_read_synthetic_data(admin_client_role, pocket, quiz_a):
    seed()
    cohort = Cohort.objects.get(code="synthetic-01")
    for url in (
        reverse("analytics:index"),
        reverse("analytics:case", args=[pocket.slug]),
        reverse("analytics:quiz", args=[quiz_a["quiz"].slug]),
        reverse("analytics:levels"),
    ):
        response = admin_client_role.get(url, {"cohort": cohort.pk})
        assert response.status_code == 200
        assert "Synthetic cohort 01" in response.content.decode()


def test_seed_demo_program_scale_adds_the_synthetic_program_once(db, monkeypatch):
    from dataclasses import dataclass

    from edu.analytics import synthetic

    @dataclass
    class SmallPlan(synthetic.Plan):  # seed_synthetic's defaults, at test size
        learners: int = 20
        cohorts: int = 2
        attempts: int = 100
        events: int = 1500
        sittings: int = 30

    monkeypatch.setattr(synthetic, "Plan", SmallPlan)
    call_command("load_content", verbosity=0, stdout=io.StringIO())
    out = io.StringIO()
    call_command("seed_demo", "--learners", "2", "--program-scale", stdout=out)
    assert "SYNTHETIC DATA" in out.getvalue()
    assert User.objects.filter(username__startswith="synthetic-").count() == 20
    assert (
        AttemptEvent.objects.filter(attempt__user__username__startswith="synthetic-").count()
        >= 1500
    )
    again = io.StringIO()
    call_command("seed_demo", "--learners", "2", "--program-scale", stdout=again)
    assert "already present" in again.getvalue()
    assert Attempt.objects.filter(user__username__startswith="synthetic-").count() == 100
