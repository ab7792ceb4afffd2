"""Reads for the cohort pages: which cohorts an instructor may open, the roster, assignments,
the progress grid, one learner's record and a learner's own assignments.

Work is read from the summary rows the other apps write (case attempts, quiz attempts, lessons
read), a fixed handful of queries per page whatever the cohort's size, and matched to each
assignment here: same learner and item, in the assignment's mode, started on or after it
opened, the first `attempts_limit` of them. Cells are worked out in Python so templates only
display them.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime
from typing import NamedTuple

from django.db.models import Count, Exists, Max, OuterRef, Prefetch, Q, QuerySet
from django.http import Http404
from django.urls import reverse
from django.utils import timezone

from cases.models import Attempt as CaseAttempt
from cases.models import Status as CaseStatus
from edu.lessons.models import LessonProgress
from edu.quizzes.models import AttemptStatus, QuizAttempt

from .models import Assignment, Cohort, Enrolment, Kind, Mode

# Cell statuses, in the order a sort by status puts them.
NOT_STARTED, IN_PROGRESS, DONE, LATE = "not-started", "in-progress", "done", "late"
STATUSES = {
    NOT_STARTED: "Not started",
    IN_PROGRESS: "In progress",
    DONE: "Done",
    LATE: "Late",
}
SHORT = {NOT_STARTED: "—", IN_PROGRESS: "Open", DONE: "Done", LATE: "Late"}
STATUS_RANK = {NOT_STARTED: 0, IN_PROGRESS: 1, LATE: 2, DONE: 3}
QUIZ_MODE = {Mode.TRAINING: "practice", Mode.ASSESSMENT: "exam"}

# Cohorts ------------------------------------------------------------------------------------


def cohorts_for(user) -> QuerySet[Cohort]:
    """The cohorts a user may manage: all for a program admin, their own for an instructor."""
    cohorts = Cohort.objects.annotate(
        learner_count=Count("enrolments", filter=Q(enrolments__left_at__isnull=True), distinct=True)
    )
    if user.is_program_admin:
        return cohorts
    return cohorts.filter(instructors=user)


def cohort_for(user, pk: int) -> Cohort:
    """One cohort the user teaches (any, for a program admin); 404 for anyone else's."""
    cohorts = Cohort.objects.all()
    if not user.is_program_admin:
        cohorts = cohorts.filter(instructors=user)
    try:
        return cohorts.get(pk=pk)
    except Cohort.DoesNotExist:
        raise Http404("No such cohort.") from None


def current_enrolments(cohort: Cohort) -> QuerySet[Enrolment]:
    return Enrolment.objects.filter(cohort=cohort, left_at__isnull=True)


def member_ids(cohort: Cohort) -> QuerySet:
    """The current members' ids as a subquery (never a long IN list)."""
    return current_enrolments(cohort).values("learner_id")


@dataclass(frozen=True)
class Member:
    id: int
    username: str
    name: str
    joined_at: datetime
    last_activity: datetime | None = None


def members(cohort: Cohort) -> list[Member]:
    """Current members, by name (one query)."""
    rows = (
        current_enrolments(cohort)
        .order_by("learner__last_name", "learner__first_name", "learner__username")
        .values(
            "learner_id",
            "learner__username",
            "learner__first_name",
            "learner__last_name",
            "joined_at",
        )
    )
    return [
        Member(
            id=row["learner_id"],
            username=row["learner__username"],
            name=f"{row['learner__first_name']} {row['learner__last_name']}".strip()
            or row["learner__username"],
            joined_at=row["joined_at"],
        )
        for row in rows
    ]


