"""The attempt as a pure state machine: events in, a new frozen state out, replayable at will."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from typing import Any

from cases.engine.belief import (
    Belief,
    beliefs_for,
    evidence_key,
    presentation_belief,
    updated,
)
from cases.engine.levels import LEVEL_IDS, level_label
from cases.engine.schema import CONFIDENCES, Action, Case, LevelReading, Rule, TagReading

EVENT_TYPES: tuple[str, ...] = ("take_action", "choose_decision", "record_localization", "commit")


class EventRejected(Exception):
    """An event the case does not allow; the message is written for the learner."""

    def __init__(self, message: str):
        self.message = message
        super().__init__(message)


@dataclass(frozen=True)
class Step(TagReading, LevelReading):
    """One action the learner took, with what it revealed at that moment."""

    action: str
    kind: str
    label: str
    stage: str
    minute: int  # the clock when the action was taken
    minutes: int
    cost: int
    finding: str
    value: str
    normal: str
    supports: tuple[str, ...]
    against: tuple[str, ...]
    teaching: str
    tags: tuple[str, ...]
    weight: float = 1.0


def step_taken(action: Action, stage: str, minute: int) -> Step:
    """The step recorded when `action` is taken in `stage` at `minute`, with its finding there."""
    seen = action.finding_at(stage)
    return Step(
        action=action.id,
        kind=action.kind,
        label=action.label,
        stage=stage,
        minute=minute,
        minutes=action.minutes,
        cost=action.cost,
        finding=seen.finding,
        value=seen.value,
        normal=seen.normal,
        supports=seen.supports,
        against=seen.against,
        teaching=seen.teaching,
        tags=action.tags,
        weight=seen.weight,
    )


@dataclass(frozen=True)
class FiredRule:
    rule: str
    minute: int
    message: str
    from_stage: str
    goto: str  # "" when the rule only told the learner something
    deterioration: bool


@dataclass(frozen=True)
class StageVisit:
    """Entering a stage: at the start, by a decision (`via` = action id) or a rule (rule id)."""

    stage: str
    minute: int
    by: str  # "start" | "decision" | "rule"
    via: str


@dataclass(frozen=True)
class WorkingLocalization:
    level: str
    minute: int

    @property
    def label(self) -> str:
        return level_label(self.level)


@dataclass(frozen=True)
class FinalAnswer:
    level: str
    diagnosis: str  # "" when the learner gave none
    confidence: str  # "" when the learner gave none
    minute: int

    @property
    def label(self) -> str:
        return level_label(self.level)


@dataclass(frozen=True)
class AttemptState:
    stage: str
    minute: int
    cost: int
    steps: tuple[Step, ...] = ()
    fired: tuple[FiredRule, ...] = ()
    localizations: tuple[WorkingLocalization, ...] = ()
    visits: tuple[StageVisit, ...] = ()
    answer: FinalAnswer | None = None
    finished: bool = False
    taken: frozenset[str] = frozenset()  # ids of every action taken at least once
    # The expert belief over levels after the presentation (index 0) and after each step
    # (index i: after steps[i - 1]); see cases.engine.belief. Empty only for hand-built states.
    beliefs: tuple[Belief, ...] = ()
    counted: frozenset[tuple[str, str]] = frozenset()  # (action, stage) findings in the belief

    @property
    def belief(self) -> Belief | None:
        """The expert belief now (after the last step), or None for a hand-built state."""
        return self.beliefs[-1] if self.beliefs else None

    @property
    def current_localization(self) -> WorkingLocalization | None:
        return self.localizations[-1] if self.localizations else None

    @property
    def deteriorated(self) -> bool:
        return any(fired.deterioration for fired in self.fired)

    @property
    def visited(self) -> frozenset[str]:
        return frozenset(visit.stage for visit in self.visits)

    def first_taken_minute(self, action_id: str) -> int | None:
        for step in self.steps:
            if step.action == action_id:
                return step.minute
        return None


def _rule_holds(rule: Rule, state: AttemptState) -> bool:
    if state.minute < rule.after_minutes:
        return False
    if rule.in_stages and state.stage not in rule.in_stages:
        return False
    if any(action in state.taken for action in rule.unless_done):
        return False
    return all(action in state.taken for action in rule.if_done)


def _fire_rules(case: Case, state: AttemptState) -> AttemptState:
    """Fires, in file order, every rule whose conditions hold, each at most once per attempt.

    A rule that moves the patient can make an earlier rule true, so passes repeat until
    nothing more fires; after any event no unfired rule's conditions hold.
    """
    if not case.rules:
        return state
    fired_ids = {fired.rule for fired in state.fired}
    changed = True
    while changed:
        changed = False
        for rule in case.rules:
            if rule.id in fired_ids or not _rule_holds(rule, state):
                continue
            fired_ids.add(rule.id)
            changed = True
            moves = bool(rule.goto) and rule.goto != state.stage
            record = FiredRule(
                rule=rule.id,
                minute=state.minute,
                message=rule.message,
                from_stage=state.stage,
                goto=rule.goto if moves else "",
                deterioration=rule.deterioration,
            )
            state = replace(
                state,
                fired=(*state.fired, record),
                stage=rule.goto if moves else state.stage,
                visits=(
                    (*state.visits, StageVisit(rule.goto, state.minute, "rule", rule.id))
                    if moves
                    else state.visits
                ),
            )
    return state


def start(case: Case) -> AttemptState:
    """A fresh attempt: the first stage, minute 0, nothing done (rules already due have fired)."""
    first = case.first_stage.id
    state = AttemptState(
        stage=first,
        minute=0,
        cost=0,
        visits=(StageVisit(first, 0, "start", ""),),
        beliefs=(presentation_belief(case),),
    )
    return _fire_rules(case, state)


def available_actions(case: Case, state: AttemptState) -> tuple[Action, ...]:
    """Non-decision actions the learner can take now (repeatables stay, others go once done)."""
    if state.finished:
        return ()
    return tuple(
        action
        for action in case.actions
        if not action.is_decision
        and state.stage in action.stages
        and (action.repeatable or action.id not in state.taken)
    )


def available_decisions(case: Case, state: AttemptState) -> tuple[Action, ...]:
    """Decisions the learner can choose now."""
    if state.finished:
        return ()
    return tuple(
        action
        for action in case.actions
        if action.is_decision
        and state.stage in action.stages
        and (action.repeatable or action.id not in state.taken)
    )


def _text(event: Mapping[str, Any], key: str) -> str:
    value = event.get(key, "")
    if value is None:
        return ""
    if not isinstance(value, str):
        raise EventRejected(f"The {key} must be given as text.")
    return value


def _take(
    case: Case, state: AttemptState, event: Mapping[str, Any], *, decision: bool
) -> AttemptState:
    action_id = _text(event, "action")
    action = case.action_by_id.get(action_id)
    if action is None:
        raise EventRejected(f"There is no action '{action_id}' in this case.")
    if decision and not action.is_decision:
        raise EventRejected(f"'{action.label}' is not a decision; take it as an action instead.")
    if not decision and action.is_decision:
        raise EventRejected(f"'{action.label}' is a decision; choose it rather than take it.")
    if state.stage not in action.stages:
        stage = case.stage_by_id[state.stage]
        raise EventRejected(f"'{action.label}' is not available now ({stage.title}).")
    if action.id in state.taken and not action.repeatable:
        raise EventRejected(f"'{action.label}' has already been done; its result is in your notes.")

    step = step_taken(action, state.stage, state.minute)
    minute = state.minute + action.minutes
    # A decision without `goto` records a management choice and leaves the patient where she is.
    moves = action.is_decision and bool(action.goto) and action.goto != state.stage
    so_far = state.beliefs or beliefs_for(case, state.steps)
    counted = state.counted if state.beliefs else frozenset(map(evidence_key, state.steps))
    key = evidence_key(step)
    if key in counted:  # the same finding again: no new evidence
        belief = so_far[-1]
    else:
        belief = updated(so_far[-1], step.supports, step.against, step.weight)
        counted = counted | {key}
    return replace(
        state,
        minute=minute,
        cost=state.cost + action.cost,
        steps=(*state.steps, step),
        beliefs=(*so_far, belief),
        counted=counted,
        taken=state.taken | {action.id},
        stage=action.goto if moves else state.stage,
        visits=(
            (*state.visits, StageVisit(action.goto, minute, "decision", action.id))
            if moves
            else state.visits
        ),
    )


def _level(event: Mapping[str, Any]) -> str:
    level = _text(event, "level")
    if level not in LEVEL_IDS:
        shown = f"'{level}'" if level else "an empty level"
        raise EventRejected(f"{shown} is not a localization level.")
    return level


def apply(case: Case, state: AttemptState, event: Mapping[str, Any]) -> AttemptState:
    """The state after one event; raises EventRejected (leaving `state` as it was) if not allowed.

    Events are plain dicts so they store as JSON:
    {"type": "take_action", "action": id}, {"type": "choose_decision", "action": id},
    {"type": "record_localization", "level": id},
    {"type": "commit", "level": id, "diagnosis": id or "", "confidence": "low"|"medium"|"high"}.
    """
    if not isinstance(event, Mapping):
        raise EventRejected("An event must be a mapping with a 'type'.")
    if state.finished:
        raise EventRejected("This attempt is finished; nothing more can be changed.")
    kind = event.get("type")
    if kind == "take_action":
        state = _take(case, state, event, decision=False)
    elif kind == "choose_decision":
        state = _take(case, state, event, decision=True)
    elif kind == "record_localization":
        noted = WorkingLocalization(_level(event), state.minute)
        return replace(state, localizations=(*state.localizations, noted))
    elif kind == "commit":
        level = _level(event)
        diagnosis = _text(event, "diagnosis")
        if diagnosis and diagnosis not in {option.id for option in case.diagnosis.options}:
            raise EventRejected(f"'{diagnosis}' is not one of this case's diagnoses.")
        confidence = _text(event, "confidence")
        if confidence and confidence not in CONFIDENCES:
            raise EventRejected("Confidence must be low, medium or high.")
        # Whatever the clock has already reached happens before the answer is recorded, so
        # committing cannot dodge a deterioration that was due.
        state = _fire_rules(case, state)
        answer = FinalAnswer(level, diagnosis, confidence, state.minute)
        return replace(state, answer=answer, finished=True)
    else:
        expected = ", ".join(EVENT_TYPES)
        raise EventRejected(f"Unknown event type {kind!r}; expected one of {expected}.")
    # Only actions move the clock, the stage or the set of done actions, so only they can
    # make a rule's conditions come true.
    return _fire_rules(case, state)


def replay(case: Case, events: Iterable[Mapping[str, Any]]) -> AttemptState:
    """The state an attempt reaches from its stored events; raises EventRejected on a bad one."""
    state = start(case)
    for event in events:
        state = apply(case, state, event)
    return state
