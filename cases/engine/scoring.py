"""Scores a finished (or abandoned) attempt in separate parts, and shows what an expert would do."""

from __future__ import annotations

from dataclasses import dataclass

from cases.engine.belief import (
    answer_levels,
    beliefs_for,
    describe,
    evidence_share,
    separating_findings,
)
from cases.engine.levels import level_label
from cases.engine.schema import Action, Case
from cases.engine.state import (
    AttemptState,
    EventRejected,
    FiredRule,
    apply,
    available_decisions,
    replay,
    start,
)

# Bumped whenever a rule below changes what an attempt scores, so stored attempts can be
# re-scored (manage.py rescore_attempts). 1: the original rules; 2: localization earned by
# evidence, honest efficiency, critical actions of the expert path due on commit.
SCORING_VERSION = 2

# How much each part counts towards the overall score (they add up to 1).
SCORE_WEIGHTS: dict[str, float] = {
    "localization": 0.5,
    "thoroughness": 0.15,
    "efficiency": 0.1,
    "safety": 0.15,
    "diagnosis": 0.1,
}
# Efficiency: precision of the tests ordered, then time and money against the case budget.
EFFICIENCY_WEIGHTS: dict[str, float] = {"tests": 0.5, "time": 0.25, "cost": 0.25}
SEPARATING_SHOWN = 3  # the strongest separating findings named in the localization note
HARMFUL_PENALTY = 0.5  # taken off safety for each harmful action taken
DETERIORATION_PENALTY = 0.5  # taken off safety once if any deterioration rule fired

PART_LABELS: dict[str, str] = {
    "localization": "Localization",
    "thoroughness": "Thoroughness",
    "efficiency": "Efficiency",
    "safety": "Safety",
    "diagnosis": "Diagnosis",
}


@dataclass(frozen=True)
class ScorePart:
    """One row of the score table shown in the debrief."""

    name: str
    label: str
    value: float
    weight: float
    explanation: str

    @property
    def percent(self) -> int:
        return round(self.value * 100)


@dataclass(frozen=True)
class Score:
    localization: float
    thoroughness: float
    efficiency: float
    safety: float
    diagnosis: float
    overall: float
    localization_note: str
    thoroughness_note: str
    efficiency_note: str
    safety_note: str
    diagnosis_note: str
    missed_key_actions: tuple[Action, ...]
    missed_critical_actions: tuple[Action, ...]
    harmful_actions_taken: tuple[Action, ...]
    deteriorations: tuple[FiredRule, ...]
    # Localization earned by evidence: the case's credit for the chosen level, the share of
    # the expert's evidence the learner had (0..1), the level their findings left closest,
    # and the findings of the expert path that would have separated the two.
    credit: float = 0.0
    evidence: float = 0.0
    rival: str = ""
    separating: tuple[Action, ...] = ()

    @property
    def overall_percent(self) -> int:
        return round(self.overall * 100)

    @property
    def parts(self) -> tuple[ScorePart, ...]:
        return tuple(
            ScorePart(
                name=name,
                label=PART_LABELS[name],
                value=getattr(self, name),
                weight=weight,
                explanation=getattr(self, f"{name}_note"),
            )
            for name, weight in SCORE_WEIGHTS.items()
        )


def _first_done(state: AttemptState, action: Action) -> int | None:
    """The minute the action, or any action the case accepts instead, was first taken."""
    wanted = {action.id, *action.alternatives}
    for step in state.steps:
        if step.action in wanted:
            return step.minute
    return None


def _labels(actions: tuple[Action, ...]) -> str:
    return "; ".join(action.label for action in actions)


@dataclass(frozen=True)
class _LocalizationResult:
    value: float
    note: str
    credit: float = 0.0
    evidence: float = 0.0
    rival: str = ""
    separating: tuple[Action, ...] = ()


def _localization(case: Case, state: AttemptState, events: list[dict]) -> _LocalizationResult:
    """The credit for the committed level times the share of the expert's evidence the learner
    had uncovered when committing (cases.engine.belief.evidence_share)."""
    best = describe(answer_levels(case))
    if state.answer is None:
        return _LocalizationResult(0.0, "No final localization was committed.")
    chosen = state.answer.level
    credit = case.localization.credit_for(chosen)
    if credit == 0:
        return _LocalizationResult(
            0.0, f"You chose {level_label(chosen)}; the lesion is at {best}."
        )
    beliefs = state.beliefs or beliefs_for(case, state.steps)
    expert = replay(case, events)
    found = evidence_share(case, beliefs[-1], expert.beliefs[-1], beliefs[0])
    if chosen == case.localization.answer:
        verdict = f"You chose {level_label(chosen)}, the best level."
    elif credit == 1.0:
        verdict = f"You chose {level_label(chosen)}, which this disease truly involves."
    else:
        verdict = (
            f"You chose {level_label(chosen)}: {round(credit * 100)} % credit. "
            f"The best level is {best}."
        )
    separating: tuple[Action, ...] = ()
    if found.share >= 1.0:
        evidence_note = (
            f"Your findings set {best} apart from every other level as far as a full work-up does."
        )
    else:
        taken = state.taken
        separating = tuple(
            action
            for action in separating_findings(case, case.localization.answer, found.rival, events)
            if action.id not in taken
        )
        evidence_note = (
            f"But the findings you had when you committed set {best} apart from "
            f"{level_label(found.rival)} only {round(found.share * 100)} % as far as a full "
            f"work-up does, so you earn {round(found.share * 100)} % of that credit."
        )
        if separating:
            shown = _labels(separating[:SEPARATING_SHOWN])
            evidence_note += f" What would have told them apart: {shown}."
    return _LocalizationResult(
        value=credit * found.share,
        note=f"{verdict} {evidence_note}",
        credit=credit,
        evidence=found.share,
        rival=found.rival,
        separating=separating,
    )