def roster(cohort: Cohort) -> list[Member]:
    """Members with when each last did anything (a case action, an answer, a lesson read):
    four queries, one per source."""
    ids = member_ids(cohort)
    latest: dict[int, datetime] = {}
    sources = (
        CaseAttempt.objects.filter(user_id__in=ids).values("user_id").annotate(t=Max("updated_at")),
        QuizAttempt.objects.filter(user_id__in=ids)
        .values("user_id")
        .annotate(t=Max("answers__answered_at")),
        LessonProgress.objects.filter(user_id__in=ids).values("user_id").annotate(t=Max("read_at")),
    )
    for source in sources:
        for row in source.order_by():
            if row["t"] is not None and (
                row["user_id"] not in latest or row["t"] > latest[row["user_id"]]
            ):
                latest[row["user_id"]] = row["t"]
    return [
        Member(
            id=m.id,
            username=m.username,
            name=m.name,
            joined_at=m.joined_at,
            last_activity=latest.get(m.id),
        )
        for m in members(cohort)
    ]


def assignments_of(cohort: Cohort) -> list[Assignment]:
    """The cohort's assignments by due date, each with its target and chosen learners' ids
    (two queries)."""
    return list(
        Assignment.objects.filter(cohort=cohort)
        .select_related("lesson__topic", "quiz", "case")
        .prefetch_related(Prefetch("learners", to_attr="chosen"))
        .order_by("due_at", "pk")
    )


def assignment_for(cohort: Cohort, pk: int) -> Assignment:
    try:
        return Assignment.objects.select_related("lesson", "quiz", "case").get(cohort=cohort, pk=pk)
    except Assignment.DoesNotExist:
        raise Http404("No such assignment.") from None


def chosen_ids(assignment: Assignment) -> set[int]:
    chosen = getattr(assignment, "chosen", None)
    if chosen is None:
        chosen = list(assignment.learners.all())
    return {user.pk for user in chosen}


# Work, as summary rows ------------------------------------------------------------------------


class Work(NamedTuple):
    """One attempt (or a lesson read), reduced to what a cell needs."""

    pk: int | None
    mode: str
    finished: bool
    started_at: datetime
    finished_at: datetime | None
    score: float | None


WorkIndex = dict[tuple[str, int, int], list[Work]]  # (kind, learner id, target id) -> work


def work_index(learners, assignments: list[Assignment]) -> WorkIndex:
    """Every relevant attempt and lesson read for these learners (a subquery or ids), at most
    three queries, oldest first."""
    index: WorkIndex = defaultdict(list)
    by_kind: dict[str, set[int]] = defaultdict(set)
    for assignment in assignments:
        by_kind[assignment.kind].add(
            {
                Kind.LESSON: assignment.lesson_id,
                Kind.QUIZ: assignment.quiz_id,
                Kind.CASE: assignment.case_id,
            }[assignment.kind]
        )
    if not assignments:
        return index
    since = min(assignment.opens_at for assignment in assignments)
    if by_kind[Kind.CASE]:
        rows = (
            CaseAttempt.objects.filter(
                user_id__in=learners, case_id__in=by_kind[Kind.CASE], started_at__gte=since
            )
            .order_by("started_at", "pk")
            .values_list(
                "pk",
                "user_id",
                "case_id",
                "mode",
                "status",
                "started_at",
                "finished_at",
                "score_localization",
            )
        )
        for pk, user_id, case_id, mode, status, started, finished, score in rows:
            index[(Kind.CASE, user_id, case_id)].append(
                Work(pk, mode, status == CaseStatus.FINISHED, started, finished, score)
            )
    if by_kind[Kind.QUIZ]:
        rows = (
            QuizAttempt.objects.filter(
                user_id__in=learners, definition_id__in=by_kind[Kind.QUIZ], started_at__gte=since
            )
            .order_by("started_at", "pk")
            .values_list(
                "pk",
                "user_id",
                "definition_id",
                "mode",
                "status",
                "started_at",
                "finished_at",
                "score",
            )
        )
        for pk, user_id, quiz_id, mode, status, started, finished, score in rows:
            index[(Kind.QUIZ, user_id, quiz_id)].append(
                Work(pk, mode, status == AttemptStatus.FINISHED, started, finished, score)
            )
    if by_kind[Kind.LESSON]:
        rows = LessonProgress.objects.filter(
            user_id__in=learners, lesson_id__in=by_kind[Kind.LESSON]
        ).values_list("user_id", "lesson_id", "read_at")
        for user_id, lesson_id, read_at in rows:
            index[(Kind.LESSON, user_id, lesson_id)].append(
                Work(None, "", True, read_at, read_at, None)
            )
    return index


