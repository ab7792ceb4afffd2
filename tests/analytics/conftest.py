"""A small program for the analytics tests: two cohorts, a pocket case played through the
case services, and a four-question quiz sat through the quiz services so its answers are the
hand-worked Quiz A of tests/statistics/test_items.py."""

from __future__ import annotations

import datetime as dt
import random

import pytest
from django.utils import timezone

from cases import services as case_services
from cases.models import Case
from edu.quizzes import services as quiz_services
from tests.cases.conftest import commit, content_dir, load, play, take  # noqa: F401
from tests.factories import CohortFactory, EnrolmentFactory, LearnerFactory
from tests.quizzes.factories import LessonFactory, QuestionFactory, QuizDefinitionFactory
from tests.statistics.test_items import QUIZ_A

LETTERS = "abcd"


@pytest.fixture
def pocket(db, content_dir):  # noqa: F811
    load(content_dir)
    return Case.objects.select_related("current_version").get(slug="pocket-myasthenia")


def play_case(case, user, *events):
    attempt = case_services.start_attempt(user=user, case=case, mode="training")
    return play(attempt, *events)


GOOD = (take("hx-fatigue"), take("exam-ptosis"), take("fvc"), commit())
WRONG = (take("ck"), commit(level="muscle", diagnosis="myopathy", confidence="high"))
HARMFUL = (take("steroid-burst"), take("ck"), take("hx-fatigue"), commit(confidence="low"))


@pytest.fixture
def cohorts(db):
    return CohortFactory(name="Alpha rotation"), CohortFactory(name="Beta rotation")


@pytest.fixture
def program(pocket, cohorts):
    """Alpha: two good attempts and one wrong; Beta: one harmful; and one open attempt."""
    alpha, beta = cohorts
    learners = []
    for cohort, events in ((alpha, GOOD), (alpha, GOOD), (alpha, WRONG), (beta, HARMFUL)):
        learner = LearnerFactory()
        EnrolmentFactory(cohort=cohort, learner=learner)
        play_case(pocket, learner, *events)
        learners.append(learner)
    case_services.start_attempt(user=learners[0], case=pocket, mode="assessment")
    return {"case": pocket, "alpha": alpha, "beta": beta, "learners": learners}


def grow_program(program, n: int = 5) -> None:
    """More learners and attempts, for showing that a page's query count does not grow."""
    for i in range(n):
        learner = LearnerFactory()
        EnrolmentFactory(cohort=program["alpha"] if i % 2 else program["beta"], learner=learner)
        play_case(program["case"], learner, *(GOOD if i % 2 else WRONG))


@pytest.fixture
def quiz_a(db, cohorts):
    """Quiz A's six sittings (one learner each, in Alpha), sat through the quiz services."""
    lesson = LessonFactory()
    questions = [
        QuestionFactory(lesson=lesson, external_id=f"q{i}", options=["A", "B", "C", "D"])
        for i in range(1, 5)
    ]
    quiz = QuizDefinitionFactory(lesson=lesson, question_count=4, title="Quiz A")
    learners = []
    for sitting in QUIZ_A:
        learner = LearnerFactory()
        EnrolmentFactory(cohort=cohorts[0], learner=learner)
        sit(quiz, learner, [r.option for r in sitting.responses], questions)
        learners.append(learner)
    return {"quiz": quiz, "questions": questions, "learners": learners, "lesson": lesson}


def sit(quiz, learner, letters, questions, *, mode="exam", when=None):
    """One sitting choosing `letters[i]` ("a" is right) for question i."""
    when = when or timezone.now() - dt.timedelta(days=1)
    attempt = quiz_services.start_attempt(
        user=learner, definition=quiz, mode=mode, now=when, rng=random.Random(1)
    )
    for item in attempt.items.select_related("question"):
        index = next(i for i, q in enumerate(questions) if q.pk == item.question_id)
        option = item.question.options.get(position=LETTERS.index(letters[index]))
        quiz_services.answer_item(
            attempt=attempt, position=item.position, option_id=option.pk, now=when
        )
    if attempt.status != "finished":
        quiz_services.submit_attempt(attempt=attempt, now=when)
    return attempt
