"""Taking quizzes through the services: drawing, shuffling, answering, finishing, reviewing."""

import random
from datetime import datetime, timedelta

import pytest
from django.utils import timezone
from hypothesis import given
from hypothesis import strategies as st

from edu.quizzes.models import Answer, QuizAttempt, QuizItem, ReviewCard, Status
from edu.quizzes.selectors import due_count
from edu.quizzes.services import (
    AlreadyAnswered,
    AttemptClosed,
    NoQuestions,
    NothingDue,
    OptionNotInItem,
    answer_item,
    spread_draw,
    start_attempt,
    start_review,
    submit_attempt,
)
from tests.factories import LearnerFactory
from tests.quizzes.factories import LessonFactory, QuestionFactory, QuizDefinitionFactory


def correct_option_id(item: QuizItem) -> int:
    return item.question.options.get(is_correct=True).pk


def wrong_option_id(item: QuizItem) -> int:
    return item.question.options.filter(is_correct=False).first().pk


def test_an_attempt_draws_the_quiz_size_and_stores_each_option_order(learner, quiz, rng):
    attempt = start_attempt(user=learner, definition=quiz, mode="practice", rng=rng)
    items = list(attempt.items.order_by("position"))
    assert attempt.n_items == len(items) == 4
    assert [item.position for item in items] == [1, 2, 3, 4]
    for item in items:
        assert sorted(item.option_order) == sorted(
            item.question.options.values_list("id", flat=True)
        )


def test_options_are_shuffled_per_attempt(lesson, bank):
    quiz = QuizDefinitionFactory(lesson=lesson, question_count=6)
    orders = set()
    for seed in range(6):
        learner = LearnerFactory()
        attempt = start_attempt(
            user=learner, definition=quiz, mode="practice", rng=random.Random(seed)
        )
        orders |= {tuple(item.option_order) for item in attempt.items.all()}
    assert len(orders) > 6  # not every question shows its options in file order


def test_true_false_options_keep_their_order(learner, lesson, rng):
    QuestionFactory(lesson=lesson, kind="true-false", options=["True", "False"], level="")
    quiz = QuizDefinitionFactory(lesson=lesson, question_count=1)
    for _ in range(3):
        attempt = start_attempt(user=LearnerFactory(), definition=quiz, mode="practice", rng=rng)
        item = attempt.items.get()
        texts = [item.question.options.get(pk=pk).text for pk in item.option_order]
        assert texts == ["True", "False"]


def test_only_approved_active_questions_are_drawn(learner, lesson, rng):
    approved = QuestionFactory(lesson=lesson)
    QuestionFactory(lesson=lesson, file_status=Status.DRAFT)
    QuestionFactory(lesson=lesson, is_active=False)
    quiz = QuizDefinitionFactory(lesson=lesson, question_count=10)
    attempt = start_attempt(user=learner, definition=quiz, mode="exam", rng=rng)
    assert list(attempt.items.values_list("question_id", flat=True)) == [approved.pk]


def test_a_quiz_without_approved_questions_cannot_start(learner, lesson):
    QuestionFactory(lesson=lesson, file_status=Status.DRAFT)
    quiz = QuizDefinitionFactory(lesson=lesson)
    with pytest.raises(NoQuestions, match="no approved questions"):
        start_attempt(user=learner, definition=quiz, mode="practice")
    assert not QuizAttempt.objects.exists()


def test_the_topic_quiz_draws_across_every_lesson(learner, rng):
    lessons = [LessonFactory() for _ in range(5)]
    for lesson in lessons:
        for _ in range(6):
            QuestionFactory(lesson=lesson)
    quiz = QuizDefinitionFactory(lesson_keys=[lesson.key for lesson in lessons], question_count=15)
    attempt = start_attempt(user=learner, definition=quiz, mode="exam", rng=rng)
    per_lesson = {}
    for key in attempt.items.values_list("question__lesson_key", flat=True):
        per_lesson[key] = per_lesson.get(key, 0) + 1
    assert sorted(per_lesson.values()) == [3, 3, 3, 3, 3]


