"""Reads for the case pages: the library, one learner's attempt, and what the play page and the
debrief show. Each page's queries are fixed in number, whatever the data; what is shown is
worked out here so templates only display it.
"""

from __future__ import annotations

import functools
import re
import threading
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from typing import Any

from django.db.models import Case as SqlCase
from django.db.models import IntegerField, OuterRef, QuerySet, Subquery, Value, When
from django.http import Http404
from django.urls import reverse

from cases.belief_chart import BeliefChart, belief_chart
from cases.clock import clock_text
from cases.diagnoses import contradicts, diagnosis_levels
from cases.engine.belief import (
    answer_levels,
    describe,
    main_rival,
)
from cases.engine.levels import LEVELS, level_label, level_short
from cases.engine.reasoning import Reasoning, reasoning
from cases.engine.schema import KINDS, Action, LevelReading
from cases.engine.schema import Case as CaseDefinition
from cases.engine.scoring import Score, ScorePart, expert_path, score
from cases.engine.state import (
    AttemptState,
    FiredRule,
    Step,
    apply,
    available_actions,
    available_decisions,
    replay,
    start,
)
from cases.engine.validation import load_case
from cases.models import (
    Attempt,
    AttemptEvent,
    Case,
    CaseVersion,
    Difficulty,
    Mode,
    Status,
    state_from_snapshot,
)
from edu.lessons.selectors import lesson_titles

# --- Parsed case versions, cached in process memory ----------------------------------------
# A version never changes, so its parsed Case (and expert path) can be kept by content hash.
# Learner state is never cached here: it lives in the database.

_PARSED_LIMIT = 128
_parsed: dict[str, CaseDefinition] = {}
_experts: dict[str, tuple[Action, ...]] = {}
_lock = threading.Lock()


def parsed_case(version: CaseVersion) -> CaseDefinition:
    """The engine's Case for a stored version; reads `definition` only on a cache miss."""
    found = _parsed.get(version.content_hash)
    if found is not None:
        return found
    case = load_case(version.definition, f"case version {version.pk} (v{version.number})")
    with _lock:
        if len(_parsed) >= _PARSED_LIMIT:
            _parsed.clear()
            _experts.clear()
        _parsed[version.content_hash] = case
    return case


def parsed_case_by_hash(content_hash: str, version_id: int) -> CaseDefinition:
    """The engine's Case for a version known by its id and content hash (as the action reads
    them with the attempt row): from the cache, or its definition read once and parsed."""
    found = _parsed.get(content_hash)
    if found is not None:
        return found
    return parsed_case(
        CaseVersion.objects.only("number", "content_hash", "definition").get(pk=version_id)
    )


def expert_steps(version: CaseVersion, case: CaseDefinition) -> tuple[Action, ...]:
    found = _experts.get(version.content_hash)
    if found is None:
        found = tuple(expert_path(case))
        _experts[version.content_hash] = found
    return found


# --- Attempts ------------------------------------------------------------------------------


def learner_attempts(user) -> QuerySet[Attempt]:
    """The user's own attempts, with their version (its definition left for the cache)."""
    if not user.is_authenticated:
        return Attempt.objects.none()
    return (
        Attempt.objects.filter(user=user)
        .select_related("case_version")
        .defer("case_version__definition")
    )


def attempt_for_learner(user, attempt_id: int) -> Attempt:
    """The user's attempt, or 404: another learner's attempt does not exist for them."""
    try:
        return learner_attempts(user).get(pk=attempt_id)
    except Attempt.DoesNotExist:
        raise Http404("No such attempt.") from None


def attempt_events(attempt: Attempt) -> list[dict[str, Any]]:
    """The attempt's events in order, in one query."""
    return list(
        AttemptEvent.objects.filter(attempt=attempt).order_by("seq").values_list("event", flat=True)
    )


def attempt_state(attempt: Attempt, case: CaseDefinition) -> AttemptState:
    """The engine state now: the stored snapshot, or a replay of the events if it is unusable."""
    state = state_from_snapshot(attempt.state, attempt.event_count, case)
    if state is None:
        state = replay(case, attempt_events(attempt))
    return state


# --- A post from a page the attempt has moved past ----------------------------------------

ALREADY_RECORDED = "That step was already recorded."


