"""Read-only figures for the program admin's pages, aggregated in the database.

Every function takes a `Scope` (date range, cohort, first or all sittings) and costs a fixed
number of queries however many learners there are: GROUP BY in SQL, then small, fixed-size
results (one row per week, cohort, level, option or score value) shaped in Python. Medians come
from a GROUP BY of the value (minutes, totals), which works the same on SQLite and PostgreSQL.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.contrib.auth import get_user_model
from django.db import connection
from django.db.models import (
    Avg,
    Case,
    Count,
    F,
    FloatField,
    Func,
    IntegerField,
    Q,
    QuerySet,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Cast
from django.utils import timezone

from cases.engine.levels import LEVEL_IDS, level_short
from cases.models import Attempt, CaseVersion, Status
from cases.models import Case as CaseModel
from edu.cohorts.models import Cohort, Enrolment
from edu.quizzes.models import Answer, AttemptStatus, Question, QuizAttempt, QuizDefinition
from edu.statistics import items as item_stats

from .filters import Scope

FINISHED = Q(status=Status.FINISHED)
RIGHT_LEVEL = Case(When(chosen_level=F("correct_level"), then=Value(1.0)), default=Value(0.0))
CONFIDENCE_ORDER = ("low", "medium", "high", "")


def accounts_by_role() -> dict[str, int]:
    rows = get_user_model().objects.values("role").annotate(n=Count("id"))
    return {row["role"]: row["n"] for row in rows}


def median_from_counts(counts: Mapping[float, int]) -> float | None:
    """The median of a distribution given as value -> how many times it occurs."""
    total = sum(counts.values())
    if not total:
        return None
    ordered = sorted(counts.items())

    def nth(k: int) -> float:  # the k-th value (0-based) of the sorted expansion
        seen = 0
        for value, n in ordered:
            seen += n
            if k < seen:
                return value
        return ordered[-1][0]

    if total % 2:
        return float(nth(total // 2))
    return (nth(total // 2 - 1) + nth(total // 2)) / 2


def _learners_of(scope: Scope):
    return Enrolment.objects.filter(cohort=scope.cohort).values("learner_id")


def case_attempts(scope: Scope) -> QuerySet[Attempt]:
    """Case attempts started within the scope's range, by its cohort's learners."""
    attempts = Attempt.objects.filter(
        started_at__gte=scope.start_at, started_at__lt=scope.end_before
    )
    if scope.cohort is not None:
        attempts = attempts.filter(user_id__in=_learners_of(scope))
    return attempts


def quiz_sittings(scope: Scope, *, first_only: bool = False) -> QuerySet[QuizAttempt]:
    """Finished quiz attempts (never review sessions) started within the scope."""
    sittings = QuizAttempt.objects.filter(
        started_at__gte=scope.start_at,
        started_at__lt=scope.end_before,
        status=AttemptStatus.FINISHED,
        definition__isnull=False,
    ).exclude(mode="review")
    if first_only:
        sittings = sittings.filter(is_first_attempt=True)
    if scope.cohort is not None:
        sittings = sittings.filter(user_id__in=_learners_of(scope))
    return sittings


# --- Overview --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Week:
    start: dt.date
    case_learners: int = 0
    started: int = 0
    finished: int = 0
    accuracy: float | None = None
    quiz_learners: int = 0
    sittings: int = 0


@dataclass(frozen=True)
class CohortRow:
    cohort_id: int
    name: str
    learners: int
    started: int
    finished: int
    accuracy: float | None

    @property
    def completion(self) -> float | None:
        return self.finished / self.started if self.started else None


@dataclass(frozen=True)
class Overview:
    learners: int
    started: int
    finished: int
    accuracy: float | None
    sittings: int
    quiz_learners: int
    quiz_mean: float | None
    weeks: tuple[Week, ...]
    cohorts: tuple[CohortRow, ...]

    @property
    def completion(self) -> float | None:
        return self.finished / self.started if self.started else None


EPOCH_MONDAY = dt.date(1970, 1, 5)


class WeekNumber(Func):
    """Whole weeks (Monday to Sunday, UTC) since Monday 5 January 1970, computed by the
    database itself: SQLite's TruncWeek is a Python function called once per row, which
    costs seconds over 200,000 attempts; this is arithmetic in C on both databases."""

    output_field = IntegerField()

    def as_sqlite(self, compiler, connection, **extra):
        return self.as_sql(
            compiler,
            connection,
            template="CAST((julianday(%(expressions)s) - julianday('1970-01-05')) / 7 AS INTEGER)",
            **extra,
        )

    def as_postgresql(self, compiler, connection, **extra):
        return self.as_sql(
            compiler,
            connection,
            # date_part gives a double; EXTRACT gives a numeric, whose arithmetic is slower.
            template="FLOOR((date_part('epoch', %(expressions)s) - 345600) / 604800)::integer",
            **extra,
        )


def _week_of(number: int) -> dt.date:
    return EPOCH_MONDAY + dt.timedelta(weeks=int(number))


def _all_weeks(scope: Scope) -> list[dt.date]:
    monday = scope.start - dt.timedelta(days=scope.start.weekday())
    weeks = []
    while monday <= scope.end:
        weeks.append(monday)
        monday += dt.timedelta(weeks=1)
    return weeks


# Learners active, attempts started and finished and accuracy, overall and per cohort, in one
# pass: each learner's attempts in the range are first summed per learner (a hash aggregate
# of a few thousand groups), then the learner rows are counted, once for the total and once
# per cohort membership. Counting distinct learners straight from the attempts instead needs
# a sort of every attempt in the range for each figure, which at program scale (200,000
# attempts over a year) was most of the page's time. {attempts} is the ORM's SQL of the
# scope's attempts, so the range and cohort filters are the same as everywhere.
OVERVIEW_SQL = """
WITH per_learner AS (
    SELECT a.user_id, COUNT(*) AS started,
           SUM(CASE WHEN a.status = %s THEN 1 ELSE 0 END) AS finished,
           SUM(a.score_localization) AS credit, COUNT(a.score_localization) AS scored
    FROM ({attempts}) a
    GROUP BY a.user_id
)
SELECT NULL, NULL, COUNT(*), SUM(started), SUM(finished), SUM(credit), SUM(scored)
FROM per_learner
UNION ALL
SELECT e.cohort_id, c.name, COUNT(*), SUM(p.started), SUM(p.finished), SUM(p.credit),
       SUM(p.scored)
