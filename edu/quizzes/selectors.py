"""Reads for the quiz pages: what a learner may take, one attempt as a page, results, review
work due, and My progress. Each page's read costs a fixed number of queries, however large the
question bank or the learner's history grows.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.db.models import Count, Exists, Max, Min, OuterRef, Q, QuerySet
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone

from cases.engine.levels import level_label
from cases.models import Attempt as CaseAttempt
from cases.models import Case
from cases.models import Status as CaseStatus
from edu.lessons.models import Lesson, LessonProgress
from edu.statistics.levels import OTHER, ConfusionMatrix, level_statistics

from .models import (
    Answer,
    AttemptStatus,
    Mode,
    Option,
    Question,
    QuizAttempt,
    QuizDefinition,
    QuizItem,
    ReviewCard,
    Status,
)

SCORE_HISTORY = 20

# Questions -----------------------------------------------------------------------------------


def learner_questions() -> QuerySet[Question]:
    """Questions learners may see: approved (in the file or by an author) and not withdrawn."""
    return Question.objects.filter(status=Status.APPROVED, is_active=True)


def eligible_questions(*, definition: QuizDefinition) -> QuerySet[Question]:
    questions = learner_questions()
    if definition.lesson_keys:
        questions = questions.filter(lesson_key__in=definition.lesson_keys)
    if definition.levels:
        questions = questions.filter(level__in=definition.levels)
    return questions


def due_cards(*, user, now: datetime | None = None) -> QuerySet[ReviewCard]:
    return ReviewCard.objects.filter(
        user=user,
        due__lte=now or timezone.now(),
        question__status=Status.APPROVED,
        question__is_active=True,
    )


def due_count(*, user, now: datetime | None = None) -> int:
    """How many of the learner's questions are due for review (one COUNT query)."""
    if not user.is_authenticated:
        return 0
    return due_cards(user=user, now=now).count()


# The quiz index ------------------------------------------------------------------------------


@dataclass(frozen=True)
class QuizRow:
    """One quiz on the index, with what this learner has done with it."""

    definition: QuizDefinition
    available: int
    open_attempt_id: int | None = None
    attempts: int = 0
    best_score: float | None = None

    @property
    def size(self) -> int:
        return min(self.available, self.definition.question_count)


def quiz_rows(*, user) -> list[QuizRow]:
    definitions = list(QuizDefinition.objects.filter(is_active=True).select_related("lesson"))
    bank = list(
        learner_questions().values("lesson_key", "level").annotate(n=Count("id")).order_by()
    )
    mine: dict[int, dict] = {}
    if user.is_authenticated:
        mine = {
            row["definition_id"]: row
            for row in QuizAttempt.objects.filter(user=user, definition__isnull=False)
            .values("definition_id")
            .annotate(
                attempts=Count("id"),
                best=Max("score", filter=Q(status=AttemptStatus.FINISHED)),
                open_id=Max("id", filter=Q(status=AttemptStatus.IN_PROGRESS)),
            )
            .order_by()
        }
    rows = []
    for definition in definitions:
        available = sum(
            row["n"]
            for row in bank
            if (not definition.lesson_keys or row["lesson_key"] in definition.lesson_keys)
            and (not definition.levels or row["level"] in definition.levels)
        )
        done = mine.get(definition.pk, {})
        rows.append(
            QuizRow(
                definition=definition,
                available=available,
                open_attempt_id=done.get("open_id"),
                attempts=done.get("attempts", 0),
                best_score=done.get("best"),
            )
        )
    return rows


@dataclass(frozen=True)
class ReviewSummary:
    due: int
    next_due: datetime | None
    open_attempt_id: int | None