def _event_label(case: CaseDefinition, event: Mapping[str, Any]) -> str:
    """What the learner clicked, in the words of the page."""
    kind = event.get("type")
    if kind in ("take_action", "choose_decision"):
        action = case.action_by_id.get(str(event.get("action", "")))
        return f"“{action.label}”" if action else "your choice"
    if kind == "record_localization":
        return f"the working level {level_label(str(event.get('level', '')))}"
    return "your final answer"


def stale_message(
    attempt: Attempt, case: CaseDefinition, event: Mapping[str, Any], seen_seq: int
) -> str:
    """Why a post from an out-of-date page was not recorded, in one true sentence.

    The same event as the one recorded just after the page was drawn is a double click or a
    resent form: it *was* recorded. Anything else came from a page the attempt had moved past
    (another tab or window). That click is not recorded even when it would still be allowed:
    the learner chose it without seeing what happened since (a finding, the clock, a turn in
    the patient's story), and a double click on a repeatable action looks exactly like a
    deliberate second click. One query, on this rare path only.
    """
    since = list(
        AttemptEvent.objects.filter(attempt=attempt, seq__gt=seen_seq)
        .order_by("seq")
        .values_list("event", flat=True)[:2]
    )
    if len(since) == 1 and since[0] == dict(event):
        return ALREADY_RECORDED
    return (
        "This page was out of date: the case had moved on in another tab or window. "
        f"Here it is as it stands now; {_event_label(case, event)} was not recorded, "
        "so choose again if you still want it."
    )


# --- The library ---------------------------------------------------------------------------

DIFFICULTY_ORDER = SqlCase(
    When(difficulty=Difficulty.EASY, then=Value(0)),
    When(difficulty=Difficulty.MEDIUM, then=Value(1)),
    When(difficulty=Difficulty.HARD, then=Value(2)),
    default=Value(3),
    output_field=IntegerField(),
)


def library_cases(user) -> QuerySet[Case]:
    """Cases open to learners, easiest first, each with the user's last result and open attempts.

    One query however many cases or attempts: the per-learner facts are subqueries.
    """
    cases = (
        Case.objects.filter(is_active=True, current_version__isnull=False)
        .annotate(difficulty_rank=DIFFICULTY_ORDER)
        .order_by("difficulty_rank", "title")
        .only("slug", "title", "summary", "patient_line", "difficulty", "level")
    )
    if not user.is_authenticated:
        return cases
    mine = Attempt.objects.filter(user=user, case=OuterRef("pk"))
    last = mine.filter(status=Status.FINISHED).order_by("-finished_at", "-pk")
    open_ = mine.filter(status=Status.IN_PROGRESS)
    return cases.annotate(
        last_overall=Subquery(last.values("score_overall")[:1]),
        last_localization=Subquery(last.values("score_localization")[:1]),
        last_chosen_level=Subquery(last.values("chosen_level")[:1]),
        last_attempt_id=Subquery(last.values("pk")[:1]),
        open_training_id=Subquery(open_.filter(mode=Mode.TRAINING).values("pk")[:1]),
        open_assessment_id=Subquery(open_.filter(mode=Mode.ASSESSMENT).values("pk")[:1]),
    )


def active_case(slug: str) -> Case:
    try:
        return (
            Case.objects.select_related("current_version")
            .defer("current_version__definition")
            .get(slug=slug, is_active=True, current_version__isnull=False)
        )
    except Case.DoesNotExist:
        raise Http404("No such case.") from None


# --- Values against their normal range -----------------------------------------------------

_NUMBER = r"-?\d+(?:\.\d+)?"
_UNIT = r"(?P<unit>%|/min|[A-Za-zµ][\w/µ]*)?"
_RANGE = re.compile(rf"(?P<lo>{_NUMBER})\s*[-–]\s*(?P<hi>{_NUMBER})\s*{_UNIT}")
_ABOVE = re.compile(
    rf"(?:>=?|≥|above|over|more than|at least)\s*(?:about\s*)?(?P<lo>{_NUMBER})\s*{_UNIT}"
)
_BELOW = re.compile(
    rf"(?:<=?|≤|below|under|less than|fewer than)\s*(?:about\s*)?(?P<hi>{_NUMBER})\s*{_UNIT}"
)
_OR_MORE = re.compile(rf"(?P<lo>{_NUMBER})\s*{_UNIT}\s*(?:\w+\s+)?or more")