def _thoroughness(case: Case, state: AttemptState) -> tuple[float, str, tuple[Action, ...]]:
    keys = case.key_actions
    missed = tuple(action for action in keys if _first_done(state, action) is None)
    if not keys:
        return 1.0, "This case has no key findings to uncover.", ()
    found = len(keys) - len(missed)
    note = f"You uncovered {found} of {len(keys)} key findings."
    if missed:
        note += f" Missed: {_labels(missed)}."
    return found / len(keys), note, missed


def _share_within(budget: int, used: int) -> float:
    return 1.0 if used == 0 else min(1.0, budget / used)


def _efficiency(
    case: Case, state: AttemptState, found: float, events: list[dict]
) -> tuple[float, str]:
    """Precision of the tests ordered, then time and money against the budget, the latter two
    scaled by `found` (the share of key findings uncovered): not spending is only efficient
    once the work is done, and ordering no test is precise only when an expert orders none."""
    tests = list(dict.fromkeys(step.action for step in state.steps if step.kind == "test"))
    # A test is pertinent when it helps localize (key) or keeps the patient safe (critical).
    pertinent = [test for test in tests if case.action_by_id[test].is_scored]
    if tests:
        precision = len(pertinent) / len(tests)
    else:
        expert_tests = [
            event["action"] for event in events if case.action_by_id[event["action"]].kind == "test"
        ]
        precision = 0.0 if expert_tests else 1.0
    time = _share_within(case.budget.minutes, state.minute) * found
    cost = _share_within(case.budget.cost, state.cost) * found
    value = (
        EFFICIENCY_WEIGHTS["tests"] * precision
        + EFFICIENCY_WEIGHTS["time"] * time
        + EFFICIENCY_WEIGHTS["cost"] * cost
    )
    if tests:
        tests_note = f"Pertinent tests: {len(pertinent)} of the {len(tests)} you ordered."
    elif precision == 0:
        tests_note = "You ordered no tests, though the case needed some."
    else:
        tests_note = "You ordered no tests, and none were needed."
    note = (
        f"{tests_note} You used {state.minute} minutes (an expert needs about "
        f"{case.budget.minutes}) and spent {state.cost} (expert budget {case.budget.cost})."
    )
    if found < 1:
        note += (
            f" Time and money saved count only as far as the work was done "
            f"({round(found * 100)} % of the key findings)."
        )
    return value, note


def _safety(
    case: Case, state: AttemptState, events: list[dict]
) -> tuple[float, str, tuple[Action, ...], tuple[Action, ...], tuple[FiredRule, ...]]:
    visited = state.visited
    # A critical action is due once the learner has been where it is offered, and also when
    # an expert's path takes it: committing early does not excuse what the case still needed.
    on_expert_path = {event["action"] for event in events}
    due = tuple(
        a
        for a in case.critical_actions
        if set(a.stages) & visited or a.id in on_expert_path or on_expert_path & set(a.alternatives)
    )
    missed = []
    for action in due:
        minute = _first_done(state, action)
        if minute is None or (action.critical_by and minute > action.critical_by):
            missed.append(action)
    harmful = tuple(
        case.action_by_id[action_id]
        for action_id in dict.fromkeys(step.action for step in state.steps if step.is_harmful)
    )
    deteriorations = tuple(fired for fired in state.fired if fired.deterioration)
    share = (len(due) - len(missed)) / len(due) if due else 1.0
    value = share - HARMFUL_PENALTY * len(harmful)
    if deteriorations:
        value -= DETERIORATION_PENALTY
    value = max(0.0, value)

    notes = []
    if due:
        notes.append(f"{len(due) - len(missed)} of {len(due)} critical actions done in time.")
    else:
        notes.append("No critical action was due.")
    if missed:
        notes.append(f"Missed or late: {_labels(tuple(missed))}.")
    if harmful:
        notes.append(f"Harmful: {_labels(harmful)}.")
    if deteriorations:
        notes.append("The patient deteriorated.")
    return value, " ".join(notes), tuple(missed), harmful, deteriorations


