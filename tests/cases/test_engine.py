"""The attempt state machine: what each event does, what it refuses, and that replay is exact."""

from __future__ import annotations

import dataclasses
import tomllib
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cases.engine.levels import LEVEL_IDS
from cases.engine.schema import Case
from cases.engine.scoring import score
from cases.engine.state import (
    AttemptState,
    EventRejected,
    apply,
    available_actions,
    available_decisions,
    replay,
    start,
)
from cases.engine.validation import load_case, load_case_file

HERE = Path(__file__).parent
ROOT = HERE.parent.parent


@pytest.fixture(scope="module")
def case() -> Case:
    with (HERE / "malformed" / "base-case.toml").open("rb") as handle:
        return load_case(tomllib.load(handle))


def take(action_id: str) -> dict:
    return {"type": "take_action", "action": action_id}


def choose(action_id: str) -> dict:
    return {"type": "choose_decision", "action": action_id}


def commit(level="peripheral-nerve", diagnosis="gbs", confidence="high") -> dict:
    return {"type": "commit", "level": level, "diagnosis": diagnosis, "confidence": confidence}


def rejected(case: Case, state: AttemptState, event) -> str:
    """The learner-facing message, after checking the state was left as it was."""
    before = dataclasses.replace(state)
    with pytest.raises(EventRejected) as raised:
        apply(case, state, event)
    assert state == before
    return raised.value.message


# ------------------------------------------------------------------ start


def test_attempt_starts_in_first_stage_at_minute_zero(case):
    state = start(case)
    assert (state.stage, state.minute, state.cost) == ("start", 0, 0)
    assert state.steps == () and state.fired == () and not state.finished
    assert state.visits[0].stage == "start" and state.visits[0].by == "start"


# ------------------------------------------------------------------ taking actions


def test_action_adds_its_minutes_and_cost_and_reveals_its_finding(case):
    state = apply(case, start(case), take("fvc"))
    assert (state.minute, state.cost) == (5, 10)
    step = state.steps[-1]
    assert (step.action, step.kind, step.label) == ("fvc", "test", "Measure FVC")
    assert (step.stage, step.minute) == ("start", 0)
    assert (step.finding, step.value, step.normal) == ("FVC is low.", "1.5 L", "> 60 mL/kg")
    assert step.is_critical and not step.is_key


def test_step_carries_localization_meaning_and_teaching(case):
    step = apply(case, start(case), take("exam")).steps[-1]
    assert step.supports == ("peripheral-nerve", "nerve-root")
    assert step.against == ("upper-motor-neuron",)
    assert step.supports_labels == ("Peripheral nerve", "Nerve root")
    assert step.teaching == "Absent reflexes point to the reflex arc."
    assert step.tags == ("key",)


def test_step_records_the_minute_it_was_taken(case):
    state = replay(case, [take("hx"), take("exam")])
    assert [step.minute for step in state.steps] == [0, 5]
    assert state.minute == 15


def test_finding_follows_the_stage_the_patient_is_in(case):
    state = replay(case, [take("fvc"), choose("to-icu"), take("fvc")])
    assert [step.finding for step in state.steps if step.action == "fvc"] == [
        "FVC is low.",
        "FVC has fallen.",
    ]
    assert state.steps[-1].value == "1.1 L"
    assert state.steps[-1].normal == "> 60 mL/kg"


def test_repeatable_action_can_be_taken_again(case):
    state = replay(case, [take("fvc"), take("fvc"), take("fvc")])
    assert len(state.steps) == 3
    assert state.minute == 15 and state.cost == 30


def test_non_repeatable_action_twice_is_refused(case):
    state = apply(case, start(case), take("hx"))
    assert "already been done" in rejected(case, state, take("hx"))


def test_unknown_action_is_refused(case):
    assert "no action 'mri'" in rejected(case, start(case), take("mri"))


def test_action_outside_its_stages_is_refused(case):
    message = rejected(case, start(case), take("intubate"))
    assert "'Intubate' is not available now (Emergency department)" in message


def test_decision_sent_as_action_is_refused(case):
    assert "is a decision" in rejected(case, start(case), take("to-icu"))


