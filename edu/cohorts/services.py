"""Writes on cohorts, each named for the act, shared by the views and the demo seeding command:
making and editing a cohort, its join code, joining and leaving, the roster, assignments and
the at-risk flags an instructor dismisses.

Learner work is never deleted here: removing a learner ends their enrolment (the row stays, so
rejoining restores it) and an assignment only points at content, never owns attempts.
"""

from __future__ import annotations

import re
import secrets
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone

from cases.models import Attempt as CaseAttempt
from cases.models import Case
from cases.models import Mode as CaseMode
from cases.models import Status as CaseStatus
from cases.services import start_attempt as start_case_attempt
from edu.accounts.models import Role
from edu.lessons.models import Lesson
from edu.quizzes.models import AttemptStatus, QuizAttempt, QuizDefinition
from edu.quizzes.services import start_attempt as start_quiz_attempt

from .models import Assignment, Cohort, EndReason, Enrolment, Kind, Mode, RiskDismissal

CODE_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"  # no 0/o, 1/l/i: read aloud or copied safely
CODE_LENGTH = 8

# An assignment's mode, in each app's own words.
QUIZ_MODE = {Mode.TRAINING: "practice", Mode.ASSESSMENT: "exam"}
CASE_MODE = {Mode.TRAINING: CaseMode.TRAINING, Mode.ASSESSMENT: CaseMode.ASSESSMENT}


class CohortError(Exception):
    """A request the cohort rules refuse, with a message for the person who made it."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


# Cohorts --------------------------------------------------------------------------------------


def new_join_code() -> str:
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))


def _instructors_only(users: Iterable) -> list:
    users = list(users)
    wrong = [user for user in users if not user.is_instructor]
    if wrong:
        names = ", ".join(user.username for user in wrong)
        raise CohortError(f"Only instructors can teach a cohort; {names} is not an instructor.")
    return users


def create_cohort(
    *,
    name: str,
    created_by,
    term: str = "",
    starts_on: date | None = None,
    ends_on: date | None = None,
    co_instructors: Iterable = (),
) -> Cohort:
    """A new cohort taught by its creator (and any co-instructors), open to join by a fresh code."""
    instructors = _instructors_only([created_by, *co_instructors])
    cohort = Cohort(name=name.strip(), term=term.strip(), starts_on=starts_on, ends_on=ends_on)
    for _ in range(5):
        cohort.code = new_join_code()
        cohort.full_clean()
        try:
            with transaction.atomic():
                cohort.save()
                cohort.instructors.set({user.pk for user in instructors})
            return cohort
        except IntegrityError:  # a code collision, vanishingly rare: draw again
            cohort.pk = None
    raise CohortError("Could not find a free join code; try again.")


def update_cohort(
    *,
    cohort: Cohort,
    name: str,
    term: str = "",
    starts_on: date | None = None,
    ends_on: date | None = None,
    instructors: Iterable,
) -> Cohort:
    """Change a cohort's details and who teaches it; someone must still teach it."""
    instructors = _instructors_only(instructors)
    if not instructors:
        raise CohortError("A cohort needs at least one instructor.")
    cohort.name, cohort.term = name.strip(), term.strip()
    cohort.starts_on, cohort.ends_on = starts_on, ends_on
    cohort.full_clean(exclude=["code"])
    with transaction.atomic():
        cohort.save(update_fields=["name", "term", "starts_on", "ends_on"])
        cohort.instructors.set({user.pk for user in instructors})
    return cohort


def ensure_cohort(*, name: str, code: str, instructors) -> Cohort:
    """The cohort with this code, made if missing (demo seeding: the same code every run)."""
    cohort, _ = Cohort.objects.get_or_create(code=code, defaults={"name": name})
    cohort.instructors.add(*instructors)
    return cohort


def regenerate_code(*, cohort: Cohort) -> Cohort:
    """A new join code (and so a new link): the old one stops working at once."""
    cohort.code = new_join_code()
    cohort.save(update_fields=["code"])
    return cohort


def set_joining(*, cohort: Cohort, open: bool) -> Cohort:
    cohort.join_open = open
    cohort.save(update_fields=["join_open"])
    return cohort


# Joining and the roster -----------------------------------------------------------------------


def join_cohort(*, cohort: Cohort, learner) -> Enrolment:
    """Put the learner in the cohort, or back in it if they had left (their work was kept)."""
    enrolment, created = Enrolment.objects.get_or_create(cohort=cohort, learner=learner)
    if not created and enrolment.left_at is not None:
        enrolment.left_at, enrolment.end_reason = None, ""
        enrolment.save(update_fields=["left_at", "end_reason"])
    return enrolment


