"""What the home page offers a signed-in learner: where to start if they are new, what to
continue if they are back (an open case or quiz, review that is due), and their assignments.

A few small queries, none of which grows with the learner's history.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.urls import reverse

from cases.models import Attempt as CaseAttempt
from cases.models import Status as CaseStatus
from cases.selectors import library_cases
from edu.cohorts.selectors import MyAssignment, learner_assignments
from edu.lessons.models import Lesson, LessonProgress
from edu.quizzes.models import AttemptStatus, QuizAttempt
from edu.quizzes.selectors import due_count


@dataclass(frozen=True)
class Step:
    headline: str
    detail: str
    url: str
    label: str


@dataclass(frozen=True)
class HomePage:
    is_new: bool
    steps: tuple[Step, ...]
    review_due: int
    assignments: tuple[MyAssignment, ...]


def home_page(user) -> HomePage:
    review_due = due_count(user=user)
    assignments = tuple(learner_assignments(user))
    steps: list[Step] = []
    open_case = (
        CaseAttempt.objects.filter(user=user, status=CaseStatus.IN_PROGRESS)
        .select_related("case")
        .only("pk", "case__title", "updated_at")
        .order_by("-updated_at")
        .first()
    )
    if open_case is not None:
        steps.append(
            Step(
                "Continue your case",
                f"{open_case.case.title}: pick up where you stopped.",
                reverse("cases:play", args=[open_case.pk]),
                "Continue the case",
            )
        )
    open_quiz = (
        QuizAttempt.objects.filter(
            user=user, status=AttemptStatus.IN_PROGRESS, definition__isnull=False
        )
        .select_related("definition")
        .order_by("-started_at")
        .first()
    )
    if open_quiz is not None:
        steps.append(
            Step(
                "Finish your quiz",
                f"{open_quiz.definition.title}: "
                f"{open_quiz.n_answered} of {open_quiz.n_items} answered.",
                reverse("quizzes:take", args=[open_quiz.pk]),
                "Continue the quiz",
            )
        )
    if review_due:
        plural = "question is" if review_due == 1 else "questions are"
        steps.append(
            Step(
                f"Review {review_due} due",
                f"{review_due} {plural} back on your spaced-review schedule.",
                reverse("quizzes:review"),
                "Go to review",
            )
        )
    has_read = LessonProgress.objects.filter(user=user).exists()
    is_new = (
        open_case is None
        and open_quiz is None
        and not has_read
        and not review_due
        and not (
            CaseAttempt.objects.filter(user=user).exists()
            or QuizAttempt.objects.filter(user=user).exists()
        )
    )
    if is_new:
        lesson = (
            Lesson.objects.filter(is_active=True)
            .select_related("topic")
            .order_by("topic__title", "order")
            .first()
        )
        if lesson is not None:
            steps.append(
                Step(
                    "Start with the first lesson",
                    f"“{lesson.title}” sets out the levels of the motor unit in a few minutes.",
                    lesson.get_absolute_url(),
                    "Read the first lesson",
                )
            )
        case = library_cases(user).first()
        if case is not None:
            steps.append(
                Step(
                    "Then work your first patient",
                    f"{case.title}: take a history, examine, test and commit a localization.",
                    reverse("cases:library") + f"#case-{case.slug}",
                    "Open the first case",
                )
            )
    return HomePage(
        is_new=is_new, steps=tuple(steps), review_due=review_due, assignments=assignments
    )
