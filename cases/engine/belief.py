"""The expert's belief over the seven levels, moved finding by finding, so reasoning can be scored.

The model is deliberately small, deterministic and explainable (docs/scoring.md):

* Every level starts with the same score, plus whatever the author says the presentation
  itself shows (`[patient] supports / against`).
* Each finding the learner uncovers multiplies the odds of every level it `supports` by
  SUPPORT_RATIO and of every level it is `against` by AGAINST_RATIO, raised to the finding's
  `weight` (1 unless the author marks a finding as decisive, e.g. weight = 2).
* The belief is the scores normalised to sum to 1 (a softmax over log-odds).

A finding counts once: taking the same action again in the same stage shows the same finding
and adds no evidence (a repeated FVC tells the expert nothing new about the level). Because
evidence adds up in log space, the order of findings never changes the final belief, and a
finding that supports a level can never lower that level's belief.

Public API (used by state.py, scoring.py, review.py and, through cases.engine.reasoning, the
debrief):

* `Belief` - frozen; `.probability(level)`, `.probabilities` (dict in pathway order),
  `.leader`, `.ranked`, `.mass(levels)`, `.log_odds(levels)`.
* `presentation_belief(case)` - the belief before any action.
* `updated(belief, supports, against, weight)` - the belief after one finding.
* `beliefs_for(case, steps)` - the belief after the presentation and after every step (the
  same tuple `replay` keeps as `AttemptState.beliefs`).
* `belief_points(case, steps, beliefs)` - labelled points for a chart: one per step.
* `answer_levels(case)`, `is_clear(case, belief)`, `clear_point(case, points)` - the first point
  where the belief pointed clearly to the answer (its levels lead with >= CLEAR_BELIEF).
* `main_rival(case, belief)`, `mimic(case, expert_belief)` - the answer's closest non-answer level.
* `separating_findings(case, level, rival, events)` - findings on a path that tell the two apart.
* `evidence_share(case, belief, expert, start)` - the share of the expert's separation of the
  answer from every other level that a belief holds: the factor of the localization score.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import cached_property
from typing import TYPE_CHECKING, Any

from cases.engine.levels import LEVEL_IDS, level_label

if TYPE_CHECKING:  # the state module imports this one
    from cases.engine.schema import Action, Case
    from cases.engine.state import Step

SUPPORT_RATIO = 2.0  # a supporting finding doubles the odds of each level it supports
AGAINST_RATIO = 1 / 5  # a finding against a level divides that level's odds by five
CLEAR_BELIEF = 0.6  # the answer's levels together hold at least this much: "clearly"
PRESENTATION = "presentation"

_SUPPORT = math.log(SUPPORT_RATIO)
_AGAINST = math.log(AGAINST_RATIO)
_INDEX = {level: index for index, level in enumerate(LEVEL_IDS)}


@dataclass(frozen=True)
class Belief:
    """Log-scores for the seven levels, in LEVEL_IDS order; probabilities are derived."""

    scores: tuple[float, ...] = (0.0,) * len(LEVEL_IDS)

    @cached_property
    def probabilities(self) -> dict[str, float]:
        top = max(self.scores)
        weights = [math.exp(score - top) for score in self.scores]
        total = sum(weights)
        return {level: weight / total for level, weight in zip(LEVEL_IDS, weights, strict=True)}

    def probability(self, level: str) -> float:
        return self.probabilities[level]

    def mass(self, levels: Iterable[str]) -> float:
        """The belief held by a set of levels together (e.g. all full-credit levels)."""
        wanted = set(levels)
        return sum(p for level, p in self.probabilities.items() if level in wanted)

    def log_odds(self, levels: Iterable[str]) -> float:
        """ln(mass / (1 - mass)) of a set of levels, computed without rounding to 0 or 1."""
        wanted = set(levels)
        inside = [s for level, s in zip(LEVEL_IDS, self.scores, strict=True) if level in wanted]
        outside = [
            s for level, s in zip(LEVEL_IDS, self.scores, strict=True) if level not in wanted
        ]
        if not inside:
            return -math.inf
        if not outside:
            return math.inf
        return _log_sum_exp(inside) - _log_sum_exp(outside)

    @property
    def ranked(self) -> tuple[tuple[str, float], ...]:
        """(level, probability), highest first; ties keep pathway order."""
        return tuple(sorted(self.probabilities.items(), key=lambda item: -item[1]))

    @property
    def leader(self) -> str:
        return self.ranked[0][0]


def _log_sum_exp(values: Sequence[float]) -> float:
    top = max(values)
    return top + math.log(sum(math.exp(value - top) for value in values))


def updated(
    belief: Belief, supports: Iterable[str], against: Iterable[str], weight: float = 1.0
) -> Belief:
    """The belief after one finding that supports and argues against the given levels."""
    scores = list(belief.scores)
    for level in supports:
        scores[_INDEX[level]] += weight * _SUPPORT
    for level in against:
        scores[_INDEX[level]] += weight * _AGAINST
    return Belief(tuple(scores))


def presentation_belief(case: Case) -> Belief:
    """The belief from the presentation alone: uniform, moved by what the author says it shows."""
    patient = case.patient
    return updated(Belief(), patient.supports, patient.against, patient.weight)


def evidence_key(step: Step) -> tuple[str, str]:
    """A finding is one action in one stage: the same pair again adds no new evidence."""
    return (step.action, step.stage)


def next_belief(belief: Belief, step: Step, seen: Iterable[tuple[str, str]]) -> Belief:
    """The belief after `step`, given the evidence keys already counted before it."""
    if evidence_key(step) in set(seen):
        return belief
    return updated(belief, step.supports, step.against, step.weight)


def beliefs_for(case: Case, steps: Sequence[Step]) -> tuple[Belief, ...]:
    """The belief after the presentation, then after each step (len(steps) + 1 beliefs)."""
    belief = presentation_belief(case)
    found = [belief]
    seen: set[tuple[str, str]] = set()
    for step in steps:
        belief = next_belief(belief, step, seen)
        seen.add(evidence_key(step))
        found.append(belief)
    return tuple(found)


def answer_levels(case: Case) -> tuple[str, ...]:
    """The levels that earn full credit (the answer and any level the disease truly spans)."""
    return tuple(
        level
        for level in LEVEL_IDS
        if level == case.localization.answer or case.localization.credit_for(level) >= 1.0
    )


@dataclass(frozen=True)
class BeliefPoint:
    """The belief after one step of a path (index 0: the presentation, before any action)."""

    index: int
    action: str  # "presentation" for index 0
    label: str
    minute: int  # the clock when the finding was in hand (the step's start plus its minutes)
    belief: Belief

    @property
    def probabilities(self) -> dict[str, float]:
        return self.belief.probabilities

    @property
    def leader(self) -> str:
        return self.belief.leader


def belief_points(
    case: Case, steps: Sequence[Step], beliefs: Sequence[Belief] | None = None
) -> tuple[BeliefPoint, ...]:
    """One labelled point per step (and one for the presentation), for a chart or a table."""
    beliefs = beliefs if beliefs is not None else beliefs_for(case, steps)
    points = [BeliefPoint(0, PRESENTATION, "Presentation", 0, beliefs[0])]
    for index, (step, belief) in enumerate(zip(steps, beliefs[1:], strict=True), start=1):
        ready = step.minute + step.minutes  # the clock once the finding is in hand
        points.append(BeliefPoint(index, step.action, step.label, ready, belief))
    return tuple(points)


def is_clear(case: Case, belief: Belief) -> bool:
    """The answer's levels lead and together hold at least CLEAR_BELIEF of the belief."""
    levels = answer_levels(case)
    return belief.leader in levels and belief.mass(levels) >= CLEAR_BELIEF


