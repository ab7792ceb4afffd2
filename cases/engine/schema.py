"""The parsed shape of a case file: frozen values the engine, scoring and templates all read."""

from __future__ import annotations

from dataclasses import dataclass, field

from cases.engine.levels import PITFALLS, level_label

KINDS: tuple[str, ...] = ("history", "exam", "test", "treatment", "decision")
TAGS: tuple[str, ...] = ("key", "critical", "harmful", "low-yield")
DIFFICULTIES: tuple[str, ...] = ("easy", "medium", "hard")
SEXES: tuple[str, ...] = ("female", "male")
CONFIDENCES: tuple[str, ...] = ("low", "medium", "high")


class TagReading:
    """What an item's tags and kind say, for actions and for the steps that record them."""

    kind: str
    tags: tuple[str, ...]

    @property
    def is_key(self) -> bool:
        return "key" in self.tags

    @property
    def is_critical(self) -> bool:
        return "critical" in self.tags

    @property
    def is_harmful(self) -> bool:
        return "harmful" in self.tags

    @property
    def is_low_yield(self) -> bool:
        return "low-yield" in self.tags

    @property
    def is_decision(self) -> bool:
        return self.kind == "decision"

    @property
    def is_scored(self) -> bool:
        """Tagged key or critical: the case gives credit for doing it."""
        return self.is_key or self.is_critical


class LevelReading:
    """The levels a finding supports or argues against, as labels a learner reads."""

    supports: tuple[str, ...]
    against: tuple[str, ...]

    @property
    def supports_labels(self) -> tuple[str, ...]:
        return tuple(level_label(level) for level in self.supports)

    @property
    def against_labels(self) -> tuple[str, ...]:
        return tuple(level_label(level) for level in self.against)


@dataclass(frozen=True)
class Patient:
    age: str
    sex: str
    setting: str
    complaint: str
    vignette: str
    # What the presentation alone says about the level: the prior of the expert belief.
    supports: tuple[str, ...] = ()
    against: tuple[str, ...] = ()
    weight: float = 1.0


@dataclass(frozen=True)
class Budget:
    """What an efficient expert spends on the case: the yardstick for efficiency."""

    minutes: int
    cost: int


@dataclass(frozen=True)
class Localization:
    answer: str
    explanation: str
    credit: dict[str, float]
    # The level a learner most often mistakes the answer for ("" if the author names none).
    mimic: str = ""

    @property
    def answer_label(self) -> str:
        return level_label(self.answer)

    @property
    def credit_rows(self) -> tuple[tuple[str, str, float], ...]:
        """(level id, label, credit) for every level with credit, best first, for the debrief."""
        rows = sorted(self.credit.items(), key=lambda item: -item[1])
        return tuple((level, level_label(level), value) for level, value in rows)

    def credit_for(self, level: str) -> float:
        return self.credit.get(level, 0.0)


@dataclass(frozen=True)
class DiagnosisOption:
    id: str
    label: str
    aliases: tuple[
        str, ...
    ] = ()  # other names, so the validator can tell a card that gives it away


@dataclass(frozen=True)
class Diagnosis:
    answer: str
    options: tuple[DiagnosisOption, ...]
    explanation: str = ""

    @property
    def answer_label(self) -> str:
        return self.label_for(self.answer)

    def label_for(self, option_id: str) -> str:
        for option in self.options:
            if option.id == option_id:
                return option.label
        return option_id


@dataclass(frozen=True)
class Stage:
    id: str
    title: str
    description: str
    final: bool = False


@dataclass(frozen=True)
class StageFinding:
    """What an action reveals in one stage (the patient evolves, so findings may differ)."""

    finding: str
    value: str = ""
    normal: str = ""
    supports: tuple[str, ...] = ()
    against: tuple[str, ...] = ()
    teaching: str = ""
    weight: float = 1.0  # how strongly the finding counts in the expert belief (decisive: > 1)


@dataclass(frozen=True)
class Action(TagReading):
    id: str
    kind: str
    label: str
    minutes: int
    cost: int
    # Resolved at load time: an action whose file omits `stages` lists every stage here.
    stages: tuple[str, ...]
    finding: str = ""
    value: str = ""
    normal: str = ""
    supports: tuple[str, ...] = ()
    against: tuple[str, ...] = ()
    teaching: str = ""
    weight: float = 1.0
    tags: tuple[str, ...] = ()
    critical_by: int = 0
    repeatable: bool = False
    goto: str = ""
    # Complete findings per stage (the file's override merged over the action's own fields).
    by_stage: dict[str, StageFinding] = field(default_factory=dict)
    # Other actions that fulfil this one for thoroughness and safety (IVIG or plasma exchange).
    alternatives: tuple[str, ...] = ()

    @property
    def base_finding(self) -> StageFinding:
        return StageFinding(
            finding=self.finding,
            value=self.value,
            normal=self.normal,
            supports=self.supports,
            against=self.against,
            teaching=self.teaching,
            weight=self.weight,
        )

    def finding_at(self, stage_id: str) -> StageFinding:
        """The finding this action reveals when taken in the given stage."""
        return self.by_stage.get(stage_id) or self.base_finding


@dataclass(frozen=True)
class Rule:
    id: str
    message: str
    after_minutes: int = 0
    unless_done: tuple[str, ...] = ()
    if_done: tuple[str, ...] = ()
    in_stages: tuple[str, ...] = ()  # empty: any stage
    goto: str = ""
    deterioration: bool = False


@dataclass(frozen=True)
class Case:
    id: str
    title: str
    summary: str
    difficulty: str
    lessons: tuple[str, ...]
    pitfalls: tuple[str, ...]
    objectives: tuple[str, ...]
    patient: Patient
    budget: Budget
    localization: Localization
    diagnosis: Diagnosis
    stages: tuple[Stage, ...]
    actions: tuple[Action, ...]
    rules: tuple[Rule, ...] = ()
    stage_by_id: dict[str, Stage] = field(init=False, repr=False, compare=False)
    action_by_id: dict[str, Action] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        # Lookups are built once so the hot path (one learner action) never scans the lists.
        object.__setattr__(self, "stage_by_id", {stage.id: stage for stage in self.stages})
        object.__setattr__(self, "action_by_id", {action.id: action for action in self.actions})

    @property
    def first_stage(self) -> Stage:
        return self.stages[0]

    @property
    def final_stages(self) -> tuple[Stage, ...]:
        return tuple(stage for stage in self.stages if stage.final)

    @property
    def key_actions(self) -> tuple[Action, ...]:
        return tuple(action for action in self.actions if action.is_key)

    @property
    def critical_actions(self) -> tuple[Action, ...]:
        return tuple(action for action in self.actions if action.is_critical)

    @property
    def harmful_actions(self) -> tuple[Action, ...]:
        return tuple(action for action in self.actions if action.is_harmful)

    @property
    def pitfall_labels(self) -> tuple[str, ...]:
        return tuple(PITFALLS.get(pitfall, pitfall) for pitfall in self.pitfalls)

    def actions_in(self, stage_id: str) -> tuple[Action, ...]:
        """Actions offered in a stage, in file order."""
        return tuple(action for action in self.actions if stage_id in action.stages)
