"""Scoring parts with figures worked out by hand on the small test case, and the expert route.

The small case (tests/cases/malformed/base-case.toml): budget 150 minutes and 210 in cost; key
actions hx, exam, ncs; critical fvc (by minute 30, in start/icu/crash), ivig (or plex, in
start/icu) and intubate (crash only); harmful steroids; the ward and a missed FVC lead to a
deterioration.

Evidence (cases/engine/belief.py): with s = ln 2 (a finding that supports a level) and a = ln 5
(one against it), the expert's hx, exam and ncs leave peripheral nerve at 3s, nerve root at s,
UMN at -a and every other level at 0. The expert separates nerve from UMN by 3s + a, the
widest gap, so a learner with only one finding for nerve holds s / (3s + a) of that gap.
"""

from __future__ import annotations

import math
import tomllib
from pathlib import Path

import pytest

from cases.engine.schema import Case
from cases.engine.scoring import SCORE_WEIGHTS, expert_events, expert_path, score
from cases.engine.state import replay
from cases.engine.validation import load_case, load_case_file

HERE = Path(__file__).parent
ONE_FINDING_SHARE = math.log(2) / (3 * math.log(2) + math.log(5))  # about 0.19
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


def test_weights_add_up_to_one():
    assert sum(SCORE_WEIGHTS.values()) == pytest.approx(1.0)
    assert SCORE_WEIGHTS["localization"] == 0.5


def test_expert_attempt_scores_full_marks(case):
    # fvc 5 + hx 5 + exam 10 + ncs 120 + ivig 10 = 150 minutes; cost 10 + 200 = 210.
    events = [take("fvc"), take("hx"), take("exam"), take("ncs"), take("ivig"), choose("to-icu")]
    state = replay(case, [*events, commit()])
    assert (state.minute, state.cost) == (150, 210)
    result = score(case, state)
    assert [part.value for part in result.parts] == [1.0, 1.0, 1.0, 1.0, 1.0]
    assert result.overall == pytest.approx(1.0)
    assert result.overall_percent == 100
    assert result.missed_key_actions == result.missed_critical_actions == ()


def test_deteriorating_attempt(case):
    # hx (5) then CK (60): minute 65 without FVC, the decline rule moves her to crash.
    events = [take("hx"), take("ck"), take("intubate"), choose("rescue")]
    state = replay(case, [*events, commit(level="nerve-root", diagnosis="cidp")])
    result = score(case, state)
    # nerve-root has credit 0.5; hx is one finding for nerve (CK only rules out muscle).
    assert result.localization == pytest.approx(0.5 * ONE_FINDING_SHARE)
    assert result.rival == "upper-motor-neuron"
    assert result.thoroughness == pytest.approx(1 / 3)  # hx of hx, exam, ncs
    # Tests: CK only, not pertinent -> 0; time and cost within budget, but a third of the work.
    assert result.efficiency == pytest.approx(0.5 * 0 + 0.25 / 3 + 0.25 / 3)
    # Due: fvc, ivig (start/icu) and intubate (crash); only intubate done: 1/3 - 0.5 -> 0.
    assert result.safety == 0.0
    assert result.diagnosis == 0.0
    assert result.overall == pytest.approx(0.5 * 0.5 * ONE_FINDING_SHARE + 0.15 / 3 + 0.1 / 6)
    assert [a.id for a in result.missed_key_actions] == ["exam", "ncs"]
    assert [a.id for a in result.missed_critical_actions] == ["fvc", "ivig"]
    assert [fired.rule for fired in result.deteriorations] == ["decline"]


def test_over_budget_with_a_harmful_action(case):
    events = [
        take("fvc"),  # 0 -> 5, cost 10
        take("fvc"),  # 5 -> 10, cost 20 (repeats do not change which tests were ordered)
        take("ck"),  # 10 -> 70, cost 60
        take("ncs"),  # 70 -> 190, cost 260
        take("plex"),  # 190 -> 200, counts for ivig
        take("steroids"),  # 200 -> 205, harmful
        choose("to-icu"),
    ]
    state = replay(case, [*events, commit(confidence="medium")])
    assert (state.minute, state.cost) == (205, 260)
    result = score(case, state)
    # ncs is one finding for nerve; without the reflexes nothing has ruled out a cord lesion.
    assert result.localization == pytest.approx(ONE_FINDING_SHARE)
    assert [a.id for a in result.separating] == ["exam", "hx"]
    assert result.thoroughness == pytest.approx(1 / 3)  # only ncs
    # Tests fvc (critical), ck (neither), ncs (key): 2 of 3 pertinent; time and cost scaled
    # by the third of the key findings uncovered.
    assert result.efficiency == pytest.approx(
        0.5 * 2 / 3 + 0.25 * 150 / 205 / 3 + 0.25 * 210 / 260 / 3
    )
    # fvc at minute 0 and plex instead of ivig: 2 of 2 due, minus 0.5 for the steroids.
    assert result.safety == pytest.approx(0.5)
    assert result.diagnosis == 1.0
    assert [a.id for a in result.harmful_actions_taken] == ["steroids"]
    assert result.deteriorations == ()  # the steroid rule only tells the learner something


