"""Each analytics page's figures shaped as tables and charts: what the page shows and what its
CSV links download are the same `Table`s, so the two cannot disagree."""

from __future__ import annotations

import string
from dataclasses import dataclass, field
from typing import Any

from cases.engine.levels import LEVEL_IDS, level_label, level_short
from cases.models import Case as CaseModel
from edu.charts import Chart, Series, Table, bar_chart, heat_map, line_chart
from edu.charts.svg import percent
from edu.quizzes.models import QuizDefinition

from . import selectors
from .filters import Scope


def pct(value: float) -> str:
    return f"{value * 100:.0f} %"


def two(value: float) -> str:
    return f"{value:.2f}"


def one(value: float) -> str:
    return f"{value:.1f}"


@dataclass
class Page:
    """A page's data: its tables (by key, for CSV) and charts, plus anything else it shows."""

    tables: dict[str, Table] = field(default_factory=dict)
    charts: dict[str, Chart] = field(default_factory=dict)
    data: Any = None


def overview_page(scope: Scope) -> Page:
    data = selectors.overview(scope)
    labels = [f"{w.start:%-d %b}" for w in data.weeks]
    activity = line_chart(
        "Learners active per week",
        x_labels=labels,
        series=[
            Series("On cases", tuple(w.case_learners for w in data.weeks)),
            Series("On quizzes", tuple(w.quiz_learners for w in data.weeks)),
        ],
        y_label="Learners",
        x_title="Week starting",
    )
    attempts = line_chart(
        "Case attempts started and finished per week",
        x_labels=labels,
        series=[
            Series("Started", tuple(w.started for w in data.weeks)),
            Series("Finished", tuple(w.finished for w in data.weeks)),
        ],
        y_label="Attempts",
        x_title="Week starting",
    )
    accuracy = line_chart(
        "Mean localization accuracy per week",
        x_labels=labels,
        series=[Series("Finished attempts", tuple(w.accuracy for w in data.weeks))],
        y_label="Localization accuracy",
        fmt=percent,
        y_max=1,
        x_title="Week starting",
    )
    weeks = Table(
        caption="Activity per week",
        columns=(
            "Week starting",
            "Learners on cases",
            "Case attempts started",
            "Case attempts finished",
            "Mean localization accuracy",
            "Learners on quizzes",
            "Quiz sittings",
        ),
        rows=tuple(
            (
                w.start.isoformat(),
                w.case_learners,
                w.started,
                w.finished,
                w.accuracy,
                w.quiz_learners,
                w.sittings,
            )
            for w in data.weeks
        ),
        formats=(None, None, None, None, pct, None, None),
    )
    cohorts = Table(
        caption="Case work by cohort",
        columns=(
            "Cohort",
            "Learners active",
            "Attempts started",
            "Attempts finished",
            "Completion",
            "Mean localization accuracy",
        ),
        rows=tuple(
            (c.name, c.learners, c.started, c.finished, c.completion, c.accuracy)
            for c in data.cohorts
        ),
        formats=(None, None, None, None, pct, pct),
    )
    return Page(
        tables={"weeks": weeks, "cohorts": cohorts},
        charts={"activity": activity, "attempts": attempts, "accuracy": accuracy},
        data=data,
    )


CASE_COLUMNS = (
    "Attempts",
    "Finished",
    "Completion",
    "Localization accuracy",
    "Right level",
    "Thoroughness",
    "Efficiency",
    "Safety",
    "Diagnosis right",
    "Mean clock minutes",
    "Critical actions missed (mean)",
    "Harmful actions (mean)",
    "Deteriorated",
)
CASE_FORMATS = (None, None, pct, pct, pct, pct, pct, pct, pct, one, two, two, pct)


def _case_cells(f: selectors.CaseFigures) -> tuple:
    return (
        f.attempts,
        f.finished,
        f.completion,
        f.accuracy,
        f.exact,
        f.thoroughness,
        f.efficiency,
        f.safety,
        f.diagnosis,
        f.mean_minutes,
        f.critical_missed,
        f.harmful_taken,
        f.deteriorated,
    )


def cases_page(scope: Scope) -> Page:
    rows = selectors.case_table(scope)
    table = Table(
        caption="Cases, lowest localization accuracy first",
        columns=("Case", "True level", *CASE_COLUMNS),
        rows=tuple((r.title, level_short(r.level), *_case_cells(r.figures)) for r in rows),
        formats=(None, None, *CASE_FORMATS),
    )
    chart = bar_chart(
        "Localization accuracy by case",
        bars=[(r.title, r.figures.accuracy) for r in rows],
        value_label="Mean localization accuracy",
        fmt=percent,
        max_value=1,
    )
    return Page(tables={"cases": table}, charts={"accuracy": chart}, data=rows)


