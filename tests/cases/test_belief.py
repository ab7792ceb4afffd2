"""The expert belief over levels: its laws (property tests) on every case in the library."""

from __future__ import annotations

import math
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cases.engine.belief import (
    PRESENTATION,
    Belief,
    answer_levels,
    belief_points,
    beliefs_for,
    clear_point,
    main_rival,
    presentation_belief,
    separating_findings,
    updated,
)
from cases.engine.levels import LEVEL_IDS
from cases.engine.schema import Case
from cases.engine.scoring import expert_events
from cases.engine.state import Step, replay, start, step_taken
from cases.engine.validation import load_case_file
from cases.models import state_from_snapshot, state_snapshot

CASES_DIR = Path(__file__).resolve().parents[2] / "content" / "cases"
LIBRARY = {path.stem: load_case_file(path) for path in sorted(CASES_DIR.glob("*.toml"))}
CASE_IDS = list(LIBRARY)


def findings(case: Case) -> list[Step]:
    """Every finding the case can show: each action in each stage where it is offered."""
    return [
        step_taken(action, stage, 0)
        for action in case.actions
        for stage in action.stages
        if action.supports or action.against or action.by_stage
    ]


levels = st.lists(st.sampled_from(LEVEL_IDS), unique=True, max_size=4)


@given(
    evidence=st.lists(
        st.tuples(levels, levels, st.floats(min_value=0.25, max_value=5)), max_size=12
    )
)
def test_belief_always_sums_to_one(evidence):
    belief = Belief()
    for supports, against, weight in evidence:
        belief = updated(belief, supports, [lv for lv in against if lv not in supports], weight)
        assert math.isclose(sum(belief.probabilities.values()), 1.0, rel_tol=1e-9)
        assert all(0 <= p <= 1 for p in belief.probabilities.values())


@pytest.mark.parametrize("case_id", CASE_IDS)
@settings(max_examples=40, deadline=None)
@given(data=st.data())
def test_supporting_finding_never_lowers_its_levels(case_id, data):
    case = LIBRARY[case_id]
    shown = findings(case)
    before = data.draw(st.lists(st.sampled_from(shown), max_size=8))
    step = data.draw(st.sampled_from(shown))
    prior = beliefs_for(case, before)[-1]
    after = beliefs_for(case, [*before, step])[-1]
    for level in step.supports:
        assert after.probability(level) >= prior.probability(level) - 1e-12


@pytest.mark.parametrize("case_id", CASE_IDS)
@settings(max_examples=40, deadline=None)
@given(data=st.data())
def test_order_of_findings_does_not_change_the_final_belief(case_id, data):
    case = LIBRARY[case_id]
    chosen = data.draw(st.lists(st.sampled_from(findings(case)), max_size=10))
    shuffled = data.draw(st.permutations(chosen))
    one = beliefs_for(case, chosen)[-1].probabilities
    other = beliefs_for(case, shuffled)[-1].probabilities
    for level in LEVEL_IDS:
        assert math.isclose(one[level], other[level], rel_tol=1e-9, abs_tol=1e-12)


@pytest.mark.parametrize("case_id", CASE_IDS)
def test_expert_path_ends_with_the_answer_ahead_of_every_other_level(case_id):
    case = LIBRARY[case_id]
    belief = replay(case, expert_events(case)).belief
    full = answer_levels(case)
    best = max(belief.probability(level) for level in full)
    for level in LEVEL_IDS:
        if level not in full:
            assert best > belief.probability(level), (level, belief.ranked)


@pytest.mark.parametrize("case_id", CASE_IDS)
def test_the_same_finding_twice_adds_no_evidence(case_id):
    case = LIBRARY[case_id]
    step = findings(case)[0]
    assert beliefs_for(case, [step, step])[-1] == beliefs_for(case, [step])[-1]


def test_replay_keeps_a_belief_after_the_presentation_and_after_every_step():
    case = LIBRARY["gbs-ascending"]
    state = replay(case, expert_events(case))
    assert len(state.beliefs) == len(state.steps) + 1
    assert state.beliefs[0] == presentation_belief(case)
    assert state.beliefs == beliefs_for(case, state.steps)


def test_a_stored_snapshot_gives_back_the_same_beliefs():
    case = LIBRARY["gbs-ascending"]
    events = expert_events(case)
    state = replay(case, events)
    restored = state_from_snapshot(state_snapshot(state, len(events)), len(events), case)
    assert restored is not None
    assert restored.beliefs == state.beliefs