FROM per_learner p
JOIN {enrolment} e ON e.learner_id = p.user_id
JOIN {cohort} c ON c.id = e.cohort_id
{only_cohort}
GROUP BY e.cohort_id, c.name
"""


def _learner_totals(scope: Scope, attempts: QuerySet[Attempt]) -> tuple[dict, list[CohortRow]]:
    """The range's totals and one row per cohort (by name), from OVERVIEW_SQL: one query."""
    inner = attempts.values("user_id", "status", "score_localization").order_by()
    sql, params = inner.query.sql_with_params()
    query = OVERVIEW_SQL.format(
        attempts=sql,
        enrolment=Enrolment._meta.db_table,
        cohort=Cohort._meta.db_table,
        only_cohort="WHERE e.cohort_id = %s" if scope.cohort is not None else "",
    )
    extra = [scope.cohort.pk] if scope.cohort is not None else []
    with connection.cursor() as cursor:
        cursor.execute(query, [Status.FINISHED, *params, *extra])
        rows = cursor.fetchall()
    totals: dict[str, Any] = {"learners": 0, "started": 0, "finished": 0, "accuracy": None}
    cohorts = []
    for cohort_id, name, learners, started, finished, credit, scored in rows:
        figures = {
            "learners": int(learners),
            "started": int(started or 0),
            "finished": int(finished or 0),
            "accuracy": float(credit) / float(scored) if scored else None,
        }
        if cohort_id is None:
            totals = figures
        else:
            cohorts.append(CohortRow(cohort_id=cohort_id, name=name, **figures))
    return totals, sorted(cohorts, key=lambda row: (row.name, row.cohort_id))