def _bounds(normal: str) -> tuple[float | None, float | None, str] | None:
    """(low, high, unit) from the first clause of a normal range, or None if not a plain range."""
    clause = re.split(r"[;,]", normal, maxsplit=1)[0]
    for pattern in (_RANGE, _ABOVE, _BELOW, _OR_MORE):
        match = pattern.search(clause)
        if match:
            groups = match.groupdict()
            low = float(groups["lo"]) if groups.get("lo") else None
            high = float(groups["hi"]) if groups.get("hi") else None
            return low, high, groups.get("unit") or ""
    return None


@functools.lru_cache(maxsize=2048)
def range_flag(value: str, normal: str) -> str:
    """ "low", "high" or "normal" when the value can be read against the range, else ""."""
    if not value or not normal:
        return ""
    bounds = _bounds(normal)
    if bounds is None:
        return ""
    low, high, unit = bounds
    if unit:
        match = re.search(rf"({_NUMBER})\s*{re.escape(unit)}(?![\w])", value)
    else:
        match = re.search(_NUMBER, value)
    if match is None:
        return ""
    number = float(match.group(1) if unit else match.group(0))
    if low is not None and number < low:
        return "low"
    if high is not None and number > high:
        return "high"
    return "normal"


# --- The play page -------------------------------------------------------------------------

KIND_LABELS: dict[str, str] = {
    "history": "History",
    "exam": "Examination",
    "test": "Tests",
    "treatment": "Treatment",
    "decision": "Decisions",
}


@dataclass(frozen=True)
class ActionGroup:
    kind: str
    label: str
    actions: tuple[Action, ...]


@dataclass(frozen=True)
class ChartRow(LevelReading):
    """One line of the running chart: a finding revealed, or something that happened."""

    minute: int
    kind: str  # an action kind, or "rule"
    label: str
    finding: str
    value: str = ""
    normal: str = ""
    flag: str = ""
    teaching: str = ""
    supports: tuple[str, ...] = ()
    against: tuple[str, ...] = ()
    tags: tuple[str, ...] = ()
    stage_title: str = ""  # the stage a decision or rule moved to
    deterioration: bool = False

    @property
    def is_rule(self) -> bool:
        return self.kind == "rule"


@dataclass(frozen=True)
class LevelMark:
    """One level on the motor-unit diagram, with what the page marks on it."""

    id: str
    label: str
    short: str
    working: bool = False
    chosen: bool = False
    correct: bool = False
    credit: float = 0.0


def _step_fields(case: CaseDefinition, step: Step, moved_to: str = "") -> dict[str, Any]:
    """What the chart and the replayed path show of one step."""
    return {
        "minute": step.minute,
        "kind": step.kind,
        "label": step.label,
        "finding": step.finding,
        "value": step.value,
        "normal": step.normal,
        "flag": range_flag(step.value, step.normal),
        "teaching": step.teaching,
        "supports": step.supports,
        "against": step.against,
        "tags": step.tags,
        "stage_title": case.stage_by_id[moved_to].title if moved_to else "",
    }


def _step_row(case: CaseDefinition, step: Step, moved_to: str = "") -> ChartRow:
    return ChartRow(**_step_fields(case, step, moved_to))


def _rule_row(case: CaseDefinition, fired: FiredRule) -> ChartRow:
    return ChartRow(
        minute=fired.minute,
        kind="rule",
        label="Deterioration" if fired.deterioration else "Update",
        finding=fired.message,
        stage_title=case.stage_by_id[fired.goto].title if fired.goto else "",
        deterioration=fired.deterioration,
    )


def chart_rows(case: CaseDefinition, state: AttemptState) -> tuple[ChartRow, ...]:
    """Findings and rule firings in the order they happened.

    A rule fires at the clock reached by the action that set it off, so each rule is placed
    after the last action that ended at or before its minute.
    """
    fired = list(state.fired)
    rows: list[ChartRow] = []
    decision_moves = {visit.via: visit.stage for visit in state.visits if visit.by == "decision"}
    clock = 0
    while fired and fired[0].minute <= clock:
        rows.append(_rule_row(case, fired.pop(0)))
    for step in state.steps:
        moved = decision_moves.get(step.action, "") if step.is_decision else ""
        rows.append(_step_row(case, step, moved))
        clock = step.minute + step.minutes
        while fired and fired[0].minute <= clock:
            rows.append(_rule_row(case, fired.pop(0)))
    rows.extend(_rule_row(case, rule) for rule in fired)
    return tuple(rows)


