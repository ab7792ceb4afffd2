"""An answer belongs to the item of the attempt it was given in, never to another open attempt's
item at the same position.

Every attempt numbers its items from 1, so "question 1" exists once per open attempt. Looking
the item up by position alone would file one learner's answer on another learner's attempt (or
on the learner's other quiz), which no test of a single attempt can notice.
"""

import random

import pytest

from edu.quizzes.models import Answer, QuizItem
from edu.quizzes.services import answer_item, start_attempt
from tests.factories import LearnerFactory
from tests.quizzes.factories import LessonFactory, QuestionFactory, QuizDefinitionFactory


def correct_option_id(item: QuizItem) -> int:
    return item.question.options.get(is_correct=True).pk


@pytest.fixture
def one_question_quiz(db):
    """A quiz of one question, so every attempt's item 1 is the same question: only the attempt
    tells the items apart."""
    lesson = LessonFactory()
    QuestionFactory(lesson=lesson)
    return QuizDefinitionFactory(lesson=lesson, question_count=1)


def open_attempts(quiz_a, quiz_b, user_a, user_b):
    older = start_attempt(user=user_a, definition=quiz_a, mode="exam", rng=random.Random(1))
    newer = start_attempt(user=user_b, definition=quiz_b, mode="exam", rng=random.Random(2))
    assert older.pk < newer.pk
    return older, newer


def answers_by_attempt(*attempts) -> dict[int, list[int]]:
    """For each attempt, the attempts of the items its answers were filed on."""
    return {
        attempt.pk: list(
            Answer.objects.filter(attempt=attempt).values_list("item__attempt_id", flat=True)
        )
        for attempt in attempts
    }


@pytest.mark.parametrize("answered", ["older", "newer"])
def test_two_learners_answer_lands_on_the_item_of_their_own_attempt(one_question_quiz, answered):
    older, newer = open_attempts(
        one_question_quiz, one_question_quiz, LearnerFactory(), LearnerFactory()
    )
    attempt = older if answered == "older" else newer
    other = newer if attempt is older else older
    item = attempt.items.get(position=1)

    answer = answer_item(attempt=attempt, position=1, option_id=correct_option_id(item))

    assert answer.item_id == item.pk
    assert answers_by_attempt(attempt, other) == {attempt.pk: [attempt.pk], other.pk: []}
    assert not Answer.objects.filter(item__attempt=other).exists()


@pytest.mark.parametrize("answered", ["older", "newer"])
def test_one_learners_two_quizzes_keep_their_answers_apart(db, answered):
    learner = LearnerFactory()
    lesson_a, lesson_b = LessonFactory(), LessonFactory()
    QuestionFactory(lesson=lesson_a)
    QuestionFactory(lesson=lesson_b)
    quiz_a = QuizDefinitionFactory(lesson=lesson_a, question_count=1)
    quiz_b = QuizDefinitionFactory(lesson=lesson_b, question_count=1)
    older, newer = open_attempts(quiz_a, quiz_b, learner, learner)
    attempt = older if answered == "older" else newer
    other = newer if attempt is older else older
    item = attempt.items.get(position=1)

    answer_item(attempt=attempt, position=1, option_id=correct_option_id(item))

    attempt.refresh_from_db()
    other.refresh_from_db()
    assert (attempt.n_answered, other.n_answered) == (1, 0)
    assert list(Answer.objects.values_list("item_id", flat=True)) == [item.pk]


def test_answering_the_older_attempt_through_the_page(client, one_question_quiz):
    """The learner with the older of two open attempts answers question 1 in exam mode; the
    result page then shows their answer, and the other learner's attempt stays untouched."""
    first, second = LearnerFactory(), LearnerFactory()
    older, newer = open_attempts(one_question_quiz, one_question_quiz, first, second)
    item = older.items.get(position=1)
    client.force_login(first)

    response = client.post(
        f"/quizzes/attempts/{older.pk}/1/answer/", {"option": correct_option_id(item)}
    )

    assert response.status_code == 302
    assert Answer.objects.get().item_id == item.pk
    newer.refresh_from_db()
    assert newer.n_answered == 0
    assert not Answer.objects.filter(item__attempt=newer).exists()
