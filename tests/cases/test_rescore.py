"""Re-scoring stored attempts: new scores on the row, the old ones kept beside them for audit."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from cases import services
from cases.engine.scoring import SCORING_VERSION
from cases.models import Attempt, ScoreRevision
from tests.cases.conftest import commit, play, take

# What the first scoring rules gave a learner who committed at once with the right answer.
OLD_SCORES = {
    "score_localization": 1.0,
    "score_thoroughness": 0.0,
    "score_efficiency": 1.0,
    "score_safety": 1.0,
    "score_diagnosis": 1.0,
    "score_overall": 0.75,
}


@pytest.fixture
def old_attempt(pocket_attempt) -> Attempt:
    """A finished attempt as the first scoring rules left it in the database."""
    finished = play(pocket_attempt, commit())
    Attempt.objects.filter(pk=finished.pk).update(scoring_version=1, **OLD_SCORES)
    finished.refresh_from_db()
    return finished


def run(*args: str) -> str:
    out = StringIO()
    call_command("rescore_attempts", *args, stdout=out)
    return out.getvalue()


def test_rescoring_keeps_the_old_scores_and_writes_the_new(old_attempt):
    output = run()
    old_attempt.refresh_from_db()
    assert old_attempt.scoring_version == SCORING_VERSION
    assert old_attempt.score_localization == 0.0  # nothing examined: nothing earned
    assert old_attempt.score_overall < 0.25
    revision = ScoreRevision.objects.get(attempt=old_attempt)
    assert (revision.from_version, revision.to_version) == (1, SCORING_VERSION)
    assert revision.old_localization == 1.0 and revision.old_overall == 0.75
    assert revision.new_localization == 0.0
    line = next(line for line in output.splitlines() if "pocket-myasthenia" in line)
    assert "75% -> " in line and "100% -> 0%" in line
    assert "1 attempt(s) re-scored" in output


def test_rescoring_twice_changes_nothing_more(old_attempt):
    run()
    output = run()
    assert ScoreRevision.objects.count() == 1
    assert "0 attempt(s) re-scored" in output


def test_dry_run_shows_old_and_new_but_writes_nothing(old_attempt):
    output = run("--dry-run")
    old_attempt.refresh_from_db()
    assert old_attempt.score_overall == 0.75 and old_attempt.scoring_version == 1
    assert not ScoreRevision.objects.exists()
    assert "1 attempt(s) would be re-scored" in output and "100% -> 0%" in output


def test_an_attempt_scored_now_is_already_current(pocket_attempt):
    finished = play(pocket_attempt, take("hx-fatigue"), take("exam-ptosis"), commit())
    assert finished.scoring_version == SCORING_VERSION
    assert "0 attempt(s) re-scored" in run()
    result = services.rescore_attempt(attempt=finished)
    assert result.revision is None and result.new["overall"] == finished.score_overall


def test_an_unknown_case_is_a_plain_message(db):
    with pytest.raises(CommandError, match="No attempts at a case called 'nope'"):
        run("--case", "nope")


def test_an_open_attempt_cannot_be_rescored(pocket_attempt):
    with pytest.raises(ValueError, match="not finished"):
        services.rescore_attempt(attempt=pocket_attempt)