def level_marks(
    *,
    working: str = "",
    chosen: str = "",
    correct: str = "",
    credit: Mapping[str, float] | None = None,
) -> tuple[LevelMark, ...]:
    credit = credit or {}
    return tuple(
        LevelMark(
            id=level.id,
            label=level.label,
            short=level.short,
            working=level.id == working,
            chosen=level.id == chosen,
            correct=level.id == correct,
            credit=credit.get(level.id, 0.0),
        )
        for level in LEVELS
    )


def _grouped(actions: Iterable[Action]) -> tuple[ActionGroup, ...]:
    by_kind: dict[str, list[Action]] = {kind: [] for kind in KINDS}
    for action in actions:
        by_kind.setdefault(action.kind, []).append(action)
    return tuple(
        ActionGroup(kind, KIND_LABELS.get(kind, kind.title()), tuple(found))
        for kind, found in by_kind.items()
        if found
    )


@dataclass(frozen=True)
class PlayPage:
    attempt: Attempt
    case: CaseDefinition
    state: AttemptState
    stage_title: str
    stage_description: str
    stage_is_final: bool
    groups: tuple[ActionGroup, ...]
    decisions: tuple[Action, ...]
    chart: tuple[ChartRow, ...]
    latest: ChartRow | None
    alerts: tuple[FiredRule, ...]
    levels: tuple[LevelMark, ...]
    working_label: str
    show_teaching: bool
    error: str = ""

    @property
    def seq(self) -> int:
        return self.attempt.event_count

    @functools.cached_property
    def urls(self) -> dict[str, str]:
        """Where the play page's forms post: reversed once, not once per form."""
        pk = self.attempt.pk
        return {name: reverse(f"cases:{name}", args=[pk]) for name in ("act", "localize", "commit")}


def play_page(
    attempt: Attempt, case: CaseDefinition, state: AttemptState, *, error: str = ""
) -> PlayPage:
    """Everything the play page shows for an attempt's current state (no queries)."""
    stage = case.stage_by_id[state.stage]
    chart = chart_rows(case, state)
    working = state.current_localization
    # Rules that fired at the current minute are news: shown as an alert until the clock moves.
    alerts = tuple(fired for fired in state.fired if fired.minute == state.minute)
    return PlayPage(
        attempt=attempt,
        case=case,
        state=state,
        stage_title=stage.title,
        stage_description=stage.description,
        stage_is_final=stage.final,
        groups=_grouped(available_actions(case, state)),
        decisions=available_decisions(case, state),
        chart=chart,
        latest=next((row for row in reversed(chart) if not row.is_rule), None),
        alerts=alerts,
        levels=level_marks(working=working.level if working else ""),
        working_label=working.label if working else "",
        show_teaching=attempt.mode == Mode.TRAINING,
        error=error,
    )


# --- What one action changed on the play page ----------------------------------------------


@dataclass(frozen=True)
class ActionUpdate:
    """The pieces of the play page one plain action changed, for htmx to swap in place.

    The page after the action is kept whole (the pieces are drawn from it), with what differs
    from the page the learner was looking at: the new chart row and the one it displaces as
    the latest, the action groups whose buttons changed or went, and whether the actions must
    be drawn whole (a group appeared, or the decisions changed).
    """

    page: PlayPage
    row: ChartRow
    replaced_row: ChartRow | None  # None when the chart was empty: it is drawn whole
    groups: tuple[ActionGroup, ...]
    gone: tuple[str, ...]  # kinds of the groups with nothing left to do
    actions_redrawn: bool
    commit_bar_added: bool


def _buttons(groups: tuple[ActionGroup, ...], state: AttemptState) -> dict[str, tuple]:
    """Each group's buttons as the page shows them (a repeatable action says "repeat")."""
    return {
        group.kind: tuple((a.id, a.repeatable and a.id in state.taken) for a in group.actions)
        for group in groups
    }


