"""The gradebook as CSV, for a spreadsheet or a registrar: wide (a row per learner, a status and
a score column per assignment, as the progress grid shows them) and long (a row per attempt).

Scores are numbers (percentages with one decimal), dates ISO 8601. Any text cell that a
spreadsheet would read as a formula (starting with =, +, -, @, |, %, a tab or a carriage
return) is prefixed with an apostrophe, so a learner named "=HYPERLINK(...)" stays text.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from datetime import datetime

from django.utils import timezone

from edu.spreadsheets import defuse

from .models import Cohort, Kind
from .selectors import counted_work, member_ids, progress_grid, work_index


def inert(value: object) -> object:
    """A cell as written: numbers stay numbers; text that could start a formula is defused."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, int | float):
        return value
    if isinstance(value, datetime):
        return timezone.localtime(value).isoformat(timespec="minutes")
    return defuse(str(value))


def _percent(score: float | None) -> float | str:
    return "" if score is None else round(score * 100, 1)


def _csv(rows: Iterable[Iterable[object]]) -> str:
    out = io.StringIO()
    writer = csv.writer(out)
    for row in rows:
        writer.writerow([inert(cell) for cell in row])
    return out.getvalue()


def gradebook_rows(cohort: Cohort, *, now: datetime | None = None) -> list[list[object]]:
    grid = progress_grid(cohort, now=now)
    header: list[object] = ["Learner", "Username"]
    for column in grid.columns:
        title = f"{column.assignment.title} ({column.assignment.get_kind_display().lower()})"
        header += [f"{title} status", f"{title} score %"]
    header += ["Done", "Assigned", "Mean score %"]
    rows = [header]
    for row in grid.rows:
        line: list[object] = [row.member.name, row.member.username]
        for cell in row.cells:
            if cell is None:
                line += ["Not assigned", ""]
            else:
                label = cell.label + (" (overdue)" if cell.overdue else "")
                line += [label, _percent(cell.score)]
        line += [row.done, row.assigned, _percent(row.mean_score)]
        rows.append(line)
    return rows


def gradebook_csv(cohort: Cohort, *, now: datetime | None = None) -> str:
    return _csv(gradebook_rows(cohort, now=now))


def attempts_rows(cohort: Cohort, *, now: datetime | None = None) -> list[list[object]]:
    """One row per attempt (or lesson read) at an assignment, marking whether it counts."""
    grid = progress_grid(cohort, now=now)
    assignments = [column.assignment for column in grid.columns]
    index = work_index(member_ids(cohort), assignments)
    rows: list[list[object]] = [
        [
            "Learner",
            "Username",
            "Assignment",
            "Kind",
            "Mode",
            "Attempt id",
            "Started",
            "Finished",
            "Score %",
            "Counts",
            "Late",
        ]
    ]
    for row in grid.rows:
        for assignment, cell in zip(assignments, row.cells, strict=True):
            if cell is None:
                continue
            target = {
                Kind.LESSON: assignment.lesson_id,
                Kind.QUIZ: assignment.quiz_id,
                Kind.CASE: assignment.case_id,
            }[assignment.kind]
            work = index.get((assignment.kind, row.member.id, target), [])
            counted = set(counted_work(assignment, work))
            for item in work:
                rows.append(
                    [
                        row.member.name,
                        row.member.username,
                        assignment.title,
                        assignment.get_kind_display(),
                        item.mode or "",
                        item.pk if item.pk is not None else "",
                        item.started_at,
                        item.finished_at,
                        _percent(item.score),
                        item in counted,
                        bool(item.finished_at and item.finished_at > assignment.due_at),
                    ]
                )
    return rows


def attempts_csv(cohort: Cohort, *, now: datetime | None = None) -> str:
    return _csv(attempts_rows(cohort, now=now))