def review_summary(*, user, now: datetime | None = None) -> ReviewSummary:
    """Due count, when the next card falls due, and an open review session to resume."""
    now = now or timezone.now()
    cards = ReviewCard.objects.filter(
        user=user, question__status=Status.APPROVED, question__is_active=True
    )
    figures = cards.aggregate(
        n_due=Count("id", filter=Q(due__lte=now)), first_due=Min("due", filter=Q(due__gt=now))
    )
    open_id = (
        QuizAttempt.objects.filter(user=user, mode=Mode.REVIEW, status=AttemptStatus.IN_PROGRESS)
        .values_list("id", flat=True)
        .first()
    )
    return ReviewSummary(
        due=figures["n_due"], next_due=figures["first_due"], open_attempt_id=open_id
    )


# One attempt ---------------------------------------------------------------------------------


def attempt_for(*, user, pk: int) -> QuizAttempt:
    """The learner's own attempt; anyone else's is a 404, as if it did not exist."""
    return get_object_or_404(QuizAttempt.objects.select_related("definition"), pk=pk, user=user)


@dataclass(frozen=True)
class Choice:
    """One option as the page shows it: whether the learner chose it, and whether its note
    ("why") is shown, which it is for the chosen and the correct option."""

    option: Option
    chosen: bool

    @property
    def correct(self) -> bool:
        return self.option.is_correct

    @property
    def show_why(self) -> bool:
        return self.chosen or self.option.is_correct


@dataclass(frozen=True)
class ItemView:
    """One item as the learner saw it: the question, its options in their shown order, and
    the answer if one was given."""

    item: QuizItem
    question: Question
    options: tuple[Option, ...]
    answer: Answer | None

    @property
    def position(self) -> int:
        return self.item.position

    @property
    def chosen_id(self) -> int | None:
        return self.answer.option_id if self.answer else None

    @property
    def correct_option(self) -> Option | None:
        return next((option for option in self.options if option.is_correct), None)

    @property
    def chosen_option(self) -> Option | None:
        return next((option for option in self.options if option.pk == self.chosen_id), None)

    @property
    def choices(self) -> tuple[Choice, ...]:
        return tuple(
            Choice(option=option, chosen=option.pk == self.chosen_id) for option in self.options
        )

    @property
    def chosen_is_gone(self) -> bool:
        """The chosen option was removed from the question since; show the answer's copy."""
        return bool(self.answer) and self.chosen_option is None


@dataclass(frozen=True)
class ItemStatus:
    position: int
    answered: bool
    correct: bool | None


@dataclass(frozen=True)
class AttemptPage:
    """The take page: where the learner is in the attempt and the item in front of them."""

    attempt: QuizAttempt
    statuses: tuple[ItemStatus, ...]
    current: ItemView | None
    next_position: int | None
    unanswered: int

    @property
    def show_feedback(self) -> bool:
        return bool(
            self.current
            and self.current.answer
            and (self.attempt.gives_feedback_as_you_go or not self.attempt.is_open)
        )


def _answer_of(item: QuizItem) -> Answer | None:
    try:
        return item.answer
    except Answer.DoesNotExist:
        return None


def _ordered(option_order: list[int], options: dict[int, Option]) -> tuple[Option, ...]:
    # Options deleted since the attempt was drawn drop out; the answer keeps its own copy.
    return tuple(options[pk] for pk in option_order if pk in options)


def attempt_page(*, attempt: QuizAttempt, position: int | None = None) -> AttemptPage:
    """The item at `position`, or (when None) the first unanswered one."""
    items = list(QuizItem.objects.filter(attempt=attempt).select_related("question", "answer"))
    answers = {item.position: _answer_of(item) for item in items}
    statuses = tuple(
        ItemStatus(
            position=item.position,
            answered=answers[item.position] is not None,
            correct=answers[item.position].is_correct if answers[item.position] else None,
        )
        for item in items
    )
    unanswered = [status.position for status in statuses if not status.answered]
    if position is None:
        position = unanswered[0] if unanswered else None
    item = next((item for item in items if item.position == position), None)
    current = None
    if item is not None:
        options = {option.pk: option for option in Option.objects.filter(question=item.question)}
        current = ItemView(
            item=item,
            question=item.question,
            options=_ordered(item.option_order, options),
            answer=answers[item.position],
        )
    after = [p for p in unanswered if position is None or p > position]
    next_position = (after or unanswered or [None])[0]
    if next_position == position:
        next_position = None
    return AttemptPage(
        attempt=attempt,
        statuses=statuses,
        current=current,
        next_position=next_position,
        unanswered=len(unanswered),
    )