def action_update(
    attempt: Attempt, case: CaseDefinition, before: AttemptState, after: AttemptState
) -> ActionUpdate | None:
    """What one action changed, or None when the whole play area should be drawn again.

    Only a plain action (history, examination, test, treatment) that added one row to the
    chart and nothing else qualifies. A decision, a rule that fired, a new working level, an
    alert on screen (it goes when the clock moves) or a chart that changed in any other way
    interrupts: the learner is shown the play area whole, from its top. No queries.
    """
    if len(after.steps) != len(before.steps) + 1 or after.steps[-1].is_decision:
        return None
    if (after.stage, after.fired, after.localizations) != (
        before.stage,
        before.fired,
        before.localizations,
    ):
        return None
    if any(fired.minute == before.minute for fired in before.fired):
        return None
    page = play_page(attempt, case, after)
    old_chart = chart_rows(case, before)
    if page.alerts or page.chart[:-1] != old_chart or page.chart[-1] != page.latest:
        return None
    old_groups = _grouped(available_actions(case, before))
    old_buttons, new_buttons = _buttons(old_groups, before), _buttons(page.groups, after)
    appeared = not new_buttons.keys() <= old_buttons.keys()
    redrawn = appeared or not new_buttons or page.decisions != available_decisions(case, before)
    return ActionUpdate(
        page=page,
        row=page.chart[-1],
        replaced_row=old_chart[-1] if old_chart else None,
        groups=tuple(g for g in page.groups if new_buttons[g.kind] != old_buttons.get(g.kind)),
        gone=tuple(kind for kind in old_buttons if kind not in new_buttons),
        actions_redrawn=redrawn,
        commit_bar_added=not before.steps,
    )


# --- The debrief ---------------------------------------------------------------------------


@dataclass(frozen=True)
class PathEntry(LevelReading):
    """One step of the replayed path, in the order the learner did things."""

    number: int
    minute: int
    kind: str  # action kind, "rule", "localization" or "commit"
    label: str
    finding: str = ""
    value: str = ""
    normal: str = ""
    flag: str = ""
    supports: tuple[str, ...] = ()
    against: tuple[str, ...] = ()
    teaching: str = ""
    tags: tuple[str, ...] = ()
    stage_title: str = ""
    deterioration: bool = False
    step: int = 0  # for an action: its number among the steps (the belief chart's x)
    clear: bool = False  # the step after which the belief first pointed clearly to the answer

    @property
    def has_detail(self) -> bool:
        return bool(self.teaching or self.supports or self.against or self.normal)


@dataclass(frozen=True)
class LessonLink:
    key: str
    title: str
    url: str


@dataclass(frozen=True)
class ExpertStep:
    label: str
    kind: str
    why: str  # shown only where the learner's own path did not already teach it
    tags: tuple[str, ...]
    done: bool  # the learner did this (or an alternative the case accepts)
    clear: bool = False


@dataclass(frozen=True)
class Lesson:
    """One thing to learn first, at the top of the debrief."""

    title: str
    text: str


@dataclass(frozen=True)
class Miss:
    label: str
    detail: str = ""  # a deadline, or the teaching point when it is shown nowhere else


@dataclass(frozen=True)
class Debrief:
    attempt: Attempt
    case: CaseDefinition
    state: AttemptState
    score: Score
    parts: tuple[ScorePart, ...]  # the score's parts, their explanations in clock times
    levels: tuple[LevelMark, ...]
    chosen_label: str
    chosen_credit: float
    diagnosis_label: str
    diagnosis_correct: bool
    diagnosis_conflict: str  # "" unless the named diagnosis sits elsewhere than the level
    learn_first: tuple[Lesson, ...]
    path: tuple[PathEntry, ...]
    missed_key: tuple[Miss, ...]  # key findings missed that the expert's path does not show
    missed_key_marked: int  # key findings missed, marked ✗ on the expert's path instead
    missed_critical: tuple[Miss, ...]
    harmful_taken: tuple[Miss, ...]
    fired: tuple[FiredRule, ...]
    expert: tuple[ExpertStep, ...]
    lessons: tuple[LessonLink, ...]
    learner_chart: BeliefChart
    expert_chart: BeliefChart
    learner_reading: str  # the belief on the learner's path, in one sentence
    expert_reading: str  # "After X, an expert would have placed this in Y."
    separators: tuple[Separator, ...]  # findings that tell the answer from the runner-up
    separator_note: str