# The weekly trend, one UNION ALL branch per week of the range: each branch reads its own
# week's attempts by a range scan of the started-at index (PostgreSQL from the index alone)
# and counts distinct learners over those few thousand rows, in memory. One GROUP BY week
# over the whole range instead sorts every attempt of the range at once (200,000 over a
# year, a sort that spilled to disk) and computes the week of each row: measured with
# EXPLAIN ANALYZE at program scale, about a quarter of the time for 52 weeks.
WEEK_SQL = (
    "SELECT {k}, COUNT(DISTINCT a.user_id), COUNT(*),"
    " SUM(CASE WHEN a.status = %s THEN 1 ELSE 0 END),"
    " SUM(a.score_localization), COUNT(a.score_localization) FROM ({attempts}) a"
)


# Beyond this many weeks (over two years) the range is grouped in one pass instead: SQLite
# allows 500 branches in a compound SELECT, and a long range is a rare, archival view.
# (One cohort's range is grouped in one pass too; see _case_weeks.)
MAX_WEEK_BRANCHES = 120


def _case_weeks_grouped(scope: Scope) -> dict[dt.date, dict[str, Any]]:
    return {
        _week_of(row.pop("week")): row
        for row in case_attempts(scope)
        .annotate(week=WeekNumber("started_at"))
        .values("week")
        .annotate(
            learners=Count("user_id", distinct=True),
            started=Count("*"),
            finished=Count("status", filter=FINISHED),
            accuracy=Avg("score_localization"),
        )
        .order_by()
    }


def _case_weeks(scope: Scope) -> dict[dt.date, dict[str, Any]]:
    """Learners, attempts started and finished and accuracy per week (weeks start on Monday,
    UTC, as WeekNumber counts them), clipped to the range: one query."""
    parts, params = [], []
    mondays = _all_weeks(scope)
    # One cohort's attempts are few and found by learner: grouping them at once is cheaper
    # than a range scan of everyone's per week (measured: 3 to 5 times, SQLite the most).
    if scope.cohort is not None or len(mondays) > MAX_WEEK_BRANCHES:
        return _case_weeks_grouped(scope)
    for k, monday in enumerate(mondays):
        week_start = dt.datetime.combine(monday, dt.time.min, tzinfo=dt.UTC)
        attempts = Attempt.objects.filter(
            started_at__gte=max(scope.start_at, week_start),
            started_at__lt=min(scope.end_before, week_start + dt.timedelta(weeks=1)),
        )
        if scope.cohort is not None:
            attempts = attempts.filter(user_id__in=_learners_of(scope))
        inner = attempts.values("user_id", "status", "score_localization").order_by()
        sql, inner_params = inner.query.sql_with_params()
        parts.append(WEEK_SQL.format(k=k, attempts=sql))
        params += [Status.FINISHED, *inner_params]
    if not parts:
        return {}
    with connection.cursor() as cursor:
        cursor.execute(" UNION ALL ".join(parts), params)
        rows = cursor.fetchall()
    return {
        mondays[k]: {
            "learners": int(learners),
            "started": int(started),
            "finished": int(finished or 0),
            "accuracy": float(credit) / float(scored) if scored else None,
        }
        for k, learners, started, finished, credit, scored in rows
        if started
    }


def overview(scope: Scope) -> Overview:
    """Totals, the weekly trend and one row per cohort: four queries."""
    attempts = case_attempts(scope)
    totals, cohort_rows = _learner_totals(scope, attempts)
    sittings = quiz_sittings(scope)
    quiz_totals = sittings.aggregate(
        sittings=Count("*"), learners=Count("user_id", distinct=True), mean=Avg("score")
    )
    case_weeks = _case_weeks(scope)
    quiz_weeks = {
        _week_of(row["week"]): row
        for row in sittings.annotate(week=WeekNumber("started_at"))
        .values("week")
        .annotate(learners=Count("user_id", distinct=True), n=Count("*"))
        .order_by()
    }
    weeks = []
    for monday in _all_weeks(scope):
        case_row, quiz_row = case_weeks.get(monday, {}), quiz_weeks.get(monday, {})
        weeks.append(
            Week(
                start=monday,
                case_learners=case_row.get("learners", 0),
                started=case_row.get("started", 0),
                finished=case_row.get("finished", 0),
                accuracy=case_row.get("accuracy"),
                quiz_learners=quiz_row.get("learners", 0),
                sittings=quiz_row.get("n", 0),
            )
        )
    return Overview(
        learners=totals["learners"],
        started=totals["started"],
        finished=totals["finished"],
        accuracy=totals["accuracy"],
        sittings=quiz_totals["sittings"],
        quiz_learners=quiz_totals["learners"],
        quiz_mean=quiz_totals["mean"],
        weeks=tuple(weeks),
        cohorts=tuple(cohort_rows),
    )