def attempt_result(*, attempt: QuizAttempt) -> tuple[ItemView, ...]:
    """Every item with its question, options (as shown) and answer: the replayed attempt."""
    items = list(QuizItem.objects.filter(attempt=attempt).select_related("question", "answer"))
    options = {
        option.pk: option
        for option in Option.objects.filter(question_id__in=[item.question_id for item in items])
    }
    return tuple(
        ItemView(
            item=item,
            question=item.question,
            options=_ordered(item.option_order, options),
            answer=_answer_of(item),
        )
        for item in items
    )


# My progress ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class LessonRead:
    title: str
    url: str
    is_read: bool


@dataclass(frozen=True)
class ScorePoint:
    attempt_id: int
    title: str
    mode: str
    finished_at: datetime
    score: float


@dataclass(frozen=True)
class CaseResult:
    title: str
    url: str
    finished_at: datetime
    chosen_level: str
    correct_level: str
    localization: float
    overall: float


@dataclass(frozen=True)
class Link:
    label: str
    url: str


@dataclass(frozen=True)
class Suggestion:
    headline: str
    reason: str
    links: tuple[Link, ...] = ()


@dataclass(frozen=True)
class ProgressPage:
    lessons: tuple[LessonRead, ...]
    scores: tuple[ScorePoint, ...]
    cases: tuple[CaseResult, ...]
    matrix: ConfusionMatrix
    suggestion: Suggestion
    due: int
    quizzes_finished: int = 0
    cases_finished: int = 0

    @property
    def lessons_read(self) -> int:
        return sum(1 for lesson in self.lessons if lesson.is_read)


def _lessons_read(user) -> tuple[LessonRead, ...]:
    lessons = (
        Lesson.objects.filter(is_active=True)
        .select_related("topic")
        .annotate(is_read=Exists(LessonProgress.objects.filter(user=user, lesson=OuterRef("pk"))))
        .order_by("topic__title", "order")
    )
    return tuple(
        LessonRead(title=lesson.title, url=lesson.get_absolute_url(), is_read=lesson.is_read)
        for lesson in lessons
    )


def _score_points(user) -> tuple[ScorePoint, ...]:
    attempts = (
        QuizAttempt.objects.filter(
            user=user, status=AttemptStatus.FINISHED, definition__isnull=False
        )
        .select_related("definition")
        .order_by("-finished_at")[:SCORE_HISTORY]
    )
    return tuple(
        ScorePoint(
            attempt_id=attempt.pk,
            title=attempt.definition.title,
            mode=attempt.get_mode_display(),
            finished_at=attempt.finished_at,
            score=attempt.score or 0.0,
        )
        for attempt in reversed(list(attempts))
    )


def _case_attempts(user) -> QuerySet[CaseAttempt]:
    return CaseAttempt.objects.filter(user=user, status=CaseStatus.FINISHED)


def _case_results(user) -> tuple[CaseResult, ...]:
    rows = (
        _case_attempts(user)
        .order_by("-finished_at")
        .values(
            "pk",
            "case__title",
            "finished_at",
            "chosen_level",
            "correct_level",
            "score_localization",
            "score_overall",
        )[:SCORE_HISTORY]
    )
    return tuple(
        CaseResult(
            title=row["case__title"],
            url=reverse("cases:debrief", args=[row["pk"]]),
            finished_at=row["finished_at"],
            chosen_level=level_label(row["chosen_level"]),
            correct_level=level_label(row["correct_level"]),
            localization=row["score_localization"] or 0.0,
            overall=row["score_overall"] or 0.0,
        )
        for row in rows
    )