def cohort_for_code(code: str) -> Cohort:
    """The cohort a code (or the code inside a pasted join link) opens; CohortError if none."""
    code = code.strip().rstrip("/").rsplit("/", 1)[-1].casefold()
    cohort = Cohort.objects.filter(code=code).first() if code else None
    if cohort is None:
        raise CohortError("No cohort has that code. Check it with your instructor.")
    if not cohort.join_open:
        raise CohortError(f"'{cohort.name}' is not taking new members just now.")
    return cohort


def join_by_code(*, code: str, learner) -> Enrolment:
    cohort = cohort_for_code(code)
    already = Enrolment.objects.filter(cohort=cohort, learner=learner, left_at__isnull=True)
    if already.exists():
        raise CohortError(f"You are already in '{cohort.name}'.")
    return join_cohort(cohort=cohort, learner=learner)


@dataclass(frozen=True)
class Joined:
    ok: bool
    message: str


def join_after_sign_up(*, code: str, learner) -> Joined:
    """Sign-up through a join link: the new account lands in the cohort, or is told why not."""
    try:
        enrolment = join_by_code(code=code, learner=learner)
    except CohortError as refused:
        return Joined(False, f"{refused.message} You can join later from “Join a cohort”.")
    return Joined(True, f"You joined '{enrolment.cohort.name}'.")


def join_preview(*, code: str) -> str:
    """What the sign-up page says about the join link it came from."""
    try:
        cohort = cohort_for_code(code)
    except CohortError as refused:
        return refused.message
    return f"Create your account to join '{cohort.name}'."


def leave_cohort(*, cohort: Cohort, learner) -> None:
    _end(cohort=cohort, learner=learner, reason=EndReason.LEFT)


def remove_learner(*, cohort: Cohort, learner) -> None:
    _end(cohort=cohort, learner=learner, reason=EndReason.REMOVED)


def _end(*, cohort: Cohort, learner, reason: str) -> None:
    Enrolment.objects.filter(cohort=cohort, learner=learner, left_at__isnull=True).update(
        left_at=timezone.now(), end_reason=reason
    )


@dataclass
class AddReport:
    """What became of each pasted name: added, already in, not found, or not a learner."""

    added: list[str] = field(default_factory=list)
    already: list[str] = field(default_factory=list)
    not_found: list[str] = field(default_factory=list)
    not_learners: list[str] = field(default_factory=list)


def split_identifiers(text: str) -> list[str]:
    """Usernames or e-mail addresses pasted one a line, or separated by commas, semicolons or
    spaces; duplicates dropped, order kept."""
    seen: dict[str, str] = {}
    for raw in re.split(r"[\s,;]+", text):
        name = raw.strip().strip("<>\"'")
        if name and name.casefold() not in seen:
            seen[name.casefold()] = name
    return list(seen.values())


def add_learners(*, cohort: Cohort, identifiers: str) -> AddReport:
    """Enrol learners named by username or e-mail (any case), reporting on each name."""
    names = split_identifiers(identifiers)
    report = AddReport()
    if not names:
        return report
    users = get_user_model().objects.all()
    wanted = Q()
    for name in names:
        wanted |= Q(username__iexact=name) | Q(email__iexact=name)
    found = list(users.filter(wanted))
    current = set(
        Enrolment.objects.filter(cohort=cohort, left_at__isnull=True).values_list(
            "learner_id", flat=True
        )
    )
    for name in names:
        key = name.casefold()
        user = next(
            (u for u in found if u.username.casefold() == key or u.email.casefold() == key), None
        )
        if user is None:
            report.not_found.append(name)
        elif user.role != Role.LEARNER:
            report.not_learners.append(name)
        elif user.pk in current:
            report.already.append(name)
        else:
            join_cohort(cohort=cohort, learner=user)
            current.add(user.pk)
            report.added.append(name)
    return report


# Assignments ----------------------------------------------------------------------------------


TARGET_MODELS = {Kind.LESSON: Lesson, Kind.QUIZ: QuizDefinition, Kind.CASE: Case}


def _place_target(assignment: Assignment, kind: str, target) -> None:
    assignment.kind = kind
    assignment.lesson = target if kind == Kind.LESSON else None
    assignment.quiz = target if kind == Kind.QUIZ else None
    assignment.case = target if kind == Kind.CASE else None


