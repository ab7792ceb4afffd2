"""A critical action's deadline is inclusive: done at minute `critical_by` it is in time, one
minute later it is late.

"Measure FVC by minute 30" means a learner who measures it at minute 30 kept the patient safe.
The small test case (tests/cases/malformed/base-case.toml) gives FVC a deadline of 30; a
one-minute observation, added here, lets the clock reach any minute exactly.
"""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest

from cases.engine.scoring import score
from cases.engine.state import replay
from cases.engine.validation import load_case

BASE = Path(__file__).parent / "malformed" / "base-case.toml"
DEADLINE = 30

OBSERVE = {
    "id": "observe",
    "kind": "exam",
    "label": "Watch her for a minute",
    "minutes": 1,
    "stages": ["start"],
    "finding": "She is breathing steadily.",
    "repeatable": True,
}


@pytest.fixture(scope="module")
def case():
    with BASE.open("rb") as handle:
        data = tomllib.load(handle)
    data["actions"].append(OBSERVE)
    built = load_case(data)
    assert built.action_by_id["fvc"].critical_by == DEADLINE
    return built


def fvc_at(case, minute: int):
    """Replay an attempt that measures FVC when the clock shows `minute` (IVIG given first, so
    FVC is the only critical action in question)."""
    events = [{"type": "take_action", "action": "ivig"}]  # 10 minutes
    events += [{"type": "take_action", "action": "observe"}] * (minute - 10)
    events.append({"type": "take_action", "action": "fvc"})
    state = replay(case, events)
    assert state.first_taken_minute("fvc") == minute
    return score(case, state)


def test_fvc_exactly_at_its_deadline_minute_is_in_time(case):
    result = fvc_at(case, DEADLINE)
    assert result.missed_critical_actions == ()
    assert result.safety == 1.0
    assert "2 of 2 critical actions done in time." in result.safety_note
    assert "late" not in result.safety_note


def test_fvc_one_minute_after_its_deadline_is_late(case):
    result = fvc_at(case, DEADLINE + 1)
    assert [action.id for action in result.missed_critical_actions] == ["fvc"]
    assert result.safety == pytest.approx(0.5)
    assert "Missed or late: Measure FVC." in result.safety_note


@pytest.mark.parametrize("minute", [10, 11, DEADLINE - 1, DEADLINE, DEADLINE + 1, DEADLINE + 2])
def test_in_time_means_no_later_than_the_deadline(case, minute):
    result = fvc_at(case, minute)
    in_time = "fvc" not in {action.id for action in result.missed_critical_actions}
    assert in_time is (minute <= DEADLINE)