class Cell(NamedTuple):
    """One learner × assignment: status, score (0..1, or None) and the attempt it comes from.

    A named tuple rather than a dataclass: the grid makes thousands, and tuples are cheap."""

    status: str
    score: float | None = None
    attempt_id: int | None = None
    open_attempt_id: int | None = None
    attempts: int = 0
    overdue: bool = False
    url: str = ""

    @property
    def label(self) -> str:
        return STATUSES[self.status]

    @property
    def text(self) -> str:
        """What the grid prints: a word (colour is never the only signal) and the score."""
        word = SHORT[self.status]
        if self.overdue and not self.is_done:
            word = "Overdue" if self.status == NOT_STARTED else "Open, overdue"
        if self.score is not None:
            return f"{word} {round(self.score * 100)}%"
        return word

    @property
    def is_done(self) -> bool:
        return self.status in (DONE, LATE)


def _target_id(assignment: Assignment) -> int:
    if assignment.kind == Kind.CASE:
        return assignment.case_id
    return assignment.quiz_id if assignment.kind == Kind.QUIZ else assignment.lesson_id


def counted_work(assignment: Assignment, work: list[Work]) -> list[Work]:
    """The attempts that count for the assignment: its mode, started once it opened, the first
    `attempts_limit` of them. A lesson counts whenever it was read."""
    if assignment.kind == Kind.LESSON:
        return list(work)
    mode = QUIZ_MODE[assignment.mode] if assignment.kind == Kind.QUIZ else assignment.mode
    counted = [w for w in work if w.mode == mode and w.started_at >= assignment.opens_at]
    if assignment.attempts_limit is not None:
        counted = counted[: assignment.attempts_limit]
    return counted


def cell_for(assignment: Assignment, work: list[Work], now: datetime, url: str = "") -> Cell:
    """The cell for one learner: done (or late, if only finished after the due date) with the
    best score among counted attempts, in progress, or not started (overdue once past due)."""
    if not work:
        return _OVERDUE if now > assignment.due_at else _NOT_STARTED
    counted = counted_work(assignment, work)
    finished = [w for w in counted if w.finished]
    open_one = next((w for w in reversed(counted) if not w.finished), None)
    if finished:
        on_time = [w for w in finished if w.finished_at <= assignment.due_at]
        pool = on_time or finished
        best = max(pool, key=lambda w: (w.score if w.score is not None else -1.0, w.started_at))
        return Cell(
            status=DONE if on_time else LATE,
            score=best.score,
            attempt_id=best.pk,
            open_attempt_id=open_one.pk if open_one else None,
            attempts=len(counted),
            url=url.format(best.pk) if url and best.pk else "",
        )
    overdue = now > assignment.due_at
    if open_one is not None:
        return Cell(
            status=IN_PROGRESS,
            open_attempt_id=open_one.pk,
            attempts=len(counted),
            overdue=overdue,
        )
    return _OVERDUE if overdue else _NOT_STARTED


_NOT_STARTED = Cell(status=NOT_STARTED)
_OVERDUE = Cell(status=NOT_STARTED, overdue=True)


# The progress grid ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Column:
    assignment: Assignment
    key: str
    done: int
    assigned: int
    mean_score: float | None
    sort_url: str = ""
    aria_sort: str = ""


@dataclass(frozen=True)
class GridRow:
    member: Member
    cells: tuple[Cell | None, ...]  # None: not assigned to this learner
    done: int
    assigned: int
    mean_score: float | None
    url: str = ""


@dataclass(frozen=True)
class ProgressGrid:
    cohort: Cohort
    columns: tuple[Column, ...]
    rows: tuple[GridRow, ...]
    sort: str
    descending: bool
    status: str
    total_learners: int
    learner_sort_url: str = ""
    learner_aria_sort: str = ""
    total_sort_url: str = ""
    total_aria_sort: str = ""
    statuses: tuple[tuple[str, str], ...] = field(default=tuple(STATUSES.items()))