def test_action_sent_as_decision_is_refused(case):
    assert "is not a decision" in rejected(case, start(case), choose("hx"))


def test_missing_action_id_is_refused(case):
    assert "no action ''" in rejected(case, start(case), {"type": "take_action"})


def test_action_id_of_wrong_type_is_refused(case):
    assert "as text" in rejected(case, start(case), {"type": "take_action", "action": 3})


# ------------------------------------------------------------------ decisions


def test_decision_moves_to_its_stage_and_records_the_visit(case):
    state = apply(case, start(case), choose("to-icu"))
    assert state.stage == "icu"
    assert state.visits[-1].stage == "icu"
    assert (state.visits[-1].by, state.visits[-1].via) == ("decision", "to-icu")
    assert state.steps[-1].kind == "decision"


def test_actions_follow_the_new_stage(case):
    state = apply(case, start(case), choose("to-icu"))
    offered = {action.id for action in available_actions(case, state)}
    assert offered == {"fvc", "ncs", "ivig", "plex"}
    assert available_decisions(case, state) == ()
    assert "not available now" in rejected(case, state, take("hx"))


def test_taken_action_is_no_longer_offered_unless_repeatable(case):
    state = replay(case, [take("hx"), take("fvc")])
    offered = {action.id for action in available_actions(case, state)}
    assert "hx" not in offered and "fvc" in offered


# ------------------------------------------------------------------ rules


def test_timed_rule_fires_when_the_clock_passes_and_the_action_was_not_done(case):
    state = replay(case, [take("hx"), take("ck")])  # 5 + 60 minutes, no FVC
    assert state.stage == "crash"
    fired = state.fired[0]
    assert (fired.rule, fired.minute, fired.from_stage, fired.goto) == (
        "decline",
        65,
        "start",
        "crash",
    )
    assert fired.message == "She is breathless." and fired.deterioration
    assert state.deteriorated
    assert state.visits[-1].by == "rule" and state.visits[-1].via == "decline"


def test_timed_rule_stays_quiet_before_its_minute(case):
    state = replay(case, [take("hx"), take("exam")])
    assert state.fired == () and state.stage == "start"


def test_rule_does_not_fire_when_the_action_was_done(case):
    state = replay(case, [take("fvc"), take("ck")])
    assert state.fired == () and state.stage == "start"


def test_rule_fires_at_once_on_entering_its_stage(case):
    state = apply(case, start(case), choose("to-ward"))
    assert [fired.rule for fired in state.fired] == ["ward-fall"]
    assert state.stage == "crash"
    assert [visit.stage for visit in state.visits] == ["start", "ward", "crash"]


def test_rule_waiting_for_an_action_fires_after_it(case):
    state = apply(case, start(case), take("hx"))
    assert state.fired == ()
    state = apply(case, state, take("steroids"))
    assert state.fired[-1].rule == "steroid-note"
    assert state.fired[-1].goto == "" and not state.fired[-1].deterioration
    assert state.stage == "start"


def test_rule_fires_at_most_once(case):
    state = replay(case, [take("steroids"), take("fvc"), take("fvc"), take("fvc")])
    assert [fired.rule for fired in state.fired] == ["steroid-note"]


def _variant(mutate) -> Case:
    with (HERE / "malformed" / "base-case.toml").open("rb") as handle:
        data = tomllib.load(handle)
    mutate(data)
    return load_case(data)


def _slow_steroids(data: dict) -> None:
    next(a for a in data["actions"] if a["id"] == "steroids")["minutes"] = 60


def test_rules_due_together_fire_in_file_order():
    case = _variant(_slow_steroids)
    state = replay(case, [take("hx"), take("steroids")])  # minute 65, no FVC, steroids given
    assert [fired.rule for fired in state.fired] == ["decline", "steroid-note"]

    def reversed_rules(data: dict) -> None:
        _slow_steroids(data)
        data["rules"].reverse()

    case = _variant(reversed_rules)
    state = replay(case, [take("hx"), take("steroids")])
    assert [fired.rule for fired in state.fired] == ["steroid-note", "decline"]