# --- Cases -----------------------------------------------------------------------------------

CASE_FIGURES = {
    "attempts": Count("*"),
    "finished": Count("status", filter=FINISHED),
    "accuracy": Avg("score_localization", filter=FINISHED),
    "exact": Avg(RIGHT_LEVEL, filter=FINISHED, output_field=FloatField()),
    "thoroughness": Avg("score_thoroughness", filter=FINISHED),
    "efficiency": Avg("score_efficiency", filter=FINISHED),
    "safety": Avg("score_safety", filter=FINISHED),
    "diagnosis": Avg(
        Case(When(diagnosis_correct=True, then=Value(1.0)), default=Value(0.0)),
        filter=FINISHED,
        output_field=FloatField(),
    ),
    "mean_minutes": Avg("minutes", filter=FINISHED),
    "summarised": Count("analytics_summary__critical_missed", filter=FINISHED),
    "critical_missed": Avg("analytics_summary__critical_missed", filter=FINISHED),
    "harmful_taken": Avg("analytics_summary__harmful_taken", filter=FINISHED),
    "deteriorated": Avg(
        Case(
            When(analytics_summary__deteriorations__gt=0, then=Value(1.0)),
            When(analytics_summary__deteriorations=0, then=Value(0.0)),
            default=None,
        ),
        filter=FINISHED,
        output_field=FloatField(),
    ),
}


@dataclass(frozen=True)
class CaseFigures:
    """The headline figures of a set of attempts at one case (or one of its versions)."""

    attempts: int = 0
    finished: int = 0
    accuracy: float | None = None
    exact: float | None = None
    thoroughness: float | None = None
    efficiency: float | None = None
    safety: float | None = None
    diagnosis: float | None = None
    mean_minutes: float | None = None
    summarised: int = 0
    critical_missed: float | None = None
    harmful_taken: float | None = None
    deteriorated: float | None = None

    @property
    def completion(self) -> float | None:
        return self.finished / self.attempts if self.attempts else None


@dataclass(frozen=True)
class CaseRow:
    slug: str
    title: str
    level: str
    figures: CaseFigures


def case_table(scope: Scope) -> tuple[CaseRow, ...]:
    """One row per case with attempts in the scope, hardest (lowest accuracy) first: 1 query."""
    rows = (
        case_attempts(scope)
        .values("case__slug", "case__title", "case__level")
        .annotate(**CASE_FIGURES)
        .order_by(F("accuracy").asc(nulls_last=True), "case__title")
    )
    return tuple(
        CaseRow(
            slug=row.pop("case__slug"),
            title=row.pop("case__title"),
            level=row.pop("case__level"),
            figures=CaseFigures(**row),
        )
        for row in rows
    )


@dataclass(frozen=True)
class VersionRow:
    number: int
    figures: CaseFigures


@dataclass(frozen=True)
class Confidence:
    confidence: str
    attempts: int
    accuracy: float | None
    exact: float | None


@dataclass
class CaseReport:
    case: CaseModel
    version: CaseVersion | None
    versions: tuple[VersionRow, ...]
    figures: CaseFigures
    median_clock_minutes: float | None
    median_real_minutes: float | None
    levels: tuple[tuple[str, str, int], ...]  # (correct level, chosen level, attempts)
    calibration: tuple[Confidence, ...]
    openings: tuple[tuple[str, int], ...]
    correct_levels: tuple[str, ...] = field(default=())

    @property
    def chosen_counts(self) -> dict[str, int]:
        counts: Counter = Counter()
        for _correct, chosen, n in self.levels:
            counts[chosen] += n
        return dict(counts)