def _mean(values: list[float]) -> float | None:
    return sum(values) / len(values) if values else None


def _url_template(name: str, *args: int) -> str:
    """A URL with '{}' where the last id goes: reversing once per page, not once per cell."""
    return reverse(name, args=[*args, 999999999]).replace("999999999", "{}")


def cell_url_templates(cohort: Cohort) -> dict[str, str]:
    return {
        Kind.CASE: _url_template("cohorts:case-attempt", cohort.pk),
        Kind.QUIZ: _url_template("cohorts:quiz-attempt", cohort.pk),
        Kind.LESSON: "",
    }


def learner_cells(
    member_id: int,
    assignments: list[Assignment],
    index: WorkIndex,
    now: datetime,
    urls: dict[str, str],
) -> tuple[Cell | None, ...]:
    cells = []
    for assignment in assignments:
        chosen = assignment.chosen_set
        if chosen and member_id not in chosen:
            cells.append(None)
            continue
        work = index.get((assignment.kind, member_id, assignment.target_id), ())
        cells.append(cell_for(assignment, work, now, urls[assignment.kind]))
    return tuple(cells)


def _prepare(assignments: list[Assignment]) -> None:
    for assignment in assignments:
        assignment.chosen_set = chosen_ids(assignment)
        assignment.target_id = _target_id(assignment)


def _sort_key(sort: str, keys: list[str]):
    if sort in keys:
        position = keys.index(sort)

        def by_column(row: GridRow):
            cell = row.cells[position]
            if cell is None:
                return (-2, -1.0, row.member.name.casefold())
            score = cell.score if cell.score is not None else -1.0
            return (STATUS_RANK[cell.status], score, row.member.name.casefold())

        return by_column
    if sort == "total":
        return lambda row: (
            row.done,
            row.mean_score if row.mean_score is not None else -1.0,
            row.member.name.casefold(),
        )
    return lambda row: (row.member.name.casefold(), row.member.username)


def progress_grid(
    cohort: Cohort,
    *,
    sort: str = "learner",
    descending: bool = False,
    status: str = "",
    now: datetime | None = None,
    base_url: str = "",
) -> ProgressGrid:
    """Learners × assignments: one cell each, totals per row and column, sorted and filtered.

    Queries: members, assignments (+ chosen learners), and one per kind of work.
    """
    now = now or timezone.now()
    people = members(cohort)
    assignments = assignments_of(cohort)
    _prepare(assignments)
    index = work_index(member_ids(cohort), assignments)
    urls = cell_url_templates(cohort)
    learner_url = _url_template("cohorts:learner", cohort.pk)
    rows = []
    for member in people:
        cells = learner_cells(member.id, assignments, index, now, urls)
        assigned = [cell for cell in cells if cell is not None]
        rows.append(
            GridRow(
                member=member,
                cells=cells,
                done=sum(1 for cell in assigned if cell.is_done),
                assigned=len(assigned),
                mean_score=_mean([c.score for c in assigned if c.score is not None]),
                url=learner_url.format(member.id),
            )
        )
    keys = [f"a{assignment.pk}" for assignment in assignments]
    columns = []
    for position, assignment in enumerate(assignments):
        cells = [row.cells[position] for row in rows if row.cells[position] is not None]
        columns.append(
            Column(
                assignment=assignment,
                key=keys[position],
                done=sum(1 for cell in cells if cell.is_done),
                assigned=len(cells),
                mean_score=_mean([c.score for c in cells if c.score is not None]),
            )
        )
    if status in STATUSES or status == "overdue":

        def matches(cell: Cell | None) -> bool:
            if cell is None:
                return False
            return cell.overdue if status == "overdue" else cell.status == status

        if sort in keys:
            position = keys.index(sort)
            rows = [row for row in rows if matches(row.cells[position])]
        else:
            rows = [row for row in rows if any(matches(cell) for cell in row.cells)]
    else:
        status = ""
    if sort not in keys and sort != "total":
        sort = "learner"
    rows.sort(key=_sort_key(sort, keys), reverse=descending)

    def link(key: str) -> tuple[str, str]:
        flip = key == sort and not descending
        query = (
            f"?sort={key}" + ("&dir=desc" if flip else "") + (f"&status={status}" if status else "")
        )
        aria = ("descending" if descending else "ascending") if key == sort else "none"
        return base_url + query, aria

    columns = [
        Column(
            **{**column.__dict__, "sort_url": link(column.key)[0], "aria_sort": link(column.key)[1]}
        )
        for column in columns
    ]
    learner_link, total_link = link("learner"), link("total")
    return ProgressGrid(
        cohort=cohort,
        columns=tuple(columns),
        rows=tuple(rows),
        sort=sort,
        descending=descending,
        status=status,
        total_learners=len(people),
        learner_sort_url=learner_link[0],
        learner_aria_sort=learner_link[1],
        total_sort_url=total_link[0],
        total_aria_sort=total_link[1],
    )