def test_starting_again_resumes_the_open_attempt(learner, quiz, rng):
    first = start_attempt(user=learner, definition=quiz, mode="practice", rng=rng)
    again = start_attempt(user=learner, definition=quiz, mode="exam", rng=rng)
    assert again.pk == first.pk and QuizAttempt.objects.count() == 1


def test_only_the_first_attempt_at_a_quiz_is_marked_first(learner, quiz, rng):
    first = start_attempt(user=learner, definition=quiz, mode="practice", rng=rng)
    submit_attempt(attempt=first)
    second = start_attempt(user=learner, definition=quiz, mode="practice", rng=rng)
    other = start_attempt(user=LearnerFactory(), definition=quiz, mode="exam", rng=rng)
    assert (first.is_first_attempt, second.is_first_attempt, other.is_first_attempt) == (
        True,
        False,
        True,
    )


def test_practice_marks_each_answer_and_finishes_on_the_last(learner, quiz, rng):
    attempt = start_attempt(user=learner, definition=quiz, mode="practice", rng=rng)
    items = list(attempt.items.order_by("position"))
    for item in items[:3]:
        answer = answer_item(
            attempt=attempt, position=item.position, option_id=correct_option_id(item)
        )
        assert answer.is_correct
    assert attempt.is_open
    answer_item(attempt=attempt, position=4, option_id=wrong_option_id(items[3]))
    attempt.refresh_from_db()
    assert (attempt.status, attempt.n_correct, attempt.score) == ("finished", 3, 0.75)


def test_an_exam_waits_for_submit_and_counts_unanswered_as_wrong(learner, quiz, rng):
    attempt = start_attempt(user=learner, definition=quiz, mode="exam", rng=rng)
    items = list(attempt.items.order_by("position"))
    for item in items[:3]:
        answer_item(attempt=attempt, position=item.position, option_id=correct_option_id(item))
    attempt.refresh_from_db()
    assert attempt.is_open and attempt.score is None
    submit_attempt(attempt=attempt)
    attempt.refresh_from_db()
    assert (attempt.status, attempt.n_answered, attempt.score) == ("finished", 3, 0.75)


def test_an_answer_keeps_a_copy_of_the_chosen_text(learner, quiz, rng):
    attempt = start_attempt(user=learner, definition=quiz, mode="practice", rng=rng)
    item = attempt.items.get(position=1)
    option = item.question.options.get(pk=wrong_option_id(item))
    answer = answer_item(attempt=attempt, position=1, option_id=option.pk)
    assert (answer.option_text, answer.is_correct, answer.is_review) == (option.text, False, False)


# Refusals: each changes nothing --------------------------------------------------------------


def snapshot(attempt):
    attempt.refresh_from_db()
    return (
        Answer.objects.count(),
        ReviewCard.objects.count(),
        attempt.status,
        attempt.n_answered,
        attempt.n_correct,
    )


def test_an_option_of_another_question_is_refused(learner, quiz, rng):
    attempt = start_attempt(user=learner, definition=quiz, mode="practice", rng=rng)
    before = snapshot(attempt)
    stranger = attempt.items.get(position=2)
    with pytest.raises(OptionNotInItem):
        answer_item(attempt=attempt, position=1, option_id=correct_option_id(stranger))
    assert snapshot(attempt) == before


def test_a_second_answer_to_the_same_item_is_refused(learner, quiz, rng):
    attempt = start_attempt(user=learner, definition=quiz, mode="exam", rng=rng)
    item = attempt.items.get(position=1)
    answer_item(attempt=attempt, position=1, option_id=wrong_option_id(item))
    before = snapshot(attempt)
    with pytest.raises(AlreadyAnswered):
        answer_item(attempt=attempt, position=1, option_id=correct_option_id(item))
    assert snapshot(attempt) == before
    assert Answer.objects.get().is_correct is False