def _combined(rows: Sequence[VersionRow]) -> CaseFigures:
    """All versions' figures from each version's: means weighted by the attempts behind them
    (finished ones for scores, summarised ones for the safety counts), so no second scan."""
    if len(rows) == 1:
        return rows[0].figures

    def mean(name: str, weight: str) -> float | None:
        pairs = [
            (getattr(r.figures, name), getattr(r.figures, weight))
            for r in rows
            if getattr(r.figures, name) is not None
        ]
        total = sum(w for _, w in pairs)
        return sum(v * w for v, w in pairs) / total if total else None

    scored = (
        "accuracy",
        "exact",
        "thoroughness",
        "efficiency",
        "safety",
        "diagnosis",
        "mean_minutes",
    )
    return CaseFigures(
        attempts=sum(r.figures.attempts for r in rows),
        finished=sum(r.figures.finished for r in rows),
        summarised=sum(r.figures.summarised for r in rows),
        **{name: mean(name, "finished") for name in scored},
        **{
            name: mean(name, "summarised")
            for name in ("critical_missed", "harmful_taken", "deteriorated")
        },
    )


def case_report(scope: Scope, case: CaseModel, version_number: int | None = None) -> CaseReport:
    """Everything on a case's page, for all its versions or one: four queries (five with a
    version), each over the case's attempts in the range, read from a covering index."""
    attempts = case_attempts(scope).filter(case=case)
    versions = tuple(
        VersionRow(number=row.pop("case_version__number"), figures=CaseFigures(**row))
        for row in attempts.values("case_version__number")
        .annotate(**CASE_FIGURES)
        .order_by("case_version__number")
    )
    version = None
    shown = versions
    if version_number is not None:
        version = (
            CaseVersion.objects.filter(case=case, number=version_number)
            .only("id", "number", "case_id", "created_at")
            .first()
        )
        attempts = attempts.filter(case_version=version) if version else attempts.none()
        shown = tuple(v for v in versions if version and v.number == version.number)
    figures = _combined(shown) if shown else CaseFigures()
    finished = attempts.filter(FINISHED)
    # One pass for the clock, the levels and calibration: every finished attempt's minutes,
    # true and chosen level and confidence, counted, with their localization scores summed.
    clock: Counter = Counter()
    pairs: Counter = Counter()
    by_confidence: dict[str, list[float]] = {}
    for row in (
        finished.values("minutes", "correct_level", "chosen_level", "confidence")
        .annotate(n=Count("*"), credit=Sum("score_localization"))
        .order_by()
    ):
        n = row["n"]
        clock[row["minutes"]] += n
        pairs[(row["correct_level"], row["chosen_level"])] += n
        tally = by_confidence.setdefault(row["confidence"], [0, 0.0, 0])
        tally[0] += n
        tally[1] += row["credit"] or 0.0
        tally[2] += n if row["chosen_level"] == row["correct_level"] else 0
    real = {
        row["m"]: row["n"]
        for row in finished.filter(analytics_summary__isnull=False)
        .annotate(
            m=Cast(F("analytics_summary__real_seconds") / Value(60), output_field=IntegerField())
        )
        .values("m")
        .annotate(n=Count("*"))
        .order_by()
    }
    levels = tuple((correct, chosen, n) for (correct, chosen), n in pairs.items())
    calibration = sorted(
        (
            Confidence(
                confidence=confidence,
                attempts=n,
                accuracy=credit / n if n else None,
                exact=right / n if n else None,
            )
            for confidence, (n, credit, right) in by_confidence.items()
        ),
        key=lambda c: (
            CONFIDENCE_ORDER.index(c.confidence) if c.confidence in CONFIDENCE_ORDER else 9
        ),
    )
    openings = tuple(
        (row["analytics_summary__opening"], row["n"])
        for row in finished.exclude(analytics_summary__opening="")
        .filter(analytics_summary__isnull=False)
        .values("analytics_summary__opening")
        .annotate(n=Count("*"))
        .order_by("-n", "analytics_summary__opening")[:5]
    )
    return CaseReport(
        case=case,
        version=version,
        versions=versions,
        figures=figures,
        median_clock_minutes=median_from_counts(dict(clock)),
        median_real_minutes=median_from_counts(real),
        levels=levels,
        calibration=tuple(calibration),
        openings=openings,
        correct_levels=tuple(dict.fromkeys(correct for correct, _, _ in levels)),
    )


# --- Quizzes and item analysis ---------------------------------------------------------------