# One learner, read by the instructor ------------------------------------------------------------


def member_for(cohort: Cohort, learner_id: int) -> Member:
    """A current member of the cohort, or 404 (removed learners' pages go with them)."""
    found = next((m for m in roster_of_one(cohort, learner_id)), None)
    if found is None:
        raise Http404("No such learner in this cohort.")
    return found


def roster_of_one(cohort: Cohort, learner_id: int) -> list[Member]:
    rows = current_enrolments(cohort).filter(learner_id=learner_id).select_related("learner")
    return [
        Member(
            id=e.learner_id,
            username=e.learner.username,
            name=e.learner.display_name,
            joined_at=e.joined_at,
        )
        for e in rows
    ]


@dataclass(frozen=True)
class AssignmentResult:
    assignment: Assignment
    cell: Cell | None


@dataclass(frozen=True)
class LearnerRecord:
    cohort: Cohort
    member: Member
    results: tuple[AssignmentResult, ...]
    case_attempts: tuple[CaseAttempt, ...]
    quiz_attempts: tuple[QuizAttempt, ...]


def learner_record(
    cohort: Cohort, learner_id: int, *, now: datetime | None = None
) -> LearnerRecord:
    """Everything the learner did on the cohort's assignments: each cell, every case attempt
    and every quiz attempt at an assigned item (fixed queries)."""
    now = now or timezone.now()
    member = member_for(cohort, learner_id)
    assignments = assignments_of(cohort)
    _prepare(assignments)
    index = work_index([learner_id], assignments)
    cells = learner_cells(learner_id, assignments, index, now, cell_url_templates(cohort))
    case_ids = {a.case_id for a in assignments if a.kind == Kind.CASE}
    quiz_ids = {a.quiz_id for a in assignments if a.kind == Kind.QUIZ}
    cases = tuple(
        CaseAttempt.objects.filter(user_id=learner_id, case_id__in=case_ids)
        .select_related("case")
        .defer("state")
        .order_by("-started_at")
    )
    quizzes = tuple(
        QuizAttempt.objects.filter(user_id=learner_id, definition_id__in=quiz_ids)
        .select_related("definition")
        .order_by("-started_at")
    )
    return LearnerRecord(
        cohort=cohort,
        member=member,
        results=tuple(AssignmentResult(a, c) for a, c in zip(assignments, cells, strict=True)),
        case_attempts=cases,
        quiz_attempts=quizzes,
    )


def _assigned_to_cohort(cohort: Cohort, field_name: str) -> QuerySet:
    return Assignment.objects.filter(cohort=cohort).values(field_name)


def case_attempt_for(cohort: Cohort, attempt_id: int) -> CaseAttempt:
    """A member's finished attempt at a case assigned to the cohort; 404 otherwise."""
    try:
        return (
            CaseAttempt.objects.select_related("case_version", "user")
            .defer("case_version__definition")
            .get(
                pk=attempt_id,
                user_id__in=member_ids(cohort),
                case_id__in=_assigned_to_cohort(cohort, "case_id"),
                status=CaseStatus.FINISHED,
            )
        )
    except CaseAttempt.DoesNotExist:
        raise Http404("No such attempt in this cohort.") from None