def lesson_links(keys: Iterable[str]) -> tuple[LessonLink, ...]:
    """Links to the lessons behind a case, titled as the lessons are (one query)."""
    titles = lesson_titles(keys)
    links = []
    for key in keys:
        topic, _, slug = key.partition("/")
        title = titles.get(key, slug.replace("-", " ").capitalize())
        links.append(
            LessonLink(key=key, title=title, url=reverse("lessons:lesson", args=(topic, slug)))
        )
    return tuple(links)


@dataclass(frozen=True)
class ReplayedPath:
    entries: tuple[PathEntry, ...]
    state: AttemptState
    marks: tuple[tuple[int, str, str], ...]  # (steps so far, kind, label) for the chart


def replayed_path(case: CaseDefinition, events: Iterable[Mapping[str, Any]]) -> ReplayedPath:
    """The path step by step, exactly as the events happened, and the state they lead to."""
    entries: list[PathEntry] = []
    marks: list[tuple[int, str, str]] = []

    def add(**fields: Any) -> None:
        entries.append(PathEntry(number=len(entries) + 1, **fields))

    def add_rules(rules: Iterable[FiredRule]) -> None:
        for fired in rules:
            add(
                minute=fired.minute,
                kind="rule",
                label="The patient deteriorated" if fired.deterioration else "Update",
                finding=fired.message,
                stage_title=case.stage_by_id[fired.goto].title if fired.goto else "",
                deterioration=fired.deterioration,
            )

    state = start(case)
    add_rules(state.fired)
    for event in events:
        before = state
        state = apply(case, state, event)
        new_visits = state.visits[len(before.visits) :]
        for number, step in enumerate(state.steps[len(before.steps) :], len(before.steps) + 1):
            moved = next((v.stage for v in new_visits if v.by == "decision"), "")
            add(**_step_fields(case, step, moved), step=number)
        for noted in state.localizations[len(before.localizations) :]:
            add(minute=noted.minute, kind="localization", label=f"Working level: {noted.label}")
            marks.append(
                (len(state.steps), "working", f"Working level: {level_short(noted.level)}")
            )
        add_rules(state.fired[len(before.fired) :])
        if state.answer is not None and before.answer is None:
            add(
                minute=state.answer.minute,
                kind="commit",
                label=f"Committed: {state.answer.label}",
                finding=(
                    f"Diagnosis: {case.diagnosis.label_for(state.answer.diagnosis)}"
                    if state.answer.diagnosis
                    else "No diagnosis given."
                ),
            )
            marks.append(
                (len(state.steps), "commit", f"Committed: {level_short(state.answer.level)}")
            )
    return ReplayedPath(tuple(entries), state, tuple(marks))


_MINUTES = re.compile(r"\b(\d+) minutes\b")
_EXPERT_NEEDS = re.compile(r"(an expert needs about )(\d+)\b")


def with_clock_times(text: str) -> str:
    """Durations in a score note written the way the clock reads ("6 wk 1 d", not "60706
    minutes"). The engine writes its notes in minutes; the page shows every time one way."""
    text = _MINUTES.sub(lambda m: clock_text(int(m.group(1))), text)
    return _EXPERT_NEEDS.sub(lambda m: m.group(1) + clock_text(int(m.group(2))), text)


def _place(levels: Iterable[str]) -> str:
    """ "the nerve root or peripheral nerve": where the lesion is, as a phrase in a sentence."""
    levels = tuple(levels)
    if levels == ("not-weakness",):
        return "no weakness at all"
    return "the " + describe(levels).lower()


def _tones(case: CaseDefinition, chosen: str, rival: str) -> dict[str, str]:
    tones = {level: "answer" for level in answer_levels(case)}
    if chosen and chosen not in tones:
        tones[chosen] = "chosen"
    if rival and rival not in tones:
        tones[rival] = "rival"
    return tones


