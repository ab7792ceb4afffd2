"""Starting, resuming and recording: the summary row stays true to the events."""

import pytest

from cases import services
from cases.models import Attempt, AttemptEvent
from cases.selectors import attempt_state, parsed_case
from tests.cases.conftest import choose, commit, localize, play, take
from tests.factories import LearnerFactory


def test_starting_pins_the_attempt_to_the_current_version(pocket_case, learner):
    attempt = services.start_attempt(user=learner, case=pocket_case, mode="assessment")
    assert attempt.case_version == pocket_case.current_version
    assert (attempt.status, attempt.mode, attempt.stage) == ("in_progress", "assessment", "clinic")
    assert attempt.correct_level == "neuromuscular-junction"


def test_starting_again_resumes_the_open_attempt(pocket_attempt):
    again = services.start_attempt(
        user=pocket_attempt.user, case=pocket_attempt.case, mode="training"
    )
    assert again.pk == pocket_attempt.pk


def test_each_mode_has_its_own_open_attempt(pocket_attempt):
    other = services.start_attempt(
        user=pocket_attempt.user, case=pocket_attempt.case, mode="assessment"
    )
    assert other.pk != pocket_attempt.pk


def test_after_finishing_a_new_attempt_starts(pocket_attempt):
    play(pocket_attempt, commit())
    again = services.start_attempt(
        user=pocket_attempt.user, case=pocket_attempt.case, mode="training"
    )
    assert again.pk != pocket_attempt.pk
    assert again.event_count == 0


def test_a_withdrawn_case_cannot_be_started(pocket_case, learner):
    pocket_case.is_active = False
    pocket_case.save()
    with pytest.raises(services.CaseUnavailable):
        services.start_attempt(user=learner, case=pocket_case, mode="training")


def test_an_action_updates_the_summary_row(pocket_attempt):
    attempt = play(pocket_attempt, take("hx-fatigue"), take("ck"), localize("muscle"))
    row = Attempt.objects.get(pk=attempt.pk)
    assert (row.event_count, row.minutes, row.cost) == (3, 35, 20)
    assert (row.stage, row.working_level) == ("clinic", "muscle")
    assert row.score_overall is None
    assert list(row.events.values_list("seq", flat=True)) == [1, 2, 3]


def test_a_decision_moves_the_story_to_its_stage(pocket_attempt):
    attempt = play(pocket_attempt, choose("admit"))
    assert Attempt.objects.get(pk=attempt.pk).stage == "ward"


def test_a_rule_moves_the_patient_when_the_clock_runs(pocket_attempt):
    # No FVC, and the clock reaches 40 minutes: she goes into crisis.
    attempt = play(pocket_attempt, take("ck"), take("hx-fatigue"))
    assert attempt.stage == "clinic"
    outcome = services.record_event(
        attempt=attempt, user=attempt.user, event=take("exam-ptosis"), expected_seq=2
    )
    assert outcome.attempt.stage == "crisis"
    assert [fired.rule for fired in outcome.state.fired] == ["decline"]


def test_doing_what_the_rule_watches_for_prevents_it(pocket_attempt):
    attempt = play(pocket_attempt, take("fvc"), take("ck"), take("hx-fatigue"))
    assert (attempt.minutes, attempt.stage) == (40, "clinic")


def test_committing_writes_every_score(pocket_attempt):
    attempt = play(
        pocket_attempt,
        take("fvc"),
        take("hx-fatigue"),
        take("exam-ptosis"),
        localize("muscle"),
        commit(level="muscle", diagnosis="mg", confidence="medium"),
    )
    row = Attempt.objects.get(pk=attempt.pk)
    assert row.status == "finished" and row.finished_at is not None
    assert (row.chosen_level, row.correct_level) == ("muscle", "neuromuscular-junction")
    assert (row.diagnosis, row.diagnosis_correct, row.confidence) == ("mg", True, "medium")
    assert row.score_localization == 0.5  # the case's partial credit for muscle
    assert row.score_thoroughness == 1.0
    assert row.score_safety == 1.0
    assert row.score_diagnosis == 1.0
    expected = 0.5 * 0.5 + 0.15 + 0.1 * row.score_efficiency + 0.15 + 0.1
    assert row.score_overall == pytest.approx(expected)


