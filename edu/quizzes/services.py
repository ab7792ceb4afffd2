"""The acts of taking quizzes: start an attempt, answer an item, submit, start a review session.

Views, tests and demo seeding all call these, so every path enforces the same rules: an answer
must pick one of the item's own options, an item is answered once, a closed attempt takes no
more answers, and every answer advances the learner's review card for that question.
"""

from __future__ import annotations

import random
from collections import defaultdict
from collections.abc import Iterable
from datetime import datetime

from django.db import IntegrityError, transaction
from django.utils import timezone

from . import scheduling
from .models import (
    Answer,
    AttemptStatus,
    Kind,
    Mode,
    Option,
    Question,
    QuizAttempt,
    QuizDefinition,
    QuizItem,
    ReviewCard,
    Status,
)
from .selectors import due_cards, eligible_questions

REVIEW_SESSION_SIZE = 20


class QuizError(Exception):
    """A request the quiz rules refuse; `status` is the HTTP status a view should answer with."""

    status = 400

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class NoQuestions(QuizError):
    status = 409


class NothingDue(QuizError):
    status = 409


class ItemNotFound(QuizError):
    status = 404


class OptionNotInItem(QuizError):
    status = 400


class AttemptClosed(QuizError):
    status = 409


class AlreadyAnswered(QuizError):
    status = 409


# Starting ------------------------------------------------------------------------------------


def start_attempt(
    *,
    user,
    definition: QuizDefinition,
    mode: str,
    now: datetime | None = None,
    rng: random.Random | None = None,
) -> QuizAttempt:
    """Draw a new attempt at `definition`, or return the learner's open one (resume)."""
    if mode not in (Mode.PRACTICE, Mode.EXAM):
        raise QuizError(f"Unknown quiz mode '{mode}': choose practice or exam.")
    open_attempt = _open_attempt(user=user, definition=definition)
    if open_attempt is not None:
        return open_attempt
    rng = rng or random.SystemRandom()
    question_ids = draw_questions(definition=definition, rng=rng)
    if not question_ids:
        raise NoQuestions(f"'{definition.title}' has no approved questions yet.")
    now = now or timezone.now()
    try:
        with transaction.atomic():
            is_first = not QuizAttempt.objects.filter(user=user, definition=definition).exists()
            attempt = QuizAttempt.objects.create(
                user=user,
                definition=definition,
                mode=mode,
                started_at=now,
                n_items=len(question_ids),
                is_first_attempt=is_first,
            )
            _create_items(attempt=attempt, question_ids=question_ids, rng=rng)
    except IntegrityError:
        # Another request (a double click) opened the attempt first: resume that one.
        open_attempt = _open_attempt(user=user, definition=definition)
        if open_attempt is None:
            raise
        return open_attempt
    return attempt


def _open_attempt(*, user, definition: QuizDefinition) -> QuizAttempt | None:
    return QuizAttempt.objects.filter(
        user=user, definition=definition, status=AttemptStatus.IN_PROGRESS
    ).first()


def draw_questions(*, definition: QuizDefinition, rng: random.Random) -> list[int]:
    """Question ids for one attempt at `definition`, spread across its lessons."""
    by_lesson: dict[str, list[int]] = defaultdict(list)
    for question_id, lesson_key in eligible_questions(definition=definition).values_list(
        "id", "lesson_key"
    ):
        by_lesson[lesson_key].append(question_id)
    return spread_draw(by_lesson, definition.question_count, rng)


def spread_draw(pools: dict[str, list[int]], count: int, rng: random.Random) -> list[int]:
    """Up to `count` ids taken in turn from each pool, so a topic quiz spans the lessons instead
    of clustering in the largest; the result comes shuffled."""
    shuffled = [list(pools[key]) for key in sorted(pools)]
    for pool in shuffled:
        rng.shuffle(pool)
    rng.shuffle(shuffled)
    drawn: list[int] = []
    while len(drawn) < count and any(shuffled):
        for pool in shuffled:
            if pool and len(drawn) < count:
                drawn.append(pool.pop())
    rng.shuffle(drawn)
    return drawn


def _create_items(*, attempt: QuizAttempt, question_ids: list[int], rng: random.Random) -> None:
    """One item per question, in the drawn order, each with its own shuffle of the options.

    True/false options keep their True-then-False order: shuffling two fixed words only slows
    the reader down.
    """
    options: dict[int, list[int]] = defaultdict(list)
    kinds = dict(Question.objects.filter(id__in=question_ids).values_list("id", "kind"))
    for question_id, option_id in (
        Option.objects.filter(question_id__in=question_ids)
        .order_by("question_id", "position")
        .values_list("question_id", "id")
    ):
        options[question_id].append(option_id)
    items = []
    for position, question_id in enumerate(question_ids, start=1):
        order = options[question_id]
        if kinds.get(question_id) != Kind.TRUE_FALSE:
            rng.shuffle(order)
        items.append(
            QuizItem(
                attempt=attempt, position=position, question_id=question_id, option_order=order
            )
        )
    QuizItem.objects.bulk_create(items)


