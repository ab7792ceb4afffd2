"""The debrief's reasoning data: both paths' beliefs, the clear step, and what was missing."""

from __future__ import annotations

import dataclasses
from pathlib import Path

from cases.engine.belief import Belief, BeliefPoint, separation
from cases.engine.levels import LEVEL_IDS
from cases.engine.reasoning import clear_sentence, reasoning
from cases.engine.scoring import expert_events
from cases.engine.state import replay
from cases.engine.validation import load_case_file

GBS = load_case_file(
    Path(__file__).resolve().parents[2] / "content" / "cases" / "gbs-ascending.toml"
)
COMMIT = {"type": "commit", "level": "peripheral-nerve", "diagnosis": "gbs", "confidence": "high"}


def test_committing_at_once_names_muscle_and_the_findings_that_separate_it():
    found = reasoning(GBS, replay(GBS, [COMMIT]))
    assert found.committed_early and found.evidence == 0
    assert found.rival == "muscle" and found.rival_label == "Muscle"
    assert [a.id for a in found.separating[:2]] == ["exam-reflexes", "exam-sensation"]
    assert len(found.learner) == 1  # the presentation only
    assert found.learner_clear is None


def test_the_expert_path_is_charted_step_by_step_with_the_clear_step_named():
    found = reasoning(GBS, replay(GBS, [*expert_events(GBS), COMMIT]))
    assert found.levels == LEVEL_IDS
    assert len(found.expert) == len(expert_events(GBS)) + 1
    assert found.learner == found.expert
    assert not found.committed_early and found.separating == ()
    assert found.expert_clear is not None
    assert found.expert_clear_sentence == (
        f"After “{found.expert_clear.label}”, an expert would have placed this in "
        "Nerve root or Peripheral nerve."
    )


def test_working_localizations_are_placed_on_the_learner_chart():
    events = [
        {"type": "take_action", "action": "hx-onset"},
        {"type": "record_localization", "level": "muscle"},
        {"type": "take_action", "action": "exam-reflexes"},
    ]
    found = reasoning(GBS, replay(GBS, events))
    [working] = found.working
    assert working.level == "muscle"
    assert found.point_at_minute(working.minute).action == "hx-onset"


def test_a_wrong_level_is_answered_with_the_findings_that_tell_the_answer_from_it():
    wrong = {**COMMIT, "level": "neuromuscular-junction"}
    found = reasoning(GBS, replay(GBS, [*expert_events(GBS), wrong]))
    ids = [action.id for action in found.against_choice]
    assert "exam-sensation" in ids and "exam-cranial" in ids
    right = reasoning(GBS, replay(GBS, [*expert_events(GBS), COMMIT]))
    assert right.against_choice == ()


def test_the_full_credit_levels_and_the_learners_clear_step_on_the_expert_path():
    found = reasoning(GBS, replay(GBS, [*expert_events(GBS), COMMIT]))
    assert found.answer_levels == ("nerve-root", "peripheral-nerve")
    assert found.learner_clear is not None and found.learner_clear == found.expert_clear


def test_stopping_before_the_experts_last_finding_is_committing_early():
    *before_last, last = expert_events(GBS)
    found = reasoning(GBS, replay(GBS, [*before_last, COMMIT]))
    assert found.committed_early and found.evidence < 1.0
    assert [action.id for action in found.separating] == [last["action"]]


def test_the_separating_findings_are_those_not_taken_that_set_the_answer_ahead_of_the_rival():
    taken = [{"type": "take_action", "action": "hx-onset"}]
    found = reasoning(GBS, replay(GBS, [*taken, COMMIT]))
    expert_steps = replay(GBS, expert_events(GBS)).steps
    wanted = {
        step.action
        for step in expert_steps
        if step.action != "hx-onset" and separation(step, "peripheral-nerve", found.rival) > 0
    }
    assert {action.id for action in found.separating} == wanted


def test_the_findings_against_a_wrong_level_are_all_those_that_set_the_answer_ahead_of_it():
    wrong = {**COMMIT, "level": "neuromuscular-junction"}
    found = reasoning(GBS, replay(GBS, [*expert_events(GBS), wrong]))
    expert_steps = replay(GBS, expert_events(GBS)).steps
    gains = {
        step.action: separation(step, "peripheral-nerve", "neuromuscular-junction")
        for step in expert_steps
    }
    assert {action.id for action in found.against_choice} == {
        action for action, gain in gains.items() if gain > 0
    }


def test_an_attempt_not_yet_committed_has_no_findings_against_a_choice():
    found = reasoning(GBS, replay(GBS, [{"type": "take_action", "action": "hx-onset"}]))
    assert found.against_choice == ()


def test_a_state_without_its_beliefs_gives_the_same_reasoning():
    state = replay(GBS, [{"type": "take_action", "action": "hx-onset"}, COMMIT])
    bare = dataclasses.replace(state, beliefs=())
    assert reasoning(GBS, bare) == reasoning(GBS, state)


def test_the_clear_sentence_names_the_presentation_or_the_step():
    levels = "Nerve root or Peripheral nerve"
    at_once = BeliefPoint(0, "presentation", "Presentation", 0, Belief())
    assert clear_sentence(GBS, at_once) == (
        f"From the presentation alone, an expert would have placed this in {levels}."
    )
    later = BeliefPoint(1, "exam-reflexes", "Test tendon reflexes", 20, Belief())
    assert clear_sentence(GBS, later) == (
        f"After “Test tendon reflexes”, an expert would have placed this in {levels}."
    )
    assert clear_sentence(GBS, None) == ""