def case_page(scope: Scope, case: CaseModel, version: int | None) -> Page:
    report = selectors.case_report(scope, case, version)
    versions = Table(
        caption="By case version",
        columns=("Version", *CASE_COLUMNS),
        rows=tuple((f"v{v.number}", *_case_cells(v.figures)) for v in report.versions),
        formats=(None, *CASE_FORMATS),
    )
    counts = report.chosen_counts
    finished = sum(counts.values())
    shown_levels = [lvl for lvl in LEVEL_IDS if lvl in counts or lvl in report.correct_levels]
    levels_chart = bar_chart(
        "Chosen level against the true one",
        bars=[
            (level_label(lvl), counts.get(lvl, 0) / finished if finished else None)
            for lvl in shown_levels
        ],
        value_label="Share of finished attempts",
        fmt=percent,
        max_value=1,
        highlight=[i for i, lvl in enumerate(shown_levels) if lvl in report.correct_levels],
        highlight_note="(true level)",
    )
    levels = Table(
        caption="Chosen level against the true one",
        columns=("True level", "Chosen level", "Attempts"),
        rows=tuple(
            (level_label(correct), level_label(chosen), n)
            for correct, chosen, n in sorted(
                report.levels,
                key=lambda r: (
                    LEVEL_IDS.index(r[0]) if r[0] in LEVEL_IDS else 99,
                    LEVEL_IDS.index(r[1]) if r[1] in LEVEL_IDS else 99,
                ),
            )
        ),
    )
    calibration = Table(
        caption="Calibration: confidence against accuracy",
        columns=("Confidence", "Attempts", "Localization accuracy", "Right level"),
        rows=tuple(
            (c.confidence.capitalize() or "Not given", c.attempts, c.accuracy, c.exact)
            for c in report.calibration
        ),
        formats=(None, None, pct, pct),
    )
    calibration_chart = bar_chart(
        "Right level by confidence",
        bars=[(c.confidence.capitalize() or "Not given", c.exact) for c in report.calibration],
        value_label="Share with the right level",
        fmt=percent,
        max_value=1,
    )
    openings = Table(
        caption="Most common first three moves",
        columns=("First moves", "Attempts"),
        rows=tuple(report.openings),
    )
    versions_chart = bar_chart(
        "Localization accuracy by version",
        bars=[(f"Version {v.number}", v.figures.accuracy) for v in report.versions],
        value_label="Mean localization accuracy",
        fmt=percent,
        max_value=1,
    )
    return Page(
        tables={
            "versions": versions,
            "levels": levels,
            "calibration": calibration,
            "openings": openings,
        },
        charts={
            "levels": levels_chart,
            "calibration": calibration_chart,
            "versions": versions_chart,
        },
        data=report,
    )


def quizzes_page(scope: Scope) -> Page:
    rows = selectors.quiz_table(scope)
    which = "all sittings" if scope.all_attempts else "first sittings"
    table = Table(
        caption=f"Quizzes ({which})",
        columns=("Quiz", "Sittings", "Learners", "Mean score"),
        rows=tuple((r.title, r.sittings, r.learners, r.mean) for r in rows),
        formats=(None, None, None, pct),
    )
    return Page(tables={"quizzes": table}, data=rows)


def option_letter(index: int) -> str:
    return string.ascii_uppercase[index] if index < 26 else str(index + 1)


def quiz_page(scope: Scope, quiz: QuizDefinition) -> Page:
    analysis = selectors.item_analysis(scope, quiz)
    items = Table(
        caption=f"Item analysis: {quiz.title}",
        columns=(
            "Question",
            "Responses",
            "Facility",
            "Discrimination index (D)",
            "Discrimination coefficient (r)",
            "Flags",
        ),
        rows=tuple(
            (
                row.question.external_id,
                row.stats.responses,
                row.stats.facility,
                row.stats.discrimination_index,
                row.stats.discrimination_coefficient,
                "; ".join(flag.value for flag in row.stats.flags),
            )
            for row in analysis.items
        ),
        formats=(None, None, two, two, two, None),
    )
    q = analysis.quiz_stats
    summary = Table(
        caption=f"Quiz statistics: {quiz.title}",
        columns=("Figure", "Value"),
        rows=(
            ("Sittings", q.sittings),
            ("Mean score (right answers)", q.mean),
            ("Median score", q.median),
            ("Standard deviation", q.standard_deviation),
            ("Cronbach's alpha (KR-20)", q.alpha),
            ("Standard error of measurement", q.sem),
        ),
        formats=(None, two),
    )
    facility_chart = bar_chart(
        "Facility by question",
        bars=[(row.question.external_id, row.stats.facility) for row in analysis.items],
        value_label="Facility (share right)",
        fmt=two,
        max_value=1,
    )
    return Page(
        tables={"items": items, "summary": summary},
        charts={"facility": facility_chart},
        data=analysis,
    )


