"""Who may open or answer a quiz attempt: roles × the attempt's pages and posts.

A quiz attempt belongs to its learner, like a case attempt (tests/cases/test_access_matrix.py):
anyone else signed in, the learner's own instructors included, gets 404 and changes nothing;
anonymous visitors are sent to sign in. Instructors read attempts on the cohort's pages.
"""

import random

import pytest
from django.urls import reverse

from edu.quizzes import services
from edu.quizzes.models import Answer
from tests.cases.test_access_matrix import ROLES
from tests.quizzes.factories import LessonFactory, QuestionFactory, QuizDefinitionFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def attempts(learner):
    """An open exam attempt (two questions) and a finished one, both the learner's."""
    lesson = LessonFactory()
    QuestionFactory.create_batch(2, lesson=lesson)
    quiz = QuizDefinitionFactory(lesson=lesson, question_count=2)

    def start():
        return services.start_attempt(
            user=learner, definition=quiz, mode="exam", rng=random.Random(1)
        )

    finished = start()
    services.submit_attempt(attempt=finished)
    return {"open": start(), "finished": finished}


PAGES = [  # name, which attempt, extra URL args, status for the owner
    ("quizzes:take", "open", [], 200),
    ("quizzes:item", "open", [2], 200),
    ("quizzes:result", "finished", [], 200),
]
POSTS = ["quizzes:answer", "quizzes:submit"]


def sign_in_as(client, role, learner):
    maker = ROLES[role]
    if maker == "owner":
        client.force_login(learner)
    elif maker is not None:
        client.force_login(maker(learner))


@pytest.mark.parametrize("role", list(ROLES))
def test_quiz_attempt_pages_by_role(client, learner, attempts, role):
    sign_in_as(client, role, learner)
    for name, which, extra, owner_status in PAGES:
        response = client.get(reverse(name, args=[attempts[which].pk, *extra]))
        expected = {"anonymous": 302, "owner": owner_status}.get(role, 404)
        assert response.status_code == expected, f"{role} on {name}"
        if role == "anonymous":
            assert response["Location"].startswith(reverse("accounts:sign-in"))


@pytest.mark.parametrize("role", [r for r in ROLES if r not in ("anonymous", "owner")])
def test_nobody_else_can_answer_or_submit_an_attempt(client, learner, attempts, role):
    sign_in_as(client, role, learner)
    attempt = attempts["open"]
    option = attempt.items.get(position=1).question.options.first()
    answer = client.post(reverse("quizzes:answer", args=[attempt.pk, 1]), {"option": option.pk})
    submit = client.post(reverse("quizzes:submit", args=[attempt.pk]), {"confirm": "yes"})
    assert (answer.status_code, submit.status_code) == (404, 404)
    attempt.refresh_from_db()
    assert attempt.status != "finished"
    assert not Answer.objects.filter(item__attempt=attempt).exists()


def test_the_owner_can_answer_and_submit(client, learner, attempts):
    client.force_login(learner)
    attempt = attempts["open"]
    option = attempt.items.get(position=1).question.options.first()
    client.post(reverse("quizzes:answer", args=[attempt.pk, 1]), {"option": option.pk})
    client.post(reverse("quizzes:submit", args=[attempt.pk]), {"confirm": "yes"})
    attempt.refresh_from_db()
    assert attempt.status == "finished"
    assert Answer.objects.filter(item__attempt=attempt).count() == 1
