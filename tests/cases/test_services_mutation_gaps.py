"""What the case services promise that mutation testing found no test for.

A learner's second attempt is written through its own row, never another of theirs; a refused
replay says why ("stale"), so a page can tell a double click from a rule; recording a step
reads the attempt and its version in one query without loading the whole case definition;
stored scores never leave 0..1, even when float sums overshoot.
"""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from cases import services
from cases.models import Attempt, AttemptEvent
from tests.cases.conftest import commit, play, take


@pytest.fixture
def two_attempts(pocket_case, learner):
    training = services.start_attempt(user=learner, case=pocket_case, mode="training")
    assessment = services.start_attempt(user=learner, case=pocket_case, mode="assessment")
    assert training.pk != assessment.pk
    return training, assessment


@pytest.mark.parametrize("which", [0, 1], ids=["training", "assessment"])
def test_a_step_lands_on_the_attempt_it_was_taken_in(two_attempts, which):
    attempt, other = two_attempts[which], two_attempts[1 - which]
    outcome = services.record_event(
        attempt=attempt.pk, user=attempt.user, event=take("fvc"), expected_seq=0
    )
    assert outcome.recorded and outcome.attempt.pk == attempt.pk
    assert list(AttemptEvent.objects.values_list("attempt_id", flat=True)) == [attempt.pk]
    assert Attempt.objects.get(pk=other.pk).event_count == 0


def test_a_replayed_step_is_refused_as_stale(pocket_attempt):
    attempt = play(pocket_attempt, take("fvc"))
    outcome = services.record_event(
        attempt=attempt, user=attempt.user, event=take("fvc"), expected_seq=0
    )
    assert (outcome.recorded, outcome.reason, outcome.message) == (
        False,
        "stale",
        services.STALE_MESSAGE,
    )


def test_a_step_on_a_finished_attempt_is_refused_as_finished(pocket_attempt):
    attempt = play(pocket_attempt, take("hx-fatigue"), commit())
    outcome = services.record_event(
        attempt=attempt, user=attempt.user, event=take("fvc"), expected_seq=attempt.event_count
    )
    assert (outcome.recorded, outcome.reason) == (False, "finished")
    assert outcome.finished


def test_recording_reads_its_attempt_in_one_query_without_the_case_definition(pocket_attempt):
    attempt = play(pocket_attempt, take("ck"))  # the version's parse is in the cache now
    user = pocket_attempt.user
    with CaptureQueriesContext(connection) as recording:
        outcome = services.record_event(
            attempt=attempt.pk, user=user, event=take("fvc"), expected_seq=1
        )
    assert outcome.recorded and outcome.attempt.event_count == 2
    reads = [q["sql"] for q in recording.captured_queries if q["sql"].lstrip().startswith("SELECT")]
    assert len(reads) == 1
    assert "definition" not in reads[0]


@pytest.mark.parametrize(
    "value,stored",
    [(1.0000000000000002, 1.0), (1.3, 1.0), (-0.1, 0.0), (0.25, 0.25), (1, 1.0)],
)
def test_scores_are_stored_within_zero_and_one(value, stored):
    assert services._unit(value) == stored
    assert isinstance(services._unit(value), float)


def test_another_learner_never_resumes_someone_elses_attempt(pocket_attempt, pocket_case):
    from tests.factories import LearnerFactory

    other = services.start_attempt(user=LearnerFactory(), case=pocket_case, mode="training")
    assert other.pk != pocket_attempt.pk
    assert other.user_id != pocket_attempt.user_id


def test_an_open_attempt_at_one_case_is_not_resumed_for_another(pocket_attempt, content_dir):
    from cases.models import Case
    from tests.cases.conftest import load, write_case

    write_case(content_dir, slug="second-case", title="A second case")
    load(content_dir)
    second = Case.objects.get(slug="second-case")
    attempt = services.start_attempt(user=pocket_attempt.user, case=second, mode="training")
    assert attempt.pk != pocket_attempt.pk and attempt.case_id == second.pk


def test_resuming_writes_nothing(pocket_attempt):
    with CaptureQueriesContext(connection) as resuming:
        again = services.start_attempt(
            user=pocket_attempt.user, case=pocket_attempt.case, mode="training"
        )
    assert again.pk == pocket_attempt.pk
    assert not [q for q in resuming.captured_queries if q["sql"].startswith("INSERT")]


def test_a_double_click_that_loses_the_race_resumes_the_winners_attempt(
    pocket_attempt, monkeypatch
):
    """The second request looked before the first had saved, so its insert fails on the
    one-open-attempt constraint: it then finds and returns the first request's attempt."""
    real = services._open_attempt
    calls = []

    def not_yet_visible(user, case, mode):
        calls.append(mode)
        return None if len(calls) == 1 else real(user, case, mode)

    monkeypatch.setattr(services, "_open_attempt", not_yet_visible)
    again = services.start_attempt(
        user=pocket_attempt.user, case=pocket_attempt.case, mode="training"
    )
    assert again.pk == pocket_attempt.pk
    assert Attempt.objects.filter(user=pocket_attempt.user).count() == 1


def test_an_unknown_mode_and_a_withdrawn_case_are_refused_in_words(pocket_case, learner):
    with pytest.raises(ValueError) as caught:
        services.start_attempt(user=learner, case=pocket_case, mode="speedrun")
    assert str(caught.value) == "Unknown mode 'speedrun'; expected one of training, assessment."
    pocket_case.is_active = False
    with pytest.raises(services.CaseUnavailable) as caught:
        services.start_attempt(user=learner, case=pocket_case, mode="training")
    assert str(caught.value) == f"The case '{pocket_case.title}' is not available."


def test_the_stored_snapshot_always_covers_every_recorded_event(pocket_attempt):
    assert pocket_attempt.state["events"] == 0
    attempt = play(pocket_attempt, take("fvc"), take("fvc"))
    stored = Attempt.objects.get(pk=attempt.pk)
    assert stored.state["events"] == stored.event_count == 2