def test_a_closed_attempt_takes_no_answers(learner, quiz, rng):
    attempt = start_attempt(user=learner, definition=quiz, mode="exam", rng=rng)
    submit_attempt(attempt=attempt)
    before = snapshot(attempt)
    item = attempt.items.get(position=1)
    with pytest.raises(AttemptClosed):
        answer_item(attempt=attempt, position=1, option_id=correct_option_id(item))
    with pytest.raises(AttemptClosed):
        submit_attempt(attempt=attempt)
    assert snapshot(attempt) == before


# Review --------------------------------------------------------------------------------------


def test_every_answer_creates_or_advances_the_review_card(learner, quiz, rng):
    attempt = start_attempt(user=learner, definition=quiz, mode="exam", rng=rng)
    item = attempt.items.get(position=1)
    now = timezone.now()
    answer_item(attempt=attempt, position=1, option_id=wrong_option_id(item), now=now)
    card = ReviewCard.objects.get(user=learner, question=item.question)
    assert card.card["card_id"] == card.pk
    assert card.reviews == 1 and card.due > now
    assert card.due == datetime.fromisoformat(card.card["due"])
    # A second answer (here, in another quiz) advances the same card.
    other = QuizDefinitionFactory(lesson=quiz.lesson, question_count=6)
    later = start_attempt(user=learner, definition=other, mode="practice", rng=rng)
    again = later.items.get(question=item.question)
    answer_item(attempt=later, position=again.position, option_id=correct_option_id(again))
    card.refresh_from_db()
    assert card.reviews == 2 and ReviewCard.objects.filter(user=learner).count() == 1


def test_a_review_session_holds_the_due_questions_most_overdue_first(learner, bank, rng):
    now = timezone.now()
    for days, question in zip([3, 1, 2], bank[:3], strict=True):
        ReviewCard.objects.create(user=learner, question=question, due=now - timedelta(days=days))
    ReviewCard.objects.create(user=learner, question=bank[3], due=now + timedelta(days=1))
    assert due_count(user=learner, now=now) == 3
    attempt = start_review(user=learner, now=now, rng=rng)
    assert attempt.mode == "review" and attempt.definition is None
    drawn = list(attempt.items.order_by("position").values_list("question_id", flat=True))
    assert drawn == [bank[0].pk, bank[2].pk, bank[1].pk]


def test_review_answers_are_marked_and_move_the_card_forward(learner, bank, rng):
    now = timezone.now()
    ReviewCard.objects.create(user=learner, question=bank[0], due=now - timedelta(days=1))
    attempt = start_review(user=learner, now=now, rng=rng)
    item = attempt.items.get()
    answer = answer_item(attempt=attempt, position=1, option_id=correct_option_id(item), now=now)
    assert answer.is_review
    assert due_count(user=learner, now=now) == 0
    attempt.refresh_from_db()
    assert attempt.status == "finished" and not attempt.is_first_attempt


def test_a_withdrawn_question_is_not_due(learner, bank):
    now = timezone.now()
    ReviewCard.objects.create(user=learner, question=bank[0], due=now - timedelta(days=1))
    bank[0].is_active = False
    bank[0].save()
    assert due_count(user=learner, now=now) == 0
    with pytest.raises(NothingDue):
        start_review(user=learner, now=now)


@given(
    sizes=st.lists(st.integers(min_value=0, max_value=12), min_size=1, max_size=7),
    count=st.integers(min_value=1, max_value=20),
    seed=st.integers(),
)
def test_a_draw_is_as_even_across_lessons_as_the_pools_allow(sizes, count, seed):
    pools, next_id = {}, 0
    for index, size in enumerate(sizes):
        pools[f"lesson-{index}"] = list(range(next_id, next_id + size))
        next_id += size
    drawn = spread_draw(pools, count, random.Random(seed))
    assert len(drawn) == len(set(drawn)) == min(count, sum(sizes))
    taken = {key: len(set(ids) & set(drawn)) for key, ids in pools.items()}
    # A lesson gets fewer than another only when it has run out of questions.
    for key, n in taken.items():
        if n < len(pools[key]):
            assert all(other <= n + 1 for other in taken.values())