def test_critical_action_after_its_deadline_counts_as_missed(case):
    # hx 5 + exam 10 + ivig 10 + plex 10 = minute 35 when FVC is measured; its deadline is 30.
    state = replay(case, [take("hx"), take("exam"), take("ivig"), take("plex"), take("fvc")])
    result = score(case, state)
    assert [a.id for a in result.missed_critical_actions] == ["fvc"]
    assert result.safety == pytest.approx(0.5)
    assert "Missed or late: Measure FVC." in result.safety_note


def test_unfinished_attempt_scores_nothing_for_the_answers(case):
    result = score(case, replay(case, [take("hx")]))
    assert result.localization == 0.0 and result.diagnosis == 0.0
    assert result.localization_note == "No final localization was committed."


def test_wrong_level_scores_zero_and_names_the_right_one(case):
    result = score(case, replay(case, [commit(level="muscle")]))
    assert result.localization == 0.0
    assert "Peripheral nerve" in result.localization_note


def test_partial_credit_is_explained(case):
    result = score(case, replay(case, [commit(level="nerve-root")]))
    assert result.credit == 0.5
    assert "50 % credit" in result.localization_note


def test_doing_nothing_is_not_efficient(case):
    result = score(case, replay(case, [commit()]))
    assert result.efficiency == 0.0
    assert "You ordered no tests, though the case needed some." in result.efficiency_note


def test_ward_admission_fails_safety(case):
    state = replay(case, [choose("to-ward"), commit()])
    result = score(case, state)
    # Due: fvc, ivig, intubate (crash was visited); none done; deterioration -> floor at 0.
    assert result.safety == 0.0
    assert result.deteriorations[0].rule == "ward-fall"
    # Nothing examined: no localization, thoroughness or efficiency; only the diagnosis.
    assert result.overall == pytest.approx(0.1 * 1.0)


def test_critical_action_in_a_stage_never_visited_is_not_due(case):
    state = replay(case, [take("fvc"), take("ivig"), choose("to-icu"), commit()])
    result = score(case, state)
    assert "intubate" not in [a.id for a in result.missed_critical_actions]
    assert result.safety == 1.0


def test_score_parts_are_ready_for_a_template(case):
    events = [take("fvc"), take("hx"), take("exam"), take("ncs"), take("ivig"), choose("to-icu")]
    result = score(case, replay(case, [*events, commit(level="nerve-root")]))
    rows = {part.name: part for part in result.parts}
    assert rows["localization"].percent == 50
    assert rows["localization"].label == "Localization"
    assert rows["safety"].weight == 0.15
    assert all(part.explanation for part in result.parts)


def test_expert_path_takes_urgent_then_key_actions_and_avoids_the_ward(case):
    assert [action.id for action in expert_path(case)] == [
        "fvc",
        "hx",
        "exam",
        "ncs",
        "ivig",
        "to-icu",
    ]


@pytest.mark.parametrize("stem", ["gbs-ascending", "myasthenic-crisis"])
def test_expert_path_earns_full_marks_on_example_cases(stem):
    case = load_case_file(ROOT / "content" / "cases" / f"{stem}.toml")
    state = replay(case, expert_events(case, commit=True))
    assert case.stage_by_id[state.stage].final
    result = score(case, state)
    assert result.overall == pytest.approx(1.0), [p.explanation for p in result.parts]


def test_expert_path_never_takes_the_harmful_choice():
    case = load_case_file(ROOT / "content" / "cases" / "myasthenic-crisis.toml")
    path = [action.id for action in expert_path(case)]
    assert "call-myasthenic" not in path and "call-cholinergic" in path


def test_worked_example_in_the_authors_guide():
    case = load_case_file(ROOT / "content" / "cases" / "gbs-ascending.toml")
    work_up = [
        "hx-onset",
        "hx-infection",
        "hx-breathing",
        "hx-back-pain",
        "hx-sphincters",
        "exam-power",
        "exam-reflexes",
        "exam-sensation",
        "exam-cranial",
        "exam-vitals",
        "lp",
    ]
    events = [take(action_id) for action_id in work_up]
    events += [take("intubate"), choose("transfer-icu"), take("fvc"), take("mip-mep")]
    events += [take("ivig"), take("ncs"), commit(level="nerve-root", confidence="medium")]
    state = replay(case, events)
    assert [(fired.rule, fired.minute) for fired in state.fired] == [("silent-decline", 134)]
    assert (state.minute, state.cost) == (449, 390)
    result = score(case, state)
    assert (result.localization, result.thoroughness, result.efficiency) == (1.0, 1.0, 1.0)
    # Due: fvc, mip-mep, ivig, intubate and the ICU admission; fvc was late and she reached
    # intensive care through respiratory failure, not by admission: 3/5 - 0.5.
    assert result.safety == pytest.approx(0.6 - 0.5)
    assert result.overall == pytest.approx(0.5 + 0.15 + 0.1 + 0.15 * 0.1 + 0.1)
    assert [action.id for action in result.missed_critical_actions] == ["fvc", "admit-icu"]