def test_a_harmful_action_and_a_missed_deadline_cost_safety(pocket_attempt):
    attempt = play(pocket_attempt, take("hx-fatigue"), take("steroid-burst"), take("fvc"), commit())
    # FVC at minute 10 was in time (deadline 30); the harmful steroid burst costs half.
    assert Attempt.objects.get(pk=attempt.pk).score_safety == 0.5


def test_no_diagnosis_leaves_diagnosis_correct_unknown(pocket_attempt):
    attempt = play(pocket_attempt, commit(diagnosis="", confidence=""))
    row = Attempt.objects.get(pk=attempt.pk)
    assert row.diagnosis_correct is None
    assert row.score_diagnosis == 0.0


def test_replay_matches_the_stored_state(pocket_attempt):
    attempt = play(pocket_attempt, take("hx-fatigue"), take("fvc"), choose("admit"), take("fvc"))
    case = parsed_case(attempt.case_version)
    assert services.replay_attempt(attempt) == attempt_state(attempt, case)


def test_a_lost_snapshot_is_rebuilt_from_the_events(pocket_attempt):
    attempt = play(pocket_attempt, take("hx-fatigue"), take("ck"))
    Attempt.objects.filter(pk=attempt.pk).update(state={})
    attempt = Attempt.objects.get(pk=attempt.pk)
    attempt = play(attempt, take("fvc"))
    assert attempt.minutes == 40
    assert [s.action for s in services.replay_attempt(attempt).steps] == ["hx-fatigue", "ck", "fvc"]


# ---- bad input: each is refused with a message, and the events stay as they were


def events_of(attempt) -> list:
    return list(AttemptEvent.objects.filter(attempt=attempt).values_list("seq", "event"))


@pytest.mark.parametrize(
    "event,message",
    [
        (take("lumbar-puncture"), "There is no action 'lumbar-puncture' in this case."),
        (take("admit"), "'Admit to the ward' is a decision; choose it rather than take it."),
        (localize("elbow"), "'elbow' is not a localization level."),
        ({"type": "erase"}, "Unknown event type 'erase'"),
        (commit(diagnosis="gbs"), "'gbs' is not one of this case's diagnoses."),
    ],
)
def test_an_event_the_case_does_not_allow_is_refused(pocket_attempt, event, message):
    attempt = play(pocket_attempt, take("hx-fatigue"))
    before = events_of(attempt)
    outcome = services.record_event(attempt=attempt, user=attempt.user, event=event, expected_seq=1)
    assert not outcome.recorded and outcome.reason == "rejected"
    assert outcome.message.startswith(message)
    assert events_of(attempt) == before
    assert Attempt.objects.get(pk=attempt.pk).event_count == 1


def test_an_action_from_another_stage_is_refused(pocket_attempt):
    attempt = play(pocket_attempt, choose("admit"))
    outcome = services.record_event(
        attempt=attempt, user=attempt.user, event=take("ck"), expected_seq=1
    )
    assert outcome.message == "'Creatine kinase' is not available now (Neurology ward)."
    assert events_of(attempt) == [(1, choose("admit"))]


def test_a_stale_sequence_number_records_nothing(pocket_attempt):
    attempt = play(pocket_attempt, take("hx-fatigue"))
    outcome = services.record_event(
        attempt=attempt, user=attempt.user, event=take("hx-fatigue"), expected_seq=0
    )
    assert (outcome.recorded, outcome.message) == (False, "That step was already recorded.")
    assert len(events_of(attempt)) == 1


def test_an_event_on_a_finished_attempt_is_refused(pocket_attempt):
    attempt = play(pocket_attempt, commit())
    outcome = services.record_event(
        attempt=attempt, user=attempt.user, event=take("ck"), expected_seq=1
    )
    assert outcome.reason == "finished"
    assert len(events_of(attempt)) == 1


def test_another_learners_attempt_cannot_be_written(pocket_attempt):
    with pytest.raises(Attempt.DoesNotExist):
        services.record_event(
            attempt=pocket_attempt, user=LearnerFactory(), event=take("ck"), expected_seq=0
        )
    assert events_of(pocket_attempt) == []