def clear_point(case: Case, points: Sequence[BeliefPoint]) -> BeliefPoint | None:
    """The first point at which the belief pointed clearly to the answer, or None if never.

    For the debrief: "After <label>, an expert would have placed this in <answer levels>".
    """
    for point in points:
        if is_clear(case, point.belief):
            return point
    return None


def main_rival(case: Case, belief: Belief) -> str:
    """The level with the most belief among those that earn less than full credit."""
    levels = set(answer_levels(case))
    return next(level for level, _ in belief.ranked if level not in levels)


def mimic(case: Case, expert: Belief) -> str:
    """The answer's main mimic: the one the author names, else the expert's runner-up."""
    return case.localization.mimic or main_rival(case, expert)


def separation(step_or_finding: Any, level: str, rival: str) -> float:
    """How far one finding moves `level` ahead of `rival` (log-odds; negative: towards rival)."""

    def effect(target: str) -> float:
        value = 0.0
        if target in step_or_finding.supports:
            value += _SUPPORT
        if target in step_or_finding.against:
            value += _AGAINST
        return value * step_or_finding.weight

    return effect(level) - effect(rival)


def separating_findings(
    case: Case, level: str, rival: str, events: Iterable[Mapping[str, Any]]
) -> tuple[Action, ...]:
    """The actions on a path (events, e.g. `expert_events(case)`) whose finding moves `level`
    ahead of `rival`, strongest first: what would have separated a committed level from the
    runner-up. Each action appears once, with the finding of the stage it was taken in."""
    from cases.engine.state import EventRejected, apply, start  # state imports this module

    state = start(case)
    for event in events:
        if event.get("type") == "commit":
            break
        try:
            state = apply(case, state, event)
        except EventRejected:
            continue
    best: dict[str, float] = {}
    for step in state.steps:
        gain = separation(step, level, rival)
        if gain > 0 and gain > best.get(step.action, 0.0):
            best[step.action] = gain
    ordered = sorted(best, key=lambda action: -best[action])
    return tuple(case.action_by_id[action] for action in ordered)


