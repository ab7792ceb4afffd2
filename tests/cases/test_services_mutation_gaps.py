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


def test_recording_reads_the_attempt_and_its_version_without_the_case_definition(
    pocket_attempt,
):
    locked = services._locked(pocket_attempt.pk, pocket_attempt.user)
    with CaptureQueriesContext(connection) as reading:
        version = locked.case_version
    assert len(reading.captured_queries) == 0  # fetched with the attempt
    assert "definition" in version.get_deferred_fields()


@pytest.mark.parametrize(
    "value,stored",
    [(1.0000000000000002, 1.0), (1.3, 1.0), (-0.1, 0.0), (0.25, 0.25), (1, 1.0)],
)
def test_scores_are_stored_within_zero_and_one(value, stored):
    assert services._unit(value) == stored
    assert isinstance(services._unit(value), float)