def test_absent_reflexes_move_belief_away_from_muscle_in_gbs():
    case = LIBRARY["gbs-ascending"]
    state = start(case)
    before = state.belief.probability("muscle")
    after = replay(case, [{"type": "take_action", "action": "exam-reflexes"}]).belief
    assert after.probability("muscle") < before
    assert after.probability("peripheral-nerve") > state.belief.probability("peripheral-nerve")


def test_uniform_prior_when_the_presentation_says_nothing():
    case = LIBRARY["gbs-ascending"]
    if case.patient.supports or case.patient.against:
        pytest.skip("this case's presentation carries evidence")
    for p in presentation_belief(case).probabilities.values():
        assert math.isclose(p, 1 / len(LEVEL_IDS))


def test_clear_point_names_the_first_step_where_the_answer_leads_clearly():
    case = LIBRARY["gbs-ascending"]
    state = replay(case, expert_events(case))
    points = belief_points(case, state.steps, state.beliefs)
    assert points[0].action == PRESENTATION
    found = clear_point(case, points)
    assert found is not None and found.index > 0
    earlier = points[: found.index]
    full = answer_levels(case)
    assert all(point.belief.mass(full) < 0.6 or point.leader not in full for point in earlier)
    assert found.belief.mass(full) >= 0.6


def test_separating_findings_tell_the_answer_from_muscle_in_gbs():
    case = LIBRARY["gbs-ascending"]
    found = {
        a.id for a in separating_findings(case, "peripheral-nerve", "muscle", expert_events(case))
    }
    assert {"exam-reflexes", "exam-sensation"} <= found
    assert "fvc" not in found  # a finding that moves no level separates nothing


def test_main_rival_is_never_a_full_credit_level():
    for case in LIBRARY.values():
        belief = replay(case, expert_events(case)).belief
        assert main_rival(case, belief) not in answer_levels(case)


def _guide_example() -> Case:
    import tomllib

    from cases.engine.validation import load_case

    guide = (Path(__file__).resolve().parents[2] / "docs" / "case-format.md").read_text()
    section = guide.split("## A complete example", 1)[1]
    return load_case(tomllib.loads(section.split("```toml\n", 1)[1].split("```", 1)[0]))


def test_the_belief_table_in_the_authors_guide_is_what_the_engine_computes():
    case = _guide_example()
    state = replay(case, expert_events(case))
    rows = {
        point.action: [round(p * 100) for p in point.probabilities.values()]
        for point in belief_points(case, state.steps, state.beliefs)
    }
    assert rows[PRESENTATION] == [14] * 7
    assert rows["hx-pain"] == [12, 12, 25, 12, 12, 12, 12]
    assert rows["exam-power"] == [9, 9, 36, 18, 9, 9, 9]
    assert rows["exam-reflexes"] == [0, 5, 73, 9, 5, 5, 5]
    assert rows["exam-sensation"] == [0, 3, 84, 5, 3, 3, 3]
    assert clear_point(case, belief_points(case, state.steps, state.beliefs)).action == (
        "exam-reflexes"
    )


def test_the_localization_example_in_the_authors_guide():
    from cases.engine.scoring import score

    case = _guide_example()
    skipped = {"exam-reflexes", "exam-sensation"}
    events = [e for e in expert_events(case) if e["action"] not in skipped]
    commit = {"type": "commit", "level": "nerve-root", "diagnosis": "", "confidence": ""}
    result = score(case, replay(case, [*events, commit]))
    assert round(result.localization * 100) == 21
    assert result.rival == "upper-motor-neuron"
    assert {a.id for a in result.separating} == skipped


def test_log_odds_of_a_set_of_levels_is_exact_even_where_the_mass_rounds_to_one():
    belief = updated(Belief(), ["muscle"], [], weight=3)  # muscle's odds times 2**3
    # mass = 8 / (8 + 6): log-odds ln(8 / 6)
    assert belief.log_odds(["muscle"]) == pytest.approx(math.log(8 / 6))
    assert belief.log_odds(["muscle", "neuromuscular-junction"]) == pytest.approx(math.log(9 / 5))
    assert belief.log_odds(["upper-motor-neuron"]) == pytest.approx(math.log(1 / 13))
    certain = updated(Belief(), ["muscle"], [], weight=80)  # 2**80 : 6, mass 1.0 in floats
    assert certain.mass(["muscle"]) == 1.0
    assert certain.log_odds(["muscle"]) == pytest.approx(80 * math.log(2) - math.log(6))
    assert Belief().log_odds([]) == -math.inf
    assert Belief().log_odds(LEVEL_IDS) == math.inf
