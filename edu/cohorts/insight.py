"""What a cohort keeps getting wrong: the level confusion matrix and accuracy per level (from
edu.statistics), the critical actions most often missed and harmful ones most often taken per
case, the hardest questions, and the learners at risk with their reasons.

Read from summary rows (finished attempts with their missed and harmful action ids, answers),
a fixed number of queries however large the cohort.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass
from datetime import datetime

from django.db.models import Avg, Count, Q
from django.utils import timezone

from cases.engine.levels import level_label
from cases.models import Attempt as CaseAttempt
from cases.models import CaseVersion
from cases.models import Status as CaseStatus
from cases.selectors import parsed_case
from edu.quizzes.models import Answer
from edu.statistics.levels import OTHER, LevelStatistics, level_pairs_by_learner, level_statistics

from .models import Cohort, RiskDismissal
from .selectors import Member, member_ids, progress_grid

LOW_LOCALIZATION = 0.5  # mean localization credit under this, over at least two cases
MIN_CASES_FOR_ACCURACY = 2
REPEATED_WRONG = 3  # wrong answers on one level before it is a pattern
TOP = 5


@dataclass(frozen=True)
class ActionCount:
    label: str
    count: int
    of: int  # finished attempts at this case


@dataclass(frozen=True)
class CaseSafety:
    title: str
    attempts: int
    missed: tuple[ActionCount, ...]
    harmful: tuple[ActionCount, ...]


@dataclass(frozen=True)
class HardQuestion:
    external_id: str
    stem: str
    answered: int
    correct: int

    @property
    def facility(self) -> float:
        return self.correct / self.answered if self.answered else 0.0


@dataclass(frozen=True)
class Reason:
    code: str  # what a dismissal is keyed by
    text: str


@dataclass(frozen=True)
class AtRisk:
    member: Member
    reasons: tuple[Reason, ...]


@dataclass(frozen=True)
class CohortInsight:
    levels: LevelStatistics
    safety: tuple[CaseSafety, ...]
    hardest: tuple[HardQuestion, ...]
    at_risk: tuple[AtRisk, ...]
    dismissed: int


def _case_safety(learners) -> tuple[CaseSafety, ...]:
    rows = list(
        CaseAttempt.objects.filter(user_id__in=learners, status=CaseStatus.FINISHED)
        .values_list(
            "case_id", "case__title", "case__current_version_id", "missed_critical", "harmful_taken"
        )
        .order_by()
    )
    version_ids = {row[2] for row in rows if row[2]}
    labels: dict[int, dict[str, str]] = {}
    for version in CaseVersion.objects.filter(pk__in=version_ids):
        case = parsed_case(version)
        labels[version.case_id] = {action.id: action.label for action in case.actions}
    by_case: dict[int, dict] = defaultdict(
        lambda: {"title": "", "n": 0, "missed": Counter(), "harmful": Counter()}
    )
    for case_id, title, _version, missed, harmful in rows:
        entry = by_case[case_id]
        entry["title"] = title
        entry["n"] += 1
        entry["missed"].update(missed or [])
        entry["harmful"].update(harmful or [])
    result = []
    for case_id, entry in sorted(by_case.items(), key=lambda item: item[1]["title"]):
        names = labels.get(case_id, {})

        def top(counter: Counter, n: int = entry["n"], names: dict = names) -> tuple:
            return tuple(
                ActionCount(label=names.get(action, action), count=count, of=n)
                for action, count in counter.most_common(TOP)
            )

        if entry["missed"] or entry["harmful"]:
            result.append(
                CaseSafety(
                    title=entry["title"],
                    attempts=entry["n"],
                    missed=top(entry["missed"]),
                    harmful=top(entry["harmful"]),
                )
            )
    return tuple(result)


def _hardest(learners) -> tuple[HardQuestion, ...]:
    rows = (
        Answer.objects.filter(user_id__in=learners, is_review=False)
        .values("question__external_id", "question__stem")
        .annotate(n=Count("id"), right=Count("id", filter=Q(is_correct=True)))
        .filter(n__gte=2)
        .order_by()
    )
    questions = [
        HardQuestion(
            external_id=row["question__external_id"],
            stem=row["question__stem"],
            answered=row["n"],
            correct=row["right"],
        )
        for row in rows
    ]
    questions.sort(key=lambda q: (q.facility, -q.answered, q.external_id))
    return tuple(q for q in questions if q.correct < q.answered)[:TOP]


def _at_risk(cohort: Cohort, now: datetime) -> tuple[tuple[AtRisk, ...], int]:
    learners = member_ids(cohort)
    grid = progress_grid(cohort, now=now)
    localization = {
        row["user_id"]: (row["mean"], row["n"])
        for row in CaseAttempt.objects.filter(user_id__in=learners, status=CaseStatus.FINISHED)
        .values("user_id")
        .annotate(mean=Avg("score_localization"), n=Count("id"))
        .order_by()
    }
    by_learner = level_pairs_by_learner(learners=learners, include_review=False)
    dismissed = set(RiskDismissal.objects.filter(cohort=cohort).values_list("learner_id", "reason"))
    flagged, hidden = [], 0
    for row in grid.rows:
        reasons = []
        overdue = [
            column.assignment.title
            for column, cell in zip(grid.columns, row.cells, strict=True)
            if cell is not None and cell.overdue
        ]
        if overdue:
            reasons.append(Reason(f"overdue:{len(overdue)}", f"Overdue: {', '.join(overdue)}"))
        mean, n = localization.get(row.member.id, (None, 0))
        if mean is not None and n >= MIN_CASES_FOR_ACCURACY and mean < LOW_LOCALIZATION:
            reasons.append(
                Reason(
                    "localization",
                    f"Localization accuracy {round(mean * 100)} % over {n} cases "
                    f"(under {round(LOW_LOCALIZATION * 100)} %)",
                )
            )
        wrong: Counter = Counter()
        chosen_instead: dict[str, Counter] = defaultdict(Counter)
        for (true_level, chosen), count in by_learner.get(row.member.id, {}).items():
            if chosen != true_level:
                wrong[true_level] += count
                chosen_instead[true_level][chosen] += count
        for level, count in sorted(wrong.items()):
            if count >= REPEATED_WRONG:
                instead = chosen_instead[level].most_common(1)[0][0]
                instead_label = "another answer" if instead == OTHER else level_label(instead)
                reasons.append(
                    Reason(
                        f"level:{level}",
                        f"{count} wrong placements of {level_label(level).lower()} "
                        f"(most often {instead_label.lower()})",
                    )
                )
        shown = tuple(r for r in reasons if (row.member.id, r.code) not in dismissed)
        hidden += len(reasons) - len(shown)
        if shown:
            flagged.append(AtRisk(member=row.member, reasons=shown))
    flagged.sort(key=lambda item: (-len(item.reasons), item.member.name.casefold()))
    return tuple(flagged), hidden


def cohort_insight(cohort: Cohort, *, now: datetime | None = None) -> CohortInsight:
    now = now or timezone.now()
    learners = member_ids(cohort)
    at_risk, dismissed = _at_risk(cohort, now)
    return CohortInsight(
        levels=level_statistics(learners=learners),
        safety=_case_safety(learners),
        hardest=_hardest(learners),
        at_risk=at_risk,
        dismissed=dismissed,
    )