def _diagnosis(case: Case, state: AttemptState) -> tuple[float, str]:
    right = case.diagnosis.answer_label
    if state.answer is None or not state.answer.diagnosis:
        return 0.0, f"No diagnosis given; it was {right}."
    if state.answer.diagnosis == case.diagnosis.answer:
        return 1.0, f"You named {right}."
    chosen = case.diagnosis.label_for(state.answer.diagnosis)
    return 0.0, f"You named {chosen}; it was {right}."


def score(case: Case, state: AttemptState) -> Score:
    """Every part of the score for an attempt's state (unfinished attempts score 0 for answers)."""
    events = expert_events(case)  # the yardstick for evidence, tests and critical actions
    placed = _localization(case, state, events)
    localization, localization_note = placed.value, placed.note
    thoroughness, thoroughness_note, missed_keys = _thoroughness(case, state)
    efficiency, efficiency_note = _efficiency(case, state, thoroughness, events)
    safety, safety_note, missed_critical, harmful, deteriorations = _safety(case, state, events)
    diagnosis, diagnosis_note = _diagnosis(case, state)
    parts = {
        "localization": localization,
        "thoroughness": thoroughness,
        "efficiency": efficiency,
        "safety": safety,
        "diagnosis": diagnosis,
    }
    overall = sum(SCORE_WEIGHTS[name] * value for name, value in parts.items())
    return Score(
        **parts,
        overall=min(1.0, overall),
        localization_note=localization_note,
        thoroughness_note=thoroughness_note,
        efficiency_note=efficiency_note,
        safety_note=safety_note,
        diagnosis_note=diagnosis_note,
        missed_key_actions=missed_keys,
        missed_critical_actions=missed_critical,
        harmful_actions_taken=harmful,
        deteriorations=deteriorations,
        credit=placed.credit,
        evidence=placed.evidence,
        rival=placed.rival,
        separating=placed.separating,
    )


def _expert_order(case: Case, stage: str) -> list[Action]:
    """Critical actions with a deadline first (soonest first), then key and critical actions in
    the order the author wrote them (history, examination, tests, treatment)."""
    offered = [
        a
        for a in case.actions
        if stage in a.stages
        and (not a.is_decision or not a.goto)  # a choice that keeps the patient here
        and not a.is_harmful
        and (a.is_key or a.is_critical)
    ]
    urgent = sorted((a for a in offered if a.critical_by), key=lambda a: a.critical_by)
    return urgent + [a for a in offered if not a.critical_by]


def _work_stage(
    case: Case, state: AttemptState, events: list[dict]
) -> tuple[AttemptState, list[dict]]:
    for action in _expert_order(case, state.stage):
        if action.id in state.taken or any(alt in state.taken for alt in action.alternatives):
            continue
        kind = "choose_decision" if action.is_decision else "take_action"
        event = {"type": kind, "action": action.id}
        try:
            after = apply(case, state, event)
        except EventRejected:
            continue
        if after.deteriorated and not state.deteriorated:
            continue  # an expert would not let the clock run out for this test here
        state, events = after, [*events, event]
    return state, events


def _route(
    case: Case, state: AttemptState, events: list[dict], seen: frozenset[str]
) -> list[dict] | None:
    state, events = _work_stage(case, state, events)
    if case.stage_by_id[state.stage].final:
        return events
    # Decisions the case gives credit for come first; then the rest in file order.
    offered = available_decisions(case, state)
    ordered = [d for d in offered if d.is_scored] + [d for d in offered if not d.is_scored]
    for decision in ordered:
        if decision.is_harmful or not decision.goto:
            continue
        event = {"type": "choose_decision", "action": decision.id}
        after = apply(case, state, event)
        if (after.deteriorated and not state.deteriorated) or after.stage in seen:
            continue
        found = _route(case, after, [*events, event], seen | {after.stage})
        if found is not None:
            return found
    return None


def expert_events(case: Case, *, commit: bool = False) -> list[dict]:
    """Events for an expert's attempt: pertinent actions stage by stage, then decisions that reach
    a final stage with no harm and no deterioration; with `commit`, the right answer at the end."""
    state = start(case)
    found = _route(case, state, [], frozenset({state.stage}))
    if found is None:
        found = _work_stage(case, state, [])[1]
    if commit:
        found.append(
            {
                "type": "commit",
                "level": case.localization.answer,
                "diagnosis": case.diagnosis.answer,
                "confidence": "high",
            }
        )
    return found


def expert_path(case: Case) -> list[Action]:
    """The actions and decisions an expert would take, in order, for the debrief."""
    return [case.action_by_id[event["action"]] for event in expert_events(case)]
