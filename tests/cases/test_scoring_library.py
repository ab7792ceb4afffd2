"""Scoring rewards reasoning, on every case in the library: the outcomes issue 10 asks for."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cases.engine.belief import answer_levels
from cases.engine.levels import LEVEL_IDS
from cases.engine.schema import Case
from cases.engine.scoring import expert_events, score
from cases.engine.scripted_paths import (
    adjacent_wrong_level,
    is_reflex_or_sensation,
    scripted_paths,
)
from cases.engine.state import EventRejected, apply, replay, start
from cases.engine.validation import load_case, load_case_file

CASES_DIR = Path(__file__).resolve().parents[2] / "content" / "cases"
LIBRARY = {path.stem: load_case_file(path) for path in sorted(CASES_DIR.glob("*.toml"))}
CASE_IDS = list(LIBRARY)
# Cases whose answer is told from its main mimic by the reflexes and sensation. Left out:
# fatigue (strength testing decides), ICU weakness (nerve and muscle both earn full credit
# and the studies decide) and myasthenic crisis (fatigability and the drug history decide).
REFLEXES_DECIDE = [
    "als-hand-wasting",
    "cervical-radiculopathy",
    "dermatomyositis",
    "duchenne-gowers",
    "gbs-ascending",
    "lambert-eaton",
    "sma-floppy-infant",
]


def commit(case: Case, level: str | None = None, diagnosis: str | None = None) -> dict:
    return {
        "type": "commit",
        "level": level or case.localization.answer,
        "diagnosis": case.diagnosis.answer if diagnosis is None else diagnosis,
        "confidence": "high",
    }


def played(case: Case, events: list[dict]):
    """The state after the events that the case accepts, in order (others are skipped)."""
    state = start(case)
    for event in events:
        try:
            state = apply(case, state, event)
        except EventRejected:
            continue
    return state


@pytest.mark.parametrize("case_id", CASE_IDS)
def test_right_level_with_nothing_examined_earns_little_localization(case_id):
    case = LIBRARY[case_id]
    result = score(case, replay(case, [commit(case)]))
    assert result.localization <= 0.35
    assert result.rival, "the note names the level the learner had not ruled out"


@pytest.mark.parametrize("case_id", CASE_IDS)
def test_expert_path_earns_full_localization(case_id):
    case = LIBRARY[case_id]
    result = score(case, replay(case, [*expert_events(case), commit(case)]))
    assert result.localization == 1.0
    assert result.overall == pytest.approx(1.0), [part.explanation for part in result.parts]


@pytest.mark.parametrize("case_id", REFLEXES_DECIDE)
def test_skipping_reflexes_and_sensation_costs_at_least_a_third_of_localization(case_id):
    case = LIBRARY[case_id]
    events = scripted_paths(case)["expert without reflexes/sensation"]
    skipped = {e["action"] for e in expert_events(case)} - {e.get("action") for e in events}
    assert skipped and all(is_reflex_or_sensation(case, action) for action in skipped)
    result = score(case, replay(case, events))
    assert result.localization <= 0.7
    assert {action.id for action in result.separating} & skipped


@pytest.mark.parametrize("case_id", CASE_IDS)
@settings(max_examples=25, deadline=None)
@given(data=st.data())
def test_a_wrong_level_is_never_raised_by_evidence(case_id, data):
    case = LIBRARY[case_id]
    expert = expert_events(case)
    kept = data.draw(st.lists(st.sampled_from(expert), unique_by=str, max_size=len(expert)))
    level = data.draw(st.sampled_from(LEVEL_IDS))
    credit = case.localization.credit_for(level)
    result = score(case, played(case, [e for e in expert if e in kept] + [commit(case, level)]))
    assert result.localization <= credit
    if credit == 0:
        assert result.localization == 0


@pytest.mark.parametrize("case_id", CASE_IDS)
def test_wrong_adjacent_level_after_full_work_up_earns_no_localization(case_id):
    case = LIBRARY[case_id]
    result = score(case, replay(case, scripted_paths(case)["wrong adjacent level"]))
    assert result.localization == 0
    assert adjacent_wrong_level(case) not in answer_levels(case)


@pytest.mark.parametrize("case_id", CASE_IDS)
def test_doing_nothing_and_committing_scores_at_most_a_quarter(case_id):
    case = LIBRARY[case_id]
    result = score(case, replay(case, [commit(case)]))
    assert result.efficiency < 1
    assert result.overall <= 0.25


@pytest.mark.parametrize("case_id", CASE_IDS)
def test_committing_at_once_misses_every_critical_action_of_the_expert_path(case_id):
    case = LIBRARY[case_id]
    result = score(case, replay(case, [commit(case)]))
    expected = {
        event["action"]
        for event in expert_events(case)
        if case.action_by_id[event["action"]].is_critical
    }
    assert expected, "every library case has a critical action"
    assert {action.id for action in result.missed_critical_actions} >= expected


def test_a_critical_action_of_a_later_stage_counts_when_committing_early():
    case = LIBRARY["gbs-ascending"]
    # Examined well in the emergency department and committed there: the ICU admission and the
    # treatment were still needed.
    events = [e for e in expert_events(case) if e["action"] not in {"admit-icu", "ncs", "ivig"}]
    result = score(case, played(case, [*events, commit(case)]))
    missed = {action.id for action in result.missed_critical_actions}
    assert {"admit-icu", "ivig"} <= missed
    assert result.safety < 1


def test_a_critical_decision_earns_safety_and_a_key_decision_thoroughness():
    case = LIBRARY["gbs-ascending"]
    admit = case.action_by_id["admit-icu"]
    assert admit.is_decision and admit.is_critical
    with_it = score(case, replay(case, [*expert_events(case), commit(case)]))
    assert admit not in with_it.missed_critical_actions
    keyed = dataclasses.replace(admit, tags=("key",))
    changed = dataclasses.replace(
        case, actions=tuple(keyed if a.id == "admit-icu" else a for a in case.actions)
    )
    ward = [e for e in expert_events(changed) if e["action"] != "admit-icu"]
    result = score(changed, played(changed, [*ward, commit(changed)]))
    assert "admit-icu" in {action.id for action in result.missed_key_actions}
    assert result.thoroughness < 1


def test_a_timed_rule_whose_minute_passed_fires_at_commit():
    case = LIBRARY["gbs-ascending"]
    # A state whose clock passed the silent-decline minute without the rule firing (as a state
    # restored from before the rule's last check would be): committing fires it first.
    state = dataclasses.replace(start(case), minute=125)
    finished = apply(case, state, commit(case))
    assert [fired.rule for fired in finished.fired] == ["silent-decline"]
    assert finished.answer is not None and finished.finished
    result = score(case, finished)
    assert [fired.rule for fired in result.deteriorations] == ["silent-decline"]
    assert result.safety == 0


def test_a_decision_without_goto_records_a_choice_and_keeps_the_patient_in_place():
    data = {
        "id": "choice",
        "title": "A clinic choice",
        "summary": "One stage only.",
        "difficulty": "easy",
        "patient": {
            "age": "50 years",
            "sex": "male",
            "setting": "Clinic",
            "complaint": "Tired",
            "vignette": "He is tired.",
        },
        "budget": {"minutes": 30, "cost": 0},
        "localization": {
            "answer": "not-weakness",
            "explanation": "Power is normal.",
            "credit": {"not-weakness": 1.0},
        },
        "diagnosis": {
            "answer": "fatigue",
            "options": [{"id": "fatigue", "label": "Fatigue"}, {"id": "mg", "label": "MG"}],
        },
        "stages": [{"id": "clinic", "title": "Clinic", "description": "A room.", "final": True}],
        "actions": [
            {
                "id": "power",
                "kind": "exam",
                "label": "Test power",
                "minutes": 10,
                "finding": "Full power.",
                "supports": ["not-weakness"],
                "against": ["muscle"],
                "tags": ["key"],
            },
            {
                "id": "explain",
                "kind": "decision",
                "label": "Explain and arrange review",
                "minutes": 10,
                "tags": ["critical"],
            },
        ],
    }
    case = load_case(data)
    state = replay(case, [{"type": "choose_decision", "action": "explain"}])
    assert state.stage == "clinic" and "explain" in state.taken
    assert [e["action"] for e in expert_events(case)] == ["power", "explain"]
