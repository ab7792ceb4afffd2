"""Scoring behaviours that mutation testing found unpinned: what each debrief note says for
each kind of answer, the expert's order of urgent actions, and the expert's commit.

Kept apart from test_scoring.py so that a rewrite of the scoring rules can revise these notes
in one place. Built on the small test case (tests/cases/malformed/base-case.toml).
"""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest

from cases.engine.scoring import expert_events, score
from cases.engine.state import replay
from cases.engine.validation import load_case

BASE = Path(__file__).parent / "malformed" / "base-case.toml"


def base_data() -> dict:
    with BASE.open("rb") as handle:
        return tomllib.load(handle)


@pytest.fixture(scope="module")
def case():
    return load_case(base_data())


def take(action_id: str) -> dict:
    return {"type": "take_action", "action": action_id}


def commit(level: str, diagnosis: str = "gbs") -> dict:
    return {"type": "commit", "level": level, "diagnosis": diagnosis, "confidence": "high"}


FULL_WORK_UP = (
    "Your findings set Peripheral nerve apart from every other level as far as a full work-up does."
)


def with_expert_findings(case, level: str) -> list[dict]:
    """The expert's findings, then a commit to `level` (localization is earned by evidence)."""
    found = [event for event in expert_events(case) if event["type"] != "commit"]
    return [*found, commit(level)]


@pytest.mark.parametrize(
    "level,credit,note",
    [
        ("peripheral-nerve", 1.0, f"You chose Peripheral nerve, the best level. {FULL_WORK_UP}"),
        (
            "nerve-root",
            0.5,
            "You chose Nerve root: 50 % credit. The best level is Peripheral nerve. "
            + FULL_WORK_UP,
        ),
        ("muscle", 0.0, "You chose Muscle; the lesion is at Peripheral nerve."),
    ],
)
def test_the_localization_note_names_the_level_chosen(case, level, credit, note):
    result = score(case, replay(case, with_expert_findings(case, level)))
    assert (result.localization, result.localization_note) == (credit, note)


def test_a_second_level_with_full_credit_is_named_as_truly_involved():
    data = base_data()
    data["localization"]["credit"]["nerve-root"] = 1.0
    both = load_case(data)
    result = score(both, replay(both, with_expert_findings(both, "nerve-root")))
    assert result.localization == 1.0
    assert result.localization_note.startswith(
        "You chose Nerve root, which this disease truly involves."
    )


def test_the_diagnosis_note_names_both_the_chosen_and_the_right_diagnosis(case):
    result = score(case, replay(case, [commit("peripheral-nerve", diagnosis="cidp")]))
    assert result.diagnosis_note == "You named CIDP; it was Guillain-Barré syndrome."
    right = score(case, replay(case, [commit("peripheral-nerve")]))
    assert right.diagnosis_note == "You named Guillain-Barré syndrome."


def test_the_safety_note_joins_its_sentences(case):
    events = [take("steroids"), take("hx"), take("ck"), take("intubate")]
    state = replay(case, [*events, commit("peripheral-nerve")])
    result = score(case, state)
    assert result.safety_note == (
        "1 of 3 critical actions done in time. Missed or late: Measure FVC; Give IVIG. "
        "Harmful: Give steroids. The patient deteriorated."
    )


def test_a_case_without_critical_actions_says_none_was_due():
    data = base_data()
    for action in data["actions"]:
        action["tags"] = [tag for tag in action.get("tags", []) if tag != "critical"]
        action.pop("critical_by", None)
        action.pop("alternatives", None)
    calm = load_case(data)
    result = score(calm, replay(calm, [take("hx"), commit("peripheral-nerve")]))
    assert result.safety == 1.0
    assert result.safety_note == "No critical action was due."


def test_the_thoroughness_note_counts_then_names_the_missed(case):
    result = score(case, replay(case, [take("hx"), commit("peripheral-nerve")]))
    assert result.thoroughness_note == (
        "You uncovered 1 of 3 key findings. Missed: Test reflexes; Nerve conduction studies."
    )


def test_with_no_tests_ordered_the_efficiency_note_says_so(case):
    result = score(case, replay(case, [take("hx"), commit("peripheral-nerve")]))
    assert result.efficiency_note.startswith(
        "You ordered no tests, though the case needed some. You used 5 minutes"
    )


def test_the_expert_takes_the_soonest_deadline_first():
    data = base_data()
    by_id = {action["id"]: action for action in data["actions"]}
    by_id["ivig"]["critical_by"] = 20  # written after FVC (30), due sooner
    urgent_first = load_case(data)
    actions = [event["action"] for event in expert_events(urgent_first)]
    assert actions[:2] == ["ivig", "fvc"]


def test_the_expert_commits_the_right_answer_with_high_confidence(case):
    assert expert_events(case, commit=True)[-1] == {
        "type": "commit",
        "level": "peripheral-nerve",
        "diagnosis": "gbs",
        "confidence": "high",
    }