def _suggestion(
    *, matrix: ConfusionMatrix, lessons: tuple[LessonRead, ...], due: int, quizzes_finished: int
) -> Suggestion:
    weak = [row for row in matrix.answered_rows if row.correct < row.total]
    if weak:
        row = min(weak, key=lambda r: (r.accuracy, -r.total))
        confused = max(
            (cell for cell in row.cells if not cell.is_diagonal and cell.count),
            key=lambda cell: cell.count,
        )
        instead = (
            "another answer" if confused.chosen == OTHER else level_label(confused.chosen).lower()
        )
        return Suggestion(
            headline=f"Work on {row.label.lower()}",
            reason=(
                f"You placed {row.label.lower()} correctly in {row.correct} of {row.total} "
                f"answers; most often you chose {instead} instead."
            ),
            links=_links_for_level(row.level),
        )
    if due:
        return Suggestion(
            headline=f"Review {due} due question{'s' if due != 1 else ''}",
            reason="Answering them now, as they come due, is what makes them stick.",
            links=(Link("Start the review", reverse("quizzes:review")),),
        )
    unread = next((lesson for lesson in lessons if not lesson.is_read), None)
    if unread is not None:
        return Suggestion(
            headline=f"Read “{unread.title}”",
            reason="It is the next lesson you have not read yet.",
            links=(Link(unread.title, unread.url),),
        )
    if not quizzes_finished:
        return Suggestion(
            headline="Take a quiz",
            reason="A practice quiz shows which levels you place with confidence.",
            links=(Link("Quizzes", reverse("quizzes:index")),),
        )
    return Suggestion(
        headline="Work a patient case",
        reason="You have placed every level you met correctly; a case tests it at the bedside.",
        links=(Link("Case library", reverse("cases:library")),),
    )


def _links_for_level(level: str) -> tuple[Link, ...]:
    """The lesson and quiz holding the most questions at this level, and a case at it."""
    links = []
    top = (
        learner_questions()
        .filter(level=level, lesson__isnull=False)
        .values("lesson", "lesson__title", "lesson__slug", "lesson__topic__slug")
        .annotate(n=Count("id"))
        .order_by("-n", "lesson__title")
        .first()
    )
    if top is not None:
        links.append(
            Link(
                f"Lesson: {top['lesson__title']}",
                reverse("lessons:lesson", args=[top["lesson__topic__slug"], top["lesson__slug"]]),
            )
        )
        quiz = (
            QuizDefinition.objects.filter(is_active=True, lesson=top["lesson"])
            .values("title", "slug")
            .first()
        )
        if quiz is not None:
            url = f"{reverse('quizzes:index')}#quiz-{quiz['slug']}"
            links.append(Link(f"Quiz: {quiz['title']}", url))
    case = _case_at_level(level)
    if case is not None:
        links.append(
            Link(f"Case: {case['title']}", reverse("cases:library") + f"#case-{case['slug']}")
        )
    return tuple(links)


def _case_at_level(level: str) -> dict | None:
    return (
        Case.objects.filter(level=level, is_active=True, current_version__isnull=False)
        .order_by("title")
        .values("title", "slug")
        .first()
    )


def progress_page(*, user, now: datetime | None = None) -> ProgressPage:
    lessons = _lessons_read(user)
    scores = _score_points(user)
    matrix = level_statistics(learners=user).matrix
    due = due_count(user=user, now=now)
    # Counted, not taken from the lists above: those stop at the last SCORE_HISTORY results.
    finished = QuizAttempt.objects.filter(
        user=user, status=AttemptStatus.FINISHED, definition__isnull=False
    ).count()
    return ProgressPage(
        lessons=lessons,
        scores=scores,
        cases=_case_results(user),
        matrix=matrix,
        suggestion=_suggestion(matrix=matrix, lessons=lessons, due=due, quizzes_finished=finished),
        due=due,
        quizzes_finished=finished,
        cases_finished=_case_attempts(user).count(),
    )


def quiz_for_lesson(*, lesson) -> QuizDefinition | None:
    """The lesson's own quiz, for the "test yourself" panel under the lesson (one query)."""
    return (
        QuizDefinition.objects.filter(lesson=lesson, is_active=True)
        .only("slug", "title", "question_count")
        .first()
    )