def question_page(scope: Scope, quiz: QuizDefinition, question_id: int) -> Page | None:
    analysis = selectors.item_analysis(scope, quiz)
    row = next((r for r in analysis.items if r.question.pk == question_id), None)
    if row is None:
        return None
    options = [
        (option_letter(i), option, share) for i, (option, share) in enumerate(row.option_rows)
    ]
    table = Table(
        caption="How often each option was chosen",
        columns=("Option", "Text", "Key", "Chosen", "Share", "Upper group", "Lower group"),
        rows=tuple(
            (
                letter,
                option.text,
                "key" if share.is_key else "",
                share.chosen,
                share.share,
                share.upper_share,
                share.lower_share,
            )
            for letter, option, share in options
        ),
        formats=(None, None, None, None, pct, pct, pct),
    )
    key_index = [i for i, (_, _, share) in enumerate(options) if share.is_key]

    def chart(title: str, attr: str) -> Chart:
        return bar_chart(
            title,
            bars=[(f"{letter}. {option.text}", getattr(s, attr)) for letter, option, s in options],
            value_label="Share choosing it",
            fmt=percent,
            max_value=1,
            highlight=key_index,
            highlight_note="(key)",
        )

    groups = heat_map(
        "Options chosen by group (percent of the group)",
        rows=["All", "Upper 27 %", "Lower 27 %"],
        columns=[letter for letter, _, _ in options],
        values=[
            [round((getattr(s, attr) or 0) * 100) for _, _, s in options]
            for attr in ("share", "upper_share", "lower_share")
        ],
        row_title="Group",
        column_title="Option",
        outline_diagonal=False,
    )
    return Page(
        tables={"options": table},
        charts={"overall": chart("Options chosen, all sittings", "share"), "groups": groups},
        data={"analysis": analysis, "row": row, "options": options},
    )


def levels_page(scope: Scope) -> Page:
    report = selectors.level_report(scope)
    stats = report.statistics
    matrix = stats.matrix
    rows = matrix.answered_rows
    columns = matrix.columns
    column_ids = [c[0] for c in columns]
    confusion = heat_map(
        "Confusion matrix: true level × chosen level",
        rows=[row.short for row in rows],
        columns=[short for _, short, _ in columns],
        values=[[cell.count for cell in row.cells] for row in rows],
        row_title="True level",
        column_title="Chosen level",
        outlined=[
            (i, column_ids.index(row.level))
            for i, row in enumerate(rows)
            if row.level in column_ids
        ],
    )
    accuracy_chart = bar_chart(
        "Localization accuracy per level",
        bars=[(a.label, a.accuracy) for a in stats.accuracy],
        value_label="Share placed correctly",
        fmt=percent,
        max_value=1,
    )
    accuracy = Table(
        caption="Accuracy per level (cases and level-tagged questions)",
        columns=("Level", "Right", "Met", "Accuracy", "Most often confused with"),
        rows=tuple(
            (a.label, a.correct, a.total, a.accuracy if a.total else None, a.confused_label)
            for a in stats.accuracy
        ),
        formats=(None, None, None, pct, None),
    )
    met = [a.level for a in stats.accuracy]

    def period_accuracy(pairs, level):
        total = sum(n for (true, _), n in pairs.items() if true == level)
        return pairs.get((level, level), 0) / total if total else None

    trend_values = [[period_accuracy(p.pairs, level) for p in report.periods] for level in met]
    trend = heat_map(
        "Accuracy per level over time (percent right)",
        rows=[level_short(level) for level in met],
        columns=[f"P{k + 1}" for k in range(len(report.periods))],
        values=[[round(v * 100) if v is not None else None for v in row] for row in trend_values],
        row_title="True level",
        column_title="Period",
        outline_diagonal=False,
    )
    trend_table = Table(
        caption="Accuracy per level by period",
        columns=("Level", *(f"P{k + 1}: {p.label}" for k, p in enumerate(report.periods))),
        rows=tuple(
            (level_label(level), *values) for level, values in zip(met, trend_values, strict=True)
        ),
        formats=(None, *([pct] * len(report.periods))),
    )
    return Page(
        tables={"accuracy": accuracy, "matrix": confusion.table, "trend": trend_table},
        charts={"matrix": confusion, "accuracy": accuracy_chart, "trend": trend},
        data=report,
    )
