"""Rules the database itself keeps, whatever code writes to it."""

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from edu.quizzes.models import Option, QuizAttempt, Status
from tests.factories import LearnerFactory
from tests.quizzes.factories import QuestionFactory


@pytest.mark.django_db
def test_a_question_cannot_have_two_correct_options():
    question = QuestionFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        Option.objects.filter(question=question, position=1).update(is_correct=True)
    assert question.options.filter(is_correct=True).count() == 1


@pytest.mark.django_db
def test_different_questions_each_have_their_own_correct_option():
    QuestionFactory()
    QuestionFactory()
    assert Option.objects.filter(is_correct=True).count() == 2


@pytest.mark.django_db
@pytest.mark.parametrize(
    "file_status,approved_in_admin,expected",
    [
        (Status.DRAFT, False, Status.DRAFT),
        (Status.DRAFT, True, Status.APPROVED),
        (Status.APPROVED, False, Status.APPROVED),
    ],
)
def test_a_question_is_approved_by_its_file_or_by_an_author(
    file_status, approved_in_admin, expected
):
    question = QuestionFactory(file_status=file_status, approved_in_admin=approved_in_admin)
    question.refresh_from_db()
    assert question.status == expected


@pytest.mark.django_db
def test_a_review_session_has_no_quiz_and_a_quiz_attempt_has_one():
    learner = LearnerFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        QuizAttempt.objects.create(user=learner, mode="practice", started_at=timezone.now())
    QuizAttempt.objects.create(user=learner, mode="review", started_at=timezone.now())
