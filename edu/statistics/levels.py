"""Where learners place a weakness: the true × chosen confusion matrix and accuracy per level.

Two kinds of evidence count, both read from summary rows: a finished case attempt (its true
level and the level committed) and an answer to a level-tagged question (the question's level,
and the level stored with the chosen option). An answer whose option names no level counts as
"other". A learner set is a user, a queryset of user ids (a cohort's members), or EVERYONE.
Each call costs two aggregate queries, whatever the number of learners or attempts.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.db.models import Count, QuerySet

from cases.engine.levels import LEVELS, level_label
from cases.models import Attempt as CaseAttempt
from cases.models import Status as CaseStatus
from edu.quizzes.models import Answer

OTHER = "other"
EVERYONE = object()  # the whole program


@dataclass(frozen=True)
class ConfusionCell:
    chosen: str
    count: int
    is_diagonal: bool
    shade: int  # 0..4, for the cell's colour (the count is always printed too)


@dataclass(frozen=True)
class ConfusionRow:
    level: str
    label: str
    short: str
    cells: tuple[ConfusionCell, ...]
    total: int
    correct: int

    @property
    def accuracy(self) -> float | None:
        return self.correct / self.total if self.total else None


@dataclass(frozen=True)
class ConfusionMatrix:
    """True level (rows) × chosen level (columns), from cases and level-tagged questions."""

    columns: tuple[tuple[str, str, str], ...]  # (id, short, label)
    rows: tuple[ConfusionRow, ...]

    @property
    def total(self) -> int:
        return sum(row.total for row in self.rows)

    @property
    def answered_rows(self) -> tuple[ConfusionRow, ...]:
        return tuple(row for row in self.rows if row.total)


@dataclass(frozen=True)
class LevelAccuracy:
    """How often one level was placed correctly, and what was chosen instead most often."""

    level: str
    label: str
    correct: int
    total: int
    confused_with: str  # the level id most often chosen instead ("" if never wrong)

    @property
    def accuracy(self) -> float:
        return self.correct / self.total if self.total else 0.0

    @property
    def confused_label(self) -> str:
        if not self.confused_with:
            return ""
        return "another answer" if self.confused_with == OTHER else level_label(self.confused_with)


@dataclass(frozen=True)
class LevelStatistics:
    matrix: ConfusionMatrix
    accuracy: tuple[LevelAccuracy, ...]
    pairs: Counter


def _for_learners(rows: QuerySet, learners: Any, field: str = "user") -> QuerySet:
    if learners is EVERYONE:
        return rows
    if isinstance(learners, QuerySet | list | tuple | set | frozenset):
        return rows.filter(**{f"{field}__in": learners})
    return rows.filter(**{field: learners})


def answer_choice(*, true_level: str, is_correct: bool, option_level: str | None) -> str:
    """The level an answer points at: the true one if right, else its option's level (or
    'other' when the option names none, or was removed since)."""
    if is_correct:
        return true_level
    return option_level or OTHER


def _rows(
    learners: Any,
    since: datetime | None,
    include_review: bool,
    by_learner: bool,
    until: datetime | None = None,
):
    """(user id or None, true level, chosen level, count) from both sources, two queries."""
    keys = ("user_id",) if by_learner else ()
    cases = _for_learners(
        CaseAttempt.objects.filter(status=CaseStatus.FINISHED).exclude(chosen_level=""), learners
    )
    answers = _for_learners(Answer.objects.exclude(question__level=""), learners)
    if since is not None:
        cases = cases.filter(finished_at__gte=since)
        answers = answers.filter(answered_at__gte=since)
    if until is not None:
        cases = cases.filter(finished_at__lt=until)
        answers = answers.filter(answered_at__lt=until)
    if not include_review:
        answers = answers.filter(is_review=False)
    for row in (
        cases.values(*keys, "correct_level", "chosen_level").annotate(n=Count("id")).order_by()
    ):
        yield row.get("user_id"), row["correct_level"], row["chosen_level"], row["n"]
    for row in (
        answers.values(*keys, "question__level", "is_correct", "option__level")
        .annotate(n=Count("id"))
        .order_by()
    ):
        true_level = row["question__level"]
        chosen = answer_choice(
            true_level=true_level, is_correct=row["is_correct"], option_level=row["option__level"]
        )
        yield row.get("user_id"), true_level, chosen, row["n"]


def level_pairs(
    *,
    learners: Any,
    since: datetime | None = None,
    include_review: bool = True,
    until: datetime | None = None,
) -> Counter:
    """Counts of (true level, chosen level) for the learner set (two queries), from `since`
    and before `until` when given (cases by when they were finished, answers by when given)."""
    pairs: Counter = Counter()
    rows = _rows(learners, since, include_review, by_learner=False, until=until)
    for _user, true_level, chosen, n in rows:
        pairs[(true_level, chosen)] += n
    return pairs


def level_pairs_by_learner(
    *, learners: Any, since: datetime | None = None, include_review: bool = True
) -> dict[int, Counter]:
    """The same counts kept apart per learner id (two queries), for flags such as 'keeps
    getting one level wrong'."""
    by_learner: dict[int, Counter] = defaultdict(Counter)
    for user_id, true_level, chosen, n in _rows(learners, since, include_review, by_learner=True):
        by_learner[user_id][(true_level, chosen)] += n
    return dict(by_learner)


def confusion_matrix(pairs: Counter) -> ConfusionMatrix:
    """Build the matrix from counts of (true level, chosen level). Only levels that occur, as
    truth or as a choice, get a column, so the table stays small enough for a phone."""
    used = {true for true, _ in pairs} | {chosen for _, chosen in pairs}
    columns = tuple(
        (level.id, level.short, level.label) for level in LEVELS if level.id in used
    ) + (((OTHER, "Other", "Another answer"),) if OTHER in used else ())
    biggest = max(pairs.values(), default=0)
    rows = []
    for level in LEVELS:
        cells = []
        for column, _short, _label in columns:
            count = pairs.get((level.id, column), 0)
            shade = 0 if not count else 1 + min(3, (3 * count) // max(1, biggest))
            cells.append(
                ConfusionCell(
                    chosen=column, count=count, is_diagonal=column == level.id, shade=shade
                )
            )
        rows.append(
            ConfusionRow(
                level=level.id,
                label=level.label,
                short=level.short,
                cells=tuple(cells),
                total=sum(n for (true, _), n in pairs.items() if true == level.id),
                correct=pairs.get((level.id, level.id), 0),
            )
        )
    return ConfusionMatrix(columns=columns, rows=tuple(rows))


def accuracy_by_level(pairs: Counter) -> tuple[LevelAccuracy, ...]:
    """Per true level met at least once, in pathway order: right out of met, and the most
    frequent wrong choice."""
    result = []
    for level in LEVELS:
        mine = {chosen: n for (true, chosen), n in pairs.items() if true == level.id}
        if not mine:
            continue
        wrong = {chosen: n for chosen, n in mine.items() if chosen != level.id}
        result.append(
            LevelAccuracy(
                level=level.id,
                label=level.label,
                correct=mine.get(level.id, 0),
                total=sum(mine.values()),
                confused_with=max(sorted(wrong), key=wrong.get) if wrong else "",
            )
        )
    return tuple(result)


def level_statistics(
    *, learners: Any, since: datetime | None = None, include_review: bool = True
) -> LevelStatistics:
    """The matrix and the accuracy per level for a learner set, in two queries."""
    pairs = level_pairs(learners=learners, since=since, include_review=include_review)
    return LevelStatistics(
        matrix=confusion_matrix(pairs), accuracy=accuracy_by_level(pairs), pairs=pairs
    )