@dataclass(frozen=True)
class QuizRow:
    slug: str
    title: str
    sittings: int
    learners: int
    mean: float | None


def quiz_table(scope: Scope) -> tuple[QuizRow, ...]:
    """One row per quiz with sittings in the scope: one query."""
    rows = (
        quiz_sittings(scope, first_only=not scope.all_attempts)
        .values("definition__slug", "definition__title")
        .annotate(sittings=Count("*"), learners=Count("user_id", distinct=True), mean=Avg("score"))
        .order_by("definition__title")
    )
    return tuple(
        QuizRow(
            slug=row["definition__slug"],
            title=row["definition__title"],
            sittings=row["sittings"],
            learners=row["learners"],
            mean=row["mean"],
        )
        for row in rows
    )


@dataclass(frozen=True)
class ItemRow:
    question: Question
    options: tuple[Any, ...]  # the Option rows, in display order
    stats: item_stats.ItemStatistics

    @property
    def option_rows(self):
        by_id = {o.option: o for o in self.stats.options}
        return tuple((option, by_id[option.pk]) for option in self.options)


@dataclass(frozen=True)
class ItemAnalysis:
    quiz: QuizDefinition
    quiz_stats: item_stats.QuizStatistics
    group_size: int
    items: tuple[ItemRow, ...]
    max_total: int


# One pass over the sittings' answers: each sitting's rank by total (best first, ties by id)
# puts it in the upper (U) or lower (L) group or neither (M); then counts and the sums of the
# (item, rest-of-quiz) pairs per question, option and group. The sittings come as their
# SQL from the ORM ({sittings}), so the date, cohort and first-attempt filters are the same
# as everywhere; the two parameters are the last rank of the upper group and the last rank
# before the lower group.
ITEM_SQL = """
WITH sat AS ({sittings}),
ranked AS (
    SELECT id, total, ROW_NUMBER() OVER (ORDER BY total DESC, id) AS r FROM sat
)
SELECT ans.question_id, ans.option_id,
       CASE WHEN ranked.r <= %s THEN 'U' WHEN ranked.r > %s THEN 'L' ELSE 'M' END AS grp,
       COUNT(*),
       SUM(CASE WHEN ans.is_correct THEN 1 ELSE 0 END),
       SUM(ranked.total - CASE WHEN ans.is_correct THEN 1 ELSE 0 END),
       SUM((ranked.total - CASE WHEN ans.is_correct THEN 1 ELSE 0 END)
           * (ranked.total - CASE WHEN ans.is_correct THEN 1 ELSE 0 END)),
       SUM(CASE WHEN ans.is_correct THEN ranked.total - 1 ELSE 0 END)
FROM ranked JOIN {answers} ans ON ans.attempt_id = ranked.id
WHERE NOT ans.is_review
GROUP BY ans.question_id, ans.option_id, grp
"""