def test_rule_made_true_by_another_rules_move_fires_in_the_same_event():
    def crash_alarm_first(data: dict) -> None:
        alarm = {"id": "alarm", "message": "The crash team arrives.", "in_stages": ["crash"]}
        data["rules"].insert(0, alarm)

    case = _variant(crash_alarm_first)
    state = replay(case, [take("hx"), take("ck")])
    assert [fired.rule for fired in state.fired] == ["decline", "alarm"]
    assert state.fired[-1].minute == 65


def test_rule_confined_to_a_stage_ignores_other_stages(case):
    state = replay(case, [choose("to-icu"), take("ncs")])  # 120 minutes, in ICU, no FVC
    assert state.fired == () and state.stage == "icu"


# ------------------------------------------------------------------ localization and commit


def test_working_localization_is_recorded_with_the_minute(case):
    state = replay(
        case,
        [
            take("hx"),
            {"type": "record_localization", "level": "muscle"},
            take("exam"),
            {"type": "record_localization", "level": "nerve-root"},
        ],
    )
    assert [(note.level, note.minute) for note in state.localizations] == [
        ("muscle", 5),
        ("nerve-root", 15),
    ]
    assert state.current_localization.label == "Nerve root"
    assert not state.finished


def test_unknown_working_level_is_refused(case):
    event = {"type": "record_localization", "level": "brainstem"}
    assert "'brainstem' is not a localization level" in rejected(case, start(case), event)


def test_commit_finishes_the_attempt_with_the_answer(case):
    state = replay(case, [take("hx"), commit(confidence="medium")])
    assert state.finished
    answer = state.answer
    assert (answer.level, answer.diagnosis, answer.confidence, answer.minute) == (
        "peripheral-nerve",
        "gbs",
        "medium",
        5,
    )
    assert answer.label == "Peripheral nerve"


def test_commit_without_diagnosis_or_confidence_is_allowed(case):
    state = apply(case, start(case), {"type": "commit", "level": "muscle"})
    assert state.finished and state.answer.diagnosis == "" and state.answer.confidence == ""


@pytest.mark.parametrize(
    ("event", "fragment"),
    [
        (commit(level="spine"), "not a localization level"),
        (commit(level=""), "empty level"),
        (commit(diagnosis="botulism"), "'botulism' is not one of this case's diagnoses"),
        (commit(confidence="certain"), "low, medium or high"),
    ],
)
def test_bad_commit_is_refused(case, event, fragment):
    assert fragment in rejected(case, start(case), event)


@pytest.mark.parametrize(
    "event",
    [take("fvc"), choose("to-icu"), {"type": "record_localization", "level": "muscle"}, commit()],
)
def test_finished_attempt_accepts_nothing(case, event):
    state = apply(case, start(case), commit())
    assert "finished" in rejected(case, state, event)


@pytest.mark.parametrize("event", [{"type": "undo"}, {}, "take_action", None, ["commit"]])
def test_malformed_event_is_refused(case, event):
    message = rejected(case, start(case), event)
    assert "event" in message.lower()


def test_apply_leaves_the_old_state_untouched(case):
    first = apply(case, start(case), take("hx"))
    copy = dataclasses.replace(first)
    apply(case, first, choose("to-ward"))
    assert first == copy and first.stage == "start"


def test_replay_refuses_a_bad_stored_event(case):
    with pytest.raises(EventRejected):
        replay(case, [take("hx"), take("hx")])


# ------------------------------------------------------------------ the example cases


EXAMPLES = ["gbs-ascending", "myasthenic-crisis"]


@pytest.fixture(scope="module", params=EXAMPLES)
def example(request) -> Case:
    return load_case_file(ROOT / "content" / "cases" / f"{request.param}.toml")


def test_gbs_without_fvc_goes_into_respiratory_failure():
    case = load_case_file(ROOT / "content" / "cases" / "gbs-ascending.toml")
    state = replay(case, [take("hx-onset"), take("lp"), take("mri-spine")])
    assert state.stage == "resp-failure"
    assert state.fired[0].rule == "silent-decline"
    assert "intubate" in {action.id for action in available_actions(case, state)}


