"""The debrief's reasoning data: both paths' beliefs, the clear step, and what was missing."""

from __future__ import annotations

from pathlib import Path

from cases.engine.levels import LEVEL_IDS
from cases.engine.reasoning import reasoning
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