def _item_rows(sittings: QuerySet[QuizAttempt], g: int, n: int) -> list[tuple]:
    inner = sittings.annotate(total=F("n_correct")).values("id", "total").order_by()
    sql, params = inner.query.sql_with_params()
    query = ITEM_SQL.format(sittings=sql, answers=Answer._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(query, [*params, g, n - g])
        return cursor.fetchall()


def tallies_from_rows(rows: Sequence[tuple]) -> dict[int, item_stats.ItemTally]:
    """Fold the SQL's (question, option, group, counts, sums) rows into one tally per item.

    Within a row every x is 1 or 0 alike for each answer, so S x = S x^2 = the right count and
    S x*y is the sum of rest scores of right answers.
    """
    tallies: dict[int, item_stats.ItemTally] = {}
    for question_id, option_id, grp, n, right, sum_y, sum_yy, sum_xy in rows:
        t = tallies.setdefault(question_id, item_stats.ItemTally())
        right, sum_y, sum_yy, sum_xy = int(right), float(sum_y), float(sum_yy), float(sum_xy)
        t.responses += n
        t.correct += right
        t.options[option_id] += n
        t.moments = t.moments + item_stats.Moments(n, right, sum_y, right, sum_yy, sum_xy)
        if grp == "U":
            t.upper_n += n
            t.upper_correct += right
            t.upper[option_id] += n
        elif grp == "L":
            t.lower_n += n
            t.lower_correct += right
            t.lower[option_id] += n
    return tallies


def item_analysis(scope: Scope, quiz: QuizDefinition) -> ItemAnalysis:
    """Moodle-style statistics of one quiz's items over first (or all) sittings: 4 queries.

    Spaced-review answers never count: review sessions are not sittings of a quiz, and any
    answer marked as review is left out.
    """
    sittings = quiz_sittings(scope, first_only=not scope.all_attempts).filter(definition=quiz)
    histogram = {
        row["n_correct"]: row["n"]
        for row in sittings.values("n_correct").annotate(n=Count("*")).order_by()
    }
    n = sum(histogram.values())
    totals = [float(total) for total, count in sorted(histogram.items()) for _ in range(count)]
    g = item_stats.group_size(n)
    tallies = tallies_from_rows(_item_rows(sittings, g, n)) if n else {}
    questions = Question.objects.filter(pk__in=tallies).prefetch_related("options")
    rows = []
    for question in sorted(questions, key=lambda q: q.external_id):
        options = tuple(question.options.all())
        key = next((o.pk for o in options if o.is_correct), None)
        stats = item_stats.item_statistics(
            question.pk, tallies[question.pk], options=[o.pk for o in options], key=key
        )
        rows.append(ItemRow(question=question, options=options, stats=stats))
    quiz_figures = item_stats.quiz_statistics_from_totals(
        totals,
        facilities=[t.correct / t.responses for t in tallies.values()],
        coverage=[t.responses / n for t in tallies.values()] if n else None,
    )
    return ItemAnalysis(
        quiz=quiz,
        quiz_stats=quiz_figures,
        group_size=g,
        items=tuple(rows),
        max_total=max(histogram, default=0),
    )


LEVEL_ORDER = {level: i for i, level in enumerate(LEVEL_IDS)}


def level_label_short(level: str) -> str:
    return level_short(level) if level else "none"


# --- Levels ----------------------------------------------------------------------------------

TREND_PERIODS = 2


@dataclass(frozen=True)
class Period:
    start: dt.date
    end: dt.date  # inclusive
    pairs: Counter

    @property
    def label(self) -> str:
        return f"{self.start:%-d %b} – {self.end:%-d %b %Y}"


@dataclass(frozen=True)
class LevelReport:
    statistics: Any  # edu.statistics.levels.LevelStatistics over the whole range
    periods: tuple[Period, ...]


def _periods(scope: Scope) -> list[tuple[dt.date, dt.date]]:
    days = (scope.end - scope.start).days + 1
    count = max(1, min(TREND_PERIODS, days // 7))
    edges = [scope.start + dt.timedelta(days=round(days * k / count)) for k in range(count + 1)]
    return [(edges[k], edges[k + 1] - dt.timedelta(days=1)) for k in range(count)]


def level_report(scope: Scope) -> LevelReport:
    """Accuracy per level and the confusion matrix from the shared statistics module, for the
    range and for its two halves: four aggregate queries (two sources for each half).

    Each half is counted between its own bounds, so every attempt and answer in the range is
    read once; the whole range is the sum of the halves (counts are additive). Cases count by
    when they were finished and answers by when they were given; spaced-review answers are
    left out, as they are from item analysis. The last half has no upper bound when the range
    ends today: nothing is finished or answered later than now.
    """
    from edu.statistics import levels

    learners = _learners_of(scope).values("learner_id") if scope.cohort else levels.EVERYONE
    today = timezone.now().date()

    def moment(day: dt.date) -> dt.datetime:
        return Scope(start=day, end=day).start_at

    windows = []
    for start, end in _periods(scope):
        after = end + dt.timedelta(days=1)
        pairs = levels.level_pairs(
            learners=learners,
            since=moment(start),
            until=None if after > today else moment(after),
            include_review=False,
        )
        windows.append(Period(start=start, end=end, pairs=pairs))
    total: Counter = Counter()
    for window in windows:
        total.update(window.pairs)
    statistics = levels.LevelStatistics(
        matrix=levels.confusion_matrix(total),
        accuracy=levels.accuracy_by_level(total),
        pairs=total,
    )
    return LevelReport(statistics=statistics, periods=tuple(windows))