def test_gbs_serial_fvc_falls_in_intensive_care():
    case = load_case_file(ROOT / "content" / "cases" / "gbs-ascending.toml")
    state = replay(case, [take("fvc"), choose("admit-icu"), take("fvc")])
    assert [step.value for step in state.steps if step.action == "fvc"] == [
        "1.5 L (21 mL/kg)",
        "1.2 L (17 mL/kg)",
    ]


def test_gbs_ward_admission_ends_in_respiratory_failure():
    case = load_case_file(ROOT / "content" / "cases" / "gbs-ascending.toml")
    state = replay(case, [take("fvc"), choose("admit-ward")])
    assert state.stage == "resp-failure" and state.deteriorated


def test_extra_pyridostigmine_floods_the_airway():
    case = load_case_file(ROOT / "content" / "cases" / "myasthenic-crisis.toml")
    state = replay(case, [take("fvc"), take("hx-medication"), choose("call-myasthenic")])
    assert state.stage == "airway-crisis"
    assert state.fired[-1].rule == "extra-dose-collapse" and state.deteriorated
    assert state.steps[-1].is_harmful


def test_holding_pyridostigmine_reaches_intensive_care_safely():
    case = load_case_file(ROOT / "content" / "cases" / "myasthenic-crisis.toml")
    state = replay(case, [take("fvc"), take("hx-medication"), choose("call-cholinergic")])
    assert state.stage == "icu" and not state.deteriorated


def _bogus_events(case: Case):
    ids = [action.id for action in case.actions] + ["no-such-action", ""]
    levels = [*LEVEL_IDS, "spine", ""]
    diagnoses = [option.id for option in case.diagnosis.options] + ["", "nope"]
    return st.one_of(
        st.builds(
            lambda kind, action_id: {"type": kind, "action": action_id},
            st.sampled_from(["take_action", "choose_decision"]),
            st.sampled_from(ids),
        ),
        st.builds(
            lambda level: {"type": "record_localization", "level": level}, st.sampled_from(levels)
        ),
        st.builds(
            lambda level, diagnosis, confidence: {
                "type": "commit",
                "level": level,
                "diagnosis": diagnosis,
                "confidence": confidence,
            },
            st.sampled_from(levels),
            st.sampled_from(diagnoses),
            st.sampled_from(["low", "medium", "high", "", "sure"]),
        ),
        st.sampled_from([{"type": "jump"}, {}, {"type": "take_action", "action": 7}]),
    )


def _likely_valid(case: Case, state: AttemptState, data) -> dict:
    """An event drawn from what the learner can do right now."""
    actions = [take(a.id) for a in available_actions(case, state)]
    decisions = [choose(a.id) for a in available_decisions(case, state)]
    notes = [{"type": "record_localization", "level": level} for level in LEVEL_IDS]
    pool = actions * 4 + decisions + notes
    if data.draw(st.integers(0, 30)) == 0:
        pool.append(commit(level=case.localization.answer, diagnosis=case.diagnosis.answer))
    return data.draw(st.sampled_from(pool))


@settings(max_examples=150, deadline=None)
@given(data=st.data())
def test_random_event_sequences_keep_the_attempt_sound(example, data):
    state = start(example)
    accepted: list[dict] = []
    for _ in range(data.draw(st.integers(min_value=0, max_value=60))):
        if state.finished or data.draw(st.booleans()):
            event = data.draw(_bogus_events(example))
        else:
            event = _likely_valid(example, state, data)
        before = state
        try:
            state = apply(example, state, event)
        except EventRejected as refusal:
            assert refusal.message
            assert state == before
            continue
        assert not before.finished, "a finished attempt accepted an event"
        assert state.minute >= before.minute
        assert state.cost >= before.cost
        assert len(state.steps) >= len(before.steps)
        assert state.stage in example.stage_by_id
        accepted.append(event)

    assert replay(example, accepted) == state
    result = score(example, state)
    for part in result.parts:
        assert 0.0 <= part.value <= 1.0, part
    assert 0.0 <= result.overall <= 1.0
    fired = [fired.rule for fired in state.fired]
    assert len(fired) == len(set(fired)), "a rule fired twice"