def _readings(case: CaseDefinition, why: Reasoning) -> tuple[str, str]:
    """The belief on each path in one sentence, naming the step where it became clear."""
    place = _place(why.answer_levels)
    expert_clear = why.expert_clear
    if expert_clear is None:
        expert_text = "Even on the expert's path no finding points clearly to one level."
    elif expert_clear.index == 0:
        expert_text = f"From the presentation alone an expert would place this in {place}."
    else:
        placed = (
            "seen that this is not weakness"
            if tuple(why.answer_levels) == ("not-weakness",)
            else f"placed this in {place}"
        )
        expert_text = (
            f"After “{expert_clear.label}” (step {expert_clear.index}), an expert would have "
            f"{placed}."
        )
    learner_clear = why.learner_clear
    if learner_clear is None:
        learner_text = (
            f"On your path the findings never pointed clearly to {place} before you committed."
        )
    elif learner_clear.index == 0:
        learner_text = f"The presentation alone pointed to {place}."
    else:
        learner_text = (
            f"On your path the findings pointed clearly to {place} after “{learner_clear.label}” "
            f"(step {learner_clear.index})."
        )
    return learner_text, expert_text


@dataclass(frozen=True)
class Separator:
    """A finding that tells the answer from the level the learner was left with."""

    label: str
    had: bool  # the learner had uncovered it


def _separators(
    case: CaseDefinition, state: AttemptState, why: Reasoning
) -> tuple[tuple[Separator, ...], str]:
    """Which findings would have separated the learner's level from the runner-up.

    Committed a level short of full credit: the findings that tell the answer from that level,
    marking those the learner had (they had the evidence and read it otherwise). Committed a
    right level before the evidence was in: the expert's findings, not yet uncovered, that set
    the answer apart from the level the learner's findings left closest.
    """
    if state.answer is None:
        return (), ""
    best = level_label(case.localization.answer)
    if why.against_choice:
        return tuple(Separator(a.label, _done(state, a)) for a in why.against_choice), (
            f"These findings tell {best} from your choice, {state.answer.label}:"
        )
    if why.committed_early and why.separating:
        rival = why.rival_label or "the other levels"
        return tuple(Separator(action.label, False) for action in why.separating), (
            f"You committed before your findings set {best} apart from {rival}. "
            "These findings would have told them apart:"
        )
    return (), ""


def _learn_first(
    case: CaseDefinition,
    result: Score,
    chosen: str,
    credit: float,
    conflict: str,
    separators: tuple[Separator, ...],
    separator_note: str,
) -> tuple[Lesson, ...]:
    """Up to three things to take away, the most important first."""
    found: list[Lesson] = []
    answer = case.localization.answer_label
    if chosen and credit < 1:
        found.append(
            Lesson(
                "Where the lesion is",
                f"You placed it at {level_label(chosen)}; it is at {answer}. "
                + case.localization.explanation.split(". ")[0].rstrip(".")
                + ".",
            )
        )
    missing = [separator.label for separator in separators if not separator.had]
    if missing:
        strongest = "; ".join(missing[:3])
        found.append(Lesson("Examine before you commit", f"{separator_note} {strongest}."))
    if result.missed_critical_actions:
        found.append(
            Lesson(
                "Keep the patient safe",
                f"Do in time: {_labels(result.missed_critical_actions)}.",
            )
        )
    if result.harmful_actions_taken:
        found.append(Lesson("Avoid", f"{_labels(result.harmful_actions_taken)}."))
    if conflict:
        found.append(Lesson("Make the diagnosis fit the level", conflict))
    if result.missed_key_actions and not missing:
        found.append(Lesson("Look for", f"{_labels(result.missed_key_actions)}."))
    return tuple(found[:3])


def _labels(actions: Iterable[Action]) -> str:
    return "; ".join(action.label for action in actions)


def _conflict(case: CaseDefinition, state: AttemptState) -> str:
    answer = state.answer
    if answer is None or not answer.diagnosis:
        return ""
    if not contradicts(case, answer.diagnosis, answer.level):
        return ""
    named = case.diagnosis.label_for(answer.diagnosis)
    weak = [level for level in diagnosis_levels(case, answer.diagnosis) if level != "not-weakness"]
    what = f"a disease of {_place(weak)}" if weak else "a cause of tiredness, not of weakness"
    return (
        f"You named {named}, {what}, but committed {answer.label}: "
        "the diagnosis and the level disagree."
    )