def start_review(
    *,
    user,
    now: datetime | None = None,
    limit: int = REVIEW_SESSION_SIZE,
    rng: random.Random | None = None,
) -> QuizAttempt:
    """A review session of the learner's due questions, most overdue first (or the open one)."""
    open_attempt = QuizAttempt.objects.filter(
        user=user, mode=Mode.REVIEW, status=AttemptStatus.IN_PROGRESS
    ).first()
    if open_attempt is not None:
        return open_attempt
    now = now or timezone.now()
    question_ids = list(
        due_cards(user=user, now=now).order_by("due").values_list("question_id", flat=True)[:limit]
    )
    if not question_ids:
        raise NothingDue("Nothing is due for review. Come back later.")
    with transaction.atomic():
        attempt = QuizAttempt.objects.create(
            user=user, mode=Mode.REVIEW, started_at=now, n_items=len(question_ids)
        )
        _create_items(attempt=attempt, question_ids=question_ids, rng=rng or random.SystemRandom())
    return attempt


# Answering -----------------------------------------------------------------------------------


def answer_item(
    *, attempt: QuizAttempt, position: int, option_id: int, now: datetime | None = None
) -> Answer:
    """Record the learner's choice for the item at `position`, mark it, and reschedule the
    question for review. Refuses (changing nothing) an option from elsewhere, a second answer
    and an answer to a closed attempt."""
    now = now or timezone.now()
    with transaction.atomic():
        locked = QuizAttempt.objects.select_for_update().get(pk=attempt.pk)
        if not locked.is_open:
            raise AttemptClosed("This attempt is finished; its answers can no longer change.")
        item = QuizItem.objects.filter(attempt=locked, position=position).first()
        if item is None:
            raise ItemNotFound(f"This attempt has no question {position}.")
        if Answer.objects.filter(item=item).exists():
            raise AlreadyAnswered(f"Question {position} is already answered; answers are final.")
        option = None
        if option_id in item.option_order:
            option = Option.objects.filter(pk=option_id, question_id=item.question_id).first()
        if option is None:
            raise OptionNotInItem("That choice is not one of this question's options.")
        try:
            with transaction.atomic():
                answer = Answer.objects.create(
                    item=item,
                    attempt=locked,
                    user_id=locked.user_id,
                    question_id=item.question_id,
                    option=option,
                    option_text=option.text,
                    is_correct=option.is_correct,
                    is_review=locked.mode == Mode.REVIEW,
                    answered_at=now,
                )
        except IntegrityError as exc:
            raise AlreadyAnswered(
                f"Question {position} is already answered; answers are final."
            ) from exc
        locked.n_answered += 1
        locked.n_correct += int(option.is_correct)
        fields = ["n_answered", "n_correct"]
        if locked.gives_feedback_as_you_go and locked.n_answered >= locked.n_items:
            _finish(locked, now)
            fields += ["status", "finished_at", "score"]
        locked.save(update_fields=fields)
        record_review(
            user_id=locked.user_id,
            question_id=item.question_id,
            correct=option.is_correct,
            at=now,
        )
    _refresh(attempt, locked)
    return answer


def submit_attempt(*, attempt: QuizAttempt, now: datetime | None = None) -> QuizAttempt:
    """Close the attempt and score it; unanswered items count as wrong."""
    now = now or timezone.now()
    with transaction.atomic():
        locked = QuizAttempt.objects.select_for_update().get(pk=attempt.pk)
        if not locked.is_open:
            raise AttemptClosed("This attempt is already submitted.")
        _finish(locked, now)
        locked.save(update_fields=["status", "finished_at", "score"])
    _refresh(attempt, locked)
    return attempt


def _finish(attempt: QuizAttempt, now: datetime) -> None:
    attempt.status = AttemptStatus.FINISHED
    attempt.finished_at = now
    attempt.score = attempt.n_correct / attempt.n_items if attempt.n_items else 0.0


def _refresh(stale: QuizAttempt, fresh: QuizAttempt) -> None:
    for name in ("status", "finished_at", "score", "n_answered", "n_correct"):
        setattr(stale, name, getattr(fresh, name))


# Review scheduling ---------------------------------------------------------------------------


def record_review(*, user_id: int, question_id: int, correct: bool, at: datetime) -> ReviewCard:
    """Create or advance the learner's card for this question by one answer."""
    with transaction.atomic():
        card, _created = ReviewCard.objects.select_for_update().get_or_create(
            user_id=user_id, question_id=question_id, defaults={"due": at}
        )
        scheduled = scheduling.review(card_id=card.pk, state=card.card, correct=correct, at=at)
        card.card = scheduled.state
        card.due = scheduled.due
        card.last_review = scheduled.last_review
        card.reviews += 1
        card.save(update_fields=["card", "due", "last_review", "reviews"])
    return card


# Authoring -----------------------------------------------------------------------------------


def approve_questions(*, questions: Iterable[Question]) -> int:
    """Approve questions from the admin; the approval survives reloads of a draft file."""
    ids = [question.pk for question in questions]
    return Question.objects.filter(pk__in=ids).update(
        approved_in_admin=True, status=Status.APPROVED, updated_at=timezone.now()
    )


def return_to_draft(*, questions: Iterable[Question]) -> int:
    """Withdraw admin approval; a question whose file says approved stays approved."""
    ids = [question.pk for question in questions]
    now = timezone.now()
    Question.objects.filter(pk__in=ids).update(approved_in_admin=False, updated_at=now)
    return Question.objects.filter(pk__in=ids, file_status=Status.DRAFT).update(
        status=Status.DRAFT, updated_at=now
    )
