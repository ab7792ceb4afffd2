"""The database keeps attempts and versions sound even if code forgets to."""

import json
import tomllib
from pathlib import Path

import pytest
from django.db import IntegrityError, transaction
from hypothesis import given, settings
from hypothesis import strategies as st

from cases.engine.levels import LEVEL_IDS
from cases.engine.state import apply, available_actions, available_decisions, replay, start
from cases.engine.validation import CaseInvalid, load_case, load_case_file
from cases.models import (
    Attempt,
    AttemptEvent,
    CaseVersion,
    state_from_snapshot,
    state_snapshot,
)
from cases.selectors import parsed_case
from tests.cases.conftest import commit, localize, mini_case_text, play, take


def fails(make) -> None:
    with pytest.raises(IntegrityError), transaction.atomic():
        make()


def test_a_version_number_is_unique_within_its_case(pocket_case):
    version = pocket_case.current_version
    fails(
        lambda: CaseVersion.objects.create(
            case=pocket_case, number=version.number, content_hash="x" * 64, definition={}
        )
    )


def test_the_same_content_cannot_be_stored_twice_for_a_case(pocket_case):
    version = pocket_case.current_version
    fails(
        lambda: CaseVersion.objects.create(
            case=pocket_case, number=9, content_hash=version.content_hash, definition={}
        )
    )


def test_two_events_cannot_share_a_sequence_number(pocket_attempt):
    AttemptEvent.objects.create(attempt=pocket_attempt, seq=1, event=take("hx-fatigue"))
    fails(lambda: AttemptEvent.objects.create(attempt=pocket_attempt, seq=1, event=take("ck")))


@pytest.mark.parametrize("value", [-0.01, 1.01])
def test_a_score_outside_zero_to_one_is_refused(pocket_attempt, value):
    finished = play(pocket_attempt, commit())
    fails(lambda: Attempt.objects.filter(pk=finished.pk).update(score_safety=value))


def test_a_finished_attempt_must_carry_its_scores(pocket_attempt):
    fails(
        lambda: Attempt.objects.filter(pk=pocket_attempt.pk).update(
            status="finished", chosen_level="muscle"
        )
    )


def test_an_unknown_level_is_refused(pocket_attempt):
    fails(lambda: Attempt.objects.filter(pk=pocket_attempt.pk).update(working_level="elbow"))


def test_only_one_open_attempt_per_case_and_mode(pocket_attempt):
    def second():
        Attempt.objects.create(
            user=pocket_attempt.user,
            case=pocket_attempt.case,
            case_version=pocket_attempt.case_version,
            mode=pocket_attempt.mode,
            correct_level="neuromuscular-junction",
        )

    fails(second)


def test_a_version_with_attempts_cannot_be_deleted(pocket_attempt):
    from django.db.models import ProtectedError

    with pytest.raises(ProtectedError):
        pocket_attempt.case_version.delete()


def test_state_snapshot_reads_back_as_the_replayed_state(pocket_attempt):
    events = [take("hx-fatigue"), take("fvc"), localize("muscle"), take("fvc"), commit()]
    finished = play(pocket_attempt, *events)
    case = parsed_case(finished.case_version)
    assert state_from_snapshot(finished.state, finished.event_count, case) == replay(case, events)


def test_a_snapshot_that_does_not_fit_is_not_trusted(pocket_attempt):
    case = parsed_case(pocket_attempt.case_version)
    snapshot = state_snapshot(replay(case, [take("ck")]), 1)
    assert state_from_snapshot(snapshot, 1, case) is not None
    assert state_from_snapshot(snapshot, 2, case) is None  # events were added since
    assert state_from_snapshot({**snapshot, "format": 1}, 1, case) is None
    unknown = {**snapshot, "steps": [["no-such-action", "clinic", 0]]}
    assert state_from_snapshot(unknown, 1, case) is None


CASE_FILES = sorted((Path(__file__).parents[2] / "content" / "cases").glob("*.toml"))


def _cases() -> list:
    cases = [load_case(tomllib.loads(mini_case_text()))]
    for path in CASE_FILES:
        try:
            cases.append(load_case_file(path))
        except CaseInvalid:  # the content tests report broken files; skip them here
            continue
    return cases


@pytest.mark.parametrize("case", _cases(), ids=lambda case: case.id)
@settings(max_examples=40, deadline=None)
@given(data=st.data())
def test_a_snapshot_of_any_reachable_state_reads_back_exactly(case, data):
    state = start(case)
    count = 0
    assert state_from_snapshot(state_snapshot(state, count), count, case) == state
    for _ in range(data.draw(st.integers(0, 25))):
        choices = [{"type": "take_action", "action": a.id} for a in available_actions(case, state)]
        choices += [
            {"type": "choose_decision", "action": a.id} for a in available_decisions(case, state)
        ]
        choices += [{"type": "record_localization", "level": level} for level in LEVEL_IDS]
        if not choices or state.finished:
            break
        state = apply(case, state, data.draw(st.sampled_from(choices)))
        count += 1
        snapshot = json.loads(json.dumps(state_snapshot(state, count)))  # as stored
        assert state_from_snapshot(snapshot, count, case) == state
    if not state.finished:
        level = data.draw(st.sampled_from(LEVEL_IDS))
        state = apply(case, state, {"type": "commit", "level": level})
        assert state_from_snapshot(state_snapshot(state, count + 1), count + 1, case) == state