def _done(state: AttemptState, action: Action) -> bool:
    return action.id in state.taken or any(alt in state.taken for alt in action.alternatives)


def debrief(attempt: Attempt) -> Debrief:
    """Everything the debrief shows: four queries' worth of data (the attempt, its events and
    the lessons' titles); the belief on both paths comes from the engine's `reasoning`."""
    case = parsed_case(attempt.case_version)
    replayed = replayed_path(case, attempt_events(attempt))
    state = replayed.state
    result = score(case, state)
    answer = state.answer
    chosen = answer.level if answer else ""
    chosen_credit = case.localization.credit_for(chosen) if chosen else 0.0
    why = reasoning(case, state)
    learner_points, expert_points = why.learner, why.expert
    learner_clear, expert_clear = why.learner_clear, why.expert_clear
    learner_text, expert_text = _readings(case, why)
    rival = why.rival or main_rival(case, learner_points[-1].belief)
    separators, separator_note = _separators(case, state, why)
    conflict = _conflict(case, state)

    clear_marks = lambda point: (  # noqa: E731
        ((point.index, "clear", "Clear from here"),) if point is not None else ()
    )
    learner_chart = belief_chart(
        key="learner",
        title="Your path",
        points=learner_points,
        tones=_tones(case, chosen, rival),
        marks=(*clear_marks(learner_clear), *replayed.marks),
        summary=learner_text,
    )
    expert_chart = belief_chart(
        key="expert",
        title="An expert's path",
        points=expert_points,
        tones=_tones(case, "", main_rival(case, expert_points[0].belief)),
        marks=clear_marks(expert_clear),
        summary=expert_text,
    )
    clear_step = learner_clear.index if learner_clear else -1
    path = tuple(
        replace(entry, clear=True) if entry.step and entry.step == clear_step else entry
        for entry in replayed.entries
    )

    # Each teaching point is shown once: on the learner's path where they took the action,
    # else on the expert's path, else beside the miss.
    expert_actions = expert_steps(attempt.case_version, case)
    on_expert_path = {action.id for action in expert_actions}
    expert_clear_action = expert_clear.action if expert_clear else ""
    expert = tuple(
        ExpertStep(
            label=action.label,
            kind=KIND_LABELS.get(action.kind, action.kind),
            why="" if _done(state, action) else action.teaching,
            tags=action.tags,
            done=_done(state, action),
            clear=action.id == expert_clear_action,
        )
        for action in expert_actions
    )

    def miss(action: Action, detail: str = "") -> Miss:
        taught = _done(state, action) or action.id in on_expert_path
        return Miss(action.label, detail or ("" if taught else action.teaching))

    return Debrief(
        attempt=attempt,
        case=case,
        state=state,
        score=result,
        parts=tuple(
            replace(part, explanation=with_clock_times(part.explanation)) for part in result.parts
        ),
        levels=level_marks(
            chosen=chosen, correct=case.localization.answer, credit=case.localization.credit
        ),
        chosen_label=level_label(chosen) if chosen else "",
        chosen_credit=chosen_credit,
        diagnosis_label=(
            case.diagnosis.label_for(answer.diagnosis) if answer and answer.diagnosis else ""
        ),
        diagnosis_correct=bool(answer and answer.diagnosis == case.diagnosis.answer),
        diagnosis_conflict=conflict,
        learn_first=_learn_first(
            case, result, chosen, chosen_credit, conflict, separators, separator_note
        ),
        path=path,
        missed_key=tuple(
            miss(action) for action in result.missed_key_actions if action.id not in on_expert_path
        ),
        missed_key_marked=sum(
            1 for action in result.missed_key_actions if action.id in on_expert_path
        ),
        missed_critical=tuple(
            miss(
                action,
                f"needed within {clock_text(action.critical_by)}" if action.critical_by else "",
            )
            for action in result.missed_critical_actions
        ),
        harmful_taken=tuple(miss(action) for action in result.harmful_actions_taken),
        fired=state.fired,
        expert=expert,
        lessons=lesson_links(case.lessons),
        learner_chart=learner_chart,
        expert_chart=expert_chart,
        learner_reading=learner_text,
        expert_reading=expert_text,
        separators=separators,
        separator_note=separator_note,
    )