def _check_learners(cohort: Cohort, learners: Iterable) -> list:
    learners = list(learners)
    members = set(
        Enrolment.objects.filter(
            cohort=cohort, left_at__isnull=True, learner__in=learners
        ).values_list("learner_id", flat=True)
    )
    strangers = [learner for learner in learners if learner.pk not in members]
    if strangers:
        names = ", ".join(learner.username for learner in strangers)
        raise CohortError(f"Only learners in this cohort can be chosen; {names} is not.")
    return learners


def _save_assignment(assignment: Assignment, learners: list) -> Assignment:
    try:
        assignment.full_clean()
    except ValidationError as invalid:
        raise CohortError(" ".join(invalid.messages)) from None
    with transaction.atomic():
        assignment.save()
        assignment.learners.set(learners)
    return assignment


def create_assignment(
    *,
    cohort: Cohort,
    kind: str,
    target,
    due_at: datetime,
    opens_at: datetime | None = None,
    attempts_limit: int | None = None,
    mode: str = Mode.TRAINING,
    learners: Iterable = (),
) -> Assignment:
    """Set a lesson, quiz or case for the cohort, or for chosen learners in it."""
    if kind not in Kind.values:
        raise CohortError(f"Unknown kind '{kind}': choose a lesson, a quiz or a case.")
    assignment = Assignment(
        cohort=cohort,
        opens_at=opens_at or timezone.now(),
        due_at=due_at,
        attempts_limit=attempts_limit,
        mode=mode,
    )
    _place_target(assignment, kind, target)
    return _save_assignment(assignment, _check_learners(cohort, learners))


def update_assignment(
    *,
    assignment: Assignment,
    opens_at: datetime,
    due_at: datetime,
    attempts_limit: int | None,
    mode: str,
    learners: Iterable = (),
) -> Assignment:
    """Change dates, limit, mode or who it is for; learner work is matched afresh, never lost."""
    assignment.opens_at, assignment.due_at = opens_at, due_at
    assignment.attempts_limit, assignment.mode = attempts_limit, mode
    return _save_assignment(assignment, _check_learners(assignment.cohort, learners))


def delete_assignment(*, assignment: Assignment) -> None:
    """Take the assignment away; the attempts made for it stay with their learners."""
    assignment.delete()


def start_assignment(*, assignment: Assignment, learner, now: datetime | None = None):
    """Open (or resume) the learner's attempt at an assigned quiz or case in its mode.

    Refuses before the opening date and once the attempts that count are used up; returns the
    quiz or case attempt. Lessons are simply read, so they are not started here.
    """
    now = now or timezone.now()
    if now < assignment.opens_at:
        raise CohortError(f"'{assignment.title}' opens on {assignment.opens_at:%-d %b %Y, %H:%M}.")
    if assignment.kind == Kind.CASE:
        open_one = CaseAttempt.objects.filter(
            user=learner,
            case=assignment.case,
            mode=CASE_MODE[assignment.mode],
            status=CaseStatus.IN_PROGRESS,
        )
        if not open_one.exists():
            _check_limit(
                assignment,
                CaseAttempt.objects.filter(
                    user=learner,
                    case=assignment.case,
                    mode=CASE_MODE[assignment.mode],
                    started_at__gte=assignment.opens_at,
                ).count(),
            )
        return start_case_attempt(
            user=learner, case=assignment.case, mode=CASE_MODE[assignment.mode]
        )
    if assignment.kind == Kind.QUIZ:
        mine = QuizAttempt.objects.filter(user=learner, definition=assignment.quiz)
        if not mine.filter(status=AttemptStatus.IN_PROGRESS).exists():
            _check_limit(
                assignment,
                mine.filter(
                    mode=QUIZ_MODE[assignment.mode], started_at__gte=assignment.opens_at
                ).count(),
            )
        return start_quiz_attempt(
            user=learner, definition=assignment.quiz, mode=QUIZ_MODE[assignment.mode], now=now
        )
    raise CohortError("A lesson is not started; open it and mark it read.")


def _check_limit(assignment: Assignment, used: int) -> None:
    limit = assignment.attempts_limit
    if limit is not None and used >= limit:
        plural = "attempt" if limit == 1 else "attempts"
        raise CohortError(f"You have used the {limit} {plural} '{assignment.title}' allows.")


# At-risk flags --------------------------------------------------------------------------------


def dismiss_risk(*, cohort: Cohort, learner_id: int, reason: str, by) -> RiskDismissal:
    dismissal, _ = RiskDismissal.objects.get_or_create(
        cohort=cohort, learner_id=learner_id, reason=reason, defaults={"dismissed_by": by}
    )
    return dismissal