def describe(levels: Iterable[str]) -> str:
    """'the nerve roots or peripheral nerves'-style text: labels joined with 'or'."""
    labels = [level_label(level) for level in levels]
    if len(labels) <= 1:
        return "".join(labels)
    return ", ".join(labels[:-1]) + " or " + labels[-1]


@dataclass(frozen=True)
class EvidenceShare:
    """How far a learner's findings set the answer apart, against a full expert work-up.

    `share` is, over every level that earns less than full credit, the smallest ratio of the
    learner's separation of the answer from that level to the expert's (each clipped to 0..1);
    `rival` is that level: the alternative the learner's findings left closest.
    """

    share: float
    rival: str


EPSILON = 1e-9


def _separation(belief: Belief, levels: tuple[str, ...], rival: str) -> float:
    inside = [belief.scores[_INDEX[level]] for level in levels]
    return _log_sum_exp(inside) - belief.scores[_INDEX[rival]]


def evidence_share(
    case: Case, belief: Belief, expert: Belief, start: Belief | None = None
) -> EvidenceShare:
    """The share of the expert's evidence for the answer that `belief` holds (see EvidenceShare).

    `start` is the belief before any action (the presentation); separation is counted from
    there, so what the vignette gives every learner earns nothing by itself.
    """
    start = start if start is not None else presentation_belief(case)
    levels = answer_levels(case)
    named = case.localization.mimic
    ratios: list[tuple[float, int, float, str]] = []
    for rival in LEVEL_IDS:
        if rival in levels:
            continue
        base = _separation(start, levels, rival)
        wanted = _separation(expert, levels, rival) - base
        if wanted <= EPSILON:
            continue  # the expert's findings do not separate these two either
        got = _separation(belief, levels, rival) - base
        ratio = min(1.0, max(0.0, got / wanted))
        # On a tie, name the author's mimic, then the level the learner's belief holds highest.
        ratios.append(
            (round(ratio, 9), 0 if rival == named else 1, -belief.probability(rival), rival)
        )
    if not ratios:
        return EvidenceShare(share=1.0, rival="")
    ratio, _, _, rival = min(ratios)
    return EvidenceShare(share=ratio, rival=rival)
