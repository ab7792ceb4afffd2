"""Everything the debrief needs to show the reasoning: the belief step by step on both paths.

One call, `reasoning(case, state)`, gives the learner's path and the expert's path as belief
points (presentation first, then one per step), where each first pointed clearly to the answer,
the sentence that names that step, the learner's working localizations, and, when the learner
committed without the evidence, the level they had not ruled out and the findings that would
have. Pure: a template or a selector reads it; nothing here touches the database.
"""

from __future__ import annotations

from dataclasses import dataclass

from cases.engine.belief import (
    CLEAR_BELIEF,
    BeliefPoint,
    answer_levels,
    belief_points,
    beliefs_for,
    clear_point,
    describe,
    evidence_share,
    separating_findings,
)
from cases.engine.levels import LEVEL_IDS, level_label
from cases.engine.schema import Action, Case
from cases.engine.scoring import expert_events
from cases.engine.state import AttemptState, WorkingLocalization, replay


@dataclass(frozen=True)
class Reasoning:
    """The belief story of one attempt beside the expert's (probabilities in LEVEL_IDS order)."""

    levels: tuple[str, ...]  # LEVEL_IDS: the rows of a chart or table
    answer_levels: tuple[str, ...]  # the full-credit levels
    learner: tuple[BeliefPoint, ...]
    expert: tuple[BeliefPoint, ...]
    learner_clear: BeliefPoint | None  # first learner step where the answer was clear
    expert_clear: BeliefPoint | None
    expert_clear_sentence: str  # "After <step>, an expert would have placed this in <levels>."
    working: tuple[WorkingLocalization, ...]  # the learner's working localizations, in order
    evidence: float  # share of the expert's evidence the learner had (0..1)
    rival: str  # the level the learner's findings left closest ("" if none)
    separating: tuple[Action, ...]  # expert findings, not taken, that separate answer and rival
    # For a committed level short of full credit: the expert findings that tell the answer from
    # it, strongest first (taken or not: the debrief can mark which the learner had).
    against_choice: tuple[Action, ...] = ()
    clear_threshold: float = CLEAR_BELIEF

    @property
    def rival_label(self) -> str:
        return level_label(self.rival) if self.rival else ""

    @property
    def committed_early(self) -> bool:
        """Committed (or stopped) before the findings separated the answer from every level."""
        return self.evidence < 1.0

    def point_at_minute(self, minute: int) -> BeliefPoint:
        """The learner's belief point in force at `minute` (to mark a working localization)."""
        found = self.learner[0]
        for point in self.learner:
            if point.minute <= minute:
                found = point
        return found


def clear_sentence(case: Case, point: BeliefPoint | None) -> str:
    """'After Test tendon reflexes..., an expert would have placed this in ...' or ''."""
    if point is None:
        return ""
    where = describe(answer_levels(case))
    if point.index == 0:
        return f"From the presentation alone, an expert would have placed this in {where}."
    return f"After “{point.label}”, an expert would have placed this in {where}."


def reasoning(case: Case, state: AttemptState) -> Reasoning:
    """The debrief's reasoning data for an attempt's state (finished or not)."""
    beliefs = state.beliefs or beliefs_for(case, state.steps)
    learner = belief_points(case, state.steps, beliefs)
    events = expert_events(case)
    expert_state = replay(case, events)
    expert = belief_points(case, expert_state.steps, expert_state.beliefs)
    share = evidence_share(case, beliefs[-1], expert_state.beliefs[-1], beliefs[0])
    separating: tuple[Action, ...] = ()
    if share.rival and share.share < 1.0:
        separating = tuple(
            action
            for action in separating_findings(case, case.localization.answer, share.rival, events)
            if action.id not in state.taken
        )
    expert_clear = clear_point(case, expert)
    against_choice: tuple[Action, ...] = ()
    chosen = state.answer.level if state.answer else ""
    if chosen and chosen not in answer_levels(case):
        against_choice = separating_findings(case, case.localization.answer, chosen, events)
    return Reasoning(
        levels=LEVEL_IDS,
        answer_levels=answer_levels(case),
        learner=learner,
        expert=expert,
        learner_clear=clear_point(case, learner),
        expert_clear=expert_clear,
        expert_clear_sentence=clear_sentence(case, expert_clear),
        working=state.localizations,
        evidence=share.share,
        rival=share.rival,
        separating=separating,
        against_choice=against_choice,
    )