def quiz_attempt_for(cohort: Cohort, attempt_id: int) -> QuizAttempt:
    try:
        return QuizAttempt.objects.select_related("definition", "user").get(
            pk=attempt_id,
            user_id__in=member_ids(cohort),
            definition_id__in=_assigned_to_cohort(cohort, "quiz_id"),
        )
    except QuizAttempt.DoesNotExist:
        raise Http404("No such attempt in this cohort.") from None


# A learner's own assignments (the home page) ----------------------------------------------------


@dataclass(frozen=True)
class MyAssignment:
    assignment: Assignment
    cell: Cell
    continue_url: str = ""  # a link (lesson, open attempt, result)
    start: bool = False  # offer a "start" button (a POST)
    not_open_yet: bool = False

    @property
    def action_label(self) -> str:
        if self.not_open_yet:
            return ""
        if self.cell.status == IN_PROGRESS:
            return "Continue"
        if self.cell.is_done:
            return "See result" if self.assignment.kind != Kind.LESSON else "Read again"
        return "Start" if self.assignment.kind != Kind.LESSON else "Read"


def learner_assignments(user, *, now: datetime | None = None) -> list[MyAssignment]:
    """The learner's assignments across their cohorts, soonest due first (four queries)."""
    now = now or timezone.now()
    mine = Enrolment.objects.filter(learner=user, left_at__isnull=True, cohort=OuterRef("cohort"))
    chosen = Assignment.learners.through.objects.filter(assignment=OuterRef("pk"))
    assignments = list(
        Assignment.objects.filter(Exists(mine))
        .annotate(has_chosen=Exists(chosen), for_me=Exists(chosen.filter(user=user)))
        .filter(Q(has_chosen=False) | Q(for_me=True))
        .select_related("cohort", "lesson__topic", "quiz", "case")
        .order_by("due_at", "pk")
    )
    index = work_index([user.pk], assignments)
    result = []
    for assignment in assignments:
        work = index.get((assignment.kind, user.pk, _target_id(assignment)), [])
        cell = cell_for(assignment, work, now)
        not_open = now < assignment.opens_at
        url, start = "", False
        if assignment.kind == Kind.LESSON:
            url = assignment.lesson.get_absolute_url()
        elif cell.open_attempt_id and cell.status == IN_PROGRESS:
            url = (
                reverse("cases:play", args=[cell.open_attempt_id])
                if assignment.kind == Kind.CASE
                else reverse("quizzes:take", args=[cell.open_attempt_id])
            )
        elif cell.is_done and cell.attempt_id:
            url = (
                reverse("cases:debrief", args=[cell.attempt_id])
                if assignment.kind == Kind.CASE
                else reverse("quizzes:result", args=[cell.attempt_id])
            )
        else:
            start = not not_open
        result.append(MyAssignment(assignment, cell, url, start, not_open))
    return result


def my_cohorts(user) -> QuerySet[Enrolment]:
    return (
        Enrolment.objects.filter(learner=user, left_at__isnull=True)
        .select_related("cohort")
        .order_by("cohort__name")
    )


def learner_assignment_for(user, pk: int) -> Assignment:
    """An assignment set for this learner in a cohort they are in; 404 otherwise."""
    mine = Enrolment.objects.filter(learner=user, left_at__isnull=True, cohort=OuterRef("cohort"))
    chosen = Assignment.learners.through.objects.filter(assignment=OuterRef("pk"))
    try:
        return (
            Assignment.objects.filter(Exists(mine))
            .annotate(has_chosen=Exists(chosen), for_me=Exists(chosen.filter(user=user)))
            .filter(Q(has_chosen=False) | Q(for_me=True))
            .select_related("quiz", "case", "lesson")
            .get(pk=pk)
        )
    except Assignment.DoesNotExist:
        raise Http404("No such assignment.") from None
