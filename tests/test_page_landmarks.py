"""Every page's query count is measured on the page itself: status 200 and a landmark of its
content, before and after the data grows.

The pinned counts live beside each app's view tests; this file makes sure that what they count
is the page and not a redirect or an error (which makes fewer queries and would pass a count),
and that the count stays flat while the data grows. It also tests the helper: a fetch answered
by a redirect, or by a page without its landmark, fails it.
"""

from __future__ import annotations

import random

import pytest
from django.urls import reverse

from cases import services as case_services
from cases.models import Case
from edu.quizzes.models import QuizItem
from edu.quizzes.services import answer_item, start_attempt, submit_attempt
from tests.cases.conftest import commit, load, take, write_case, write_lessons
from tests.factories import CohortFactory, EnrolmentFactory, LearnerFactory
from tests.querycount import assert_constant_queries, page
from tests.quizzes.factories import (
    LessonFactory,
    QuestionFactory,
    QuizDefinitionFactory,
    bulk_questions,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def quiz_world(learner):
    lesson = LessonFactory(slug="definition", title="Definition")
    for _ in range(6):
        QuestionFactory(lesson=lesson)
    quiz = QuizDefinitionFactory(lesson=lesson, title="Definition quiz", question_count=4)
    rng = random.Random(5)
    finished = start_attempt(user=learner, definition=quiz, mode="exam", rng=rng)
    submit_attempt(attempt=finished)
    current = start_attempt(user=learner, definition=quiz, mode="practice", rng=rng)
    item = QuizItem.objects.get(attempt=current, position=1)
    answer_item(attempt=current, position=1, option_id=item.option_order[0])
    return {
        "lesson": lesson,
        "finished": finished,
        "current": current,
        "grow": lambda: bulk_questions(200, lesson=lesson, prefix="more"),
    }


QUIZ_PAGES = {
    "index": (lambda w: reverse("quizzes:index"), "<h1>Quizzes</h1>"),
    "take": (lambda w: reverse("quizzes:take", args=[w["current"].pk]), "Question 2 of 4"),
    "item": (lambda w: reverse("quizzes:item", args=[w["current"].pk, 1]), "Question 1 of 4"),
    "result": (lambda w: reverse("quizzes:result", args=[w["finished"].pk]), "Not answered"),
    "review": (lambda w: reverse("quizzes:review"), "<h1>Spaced review</h1>"),
    "progress": (lambda w: reverse("quizzes:progress"), "<h1>My progress</h1>"),
    "lesson": (
        lambda w: reverse("lessons:lesson", args=[w["lesson"].topic.slug, w["lesson"].slug]),
        '<h1 id="lesson-title">Definition</h1>',
    ),
    "home": (lambda w: reverse("home"), "Where in the motor unit is the weakness?"),
}


@pytest.mark.parametrize("name", sorted(QUIZ_PAGES))
def test_learner_pages_are_counted_on_the_page_itself(learner_client, quiz_world, name):
    url, landmark = QUIZ_PAGES[name]
    assert_constant_queries(
        page(learner_client, url(quiz_world), landmark=landmark), quiz_world["grow"]
    )


@pytest.fixture
def case_world(tmp_path, learner):
    content = tmp_path / "content"
    write_lessons(content)
    (content / "questions").mkdir(parents=True)
    write_case(content)
    load(content)
    case = Case.objects.get(slug="pocket-myasthenia")
    playing = case_services.start_attempt(user=learner, case=case, mode="training")
    done = case_services.start_attempt(user=learner, case=case, mode="assessment")
    for event in (take("hx-fatigue"), commit()):
        done = case_services.record_event(
            attempt=done, user=learner, event=event, expected_seq=done.event_count
        ).attempt

    def grow():
        attempt = playing
        for _ in range(30):
            attempt = case_services.record_event(
                attempt=attempt, user=learner, event=take("fvc"), expected_seq=attempt.event_count
            ).attempt

    return {"case": case, "playing": playing, "done": done, "grow": grow}


CASE_PAGES = {
    "library": (lambda w: reverse("cases:library"), "<h1>Case library</h1>"),
    "play": (
        lambda w: reverse("cases:play", args=[w["playing"].pk]),
        "<h1>A drooping evening</h1>",
    ),
    "debrief": (lambda w: reverse("cases:debrief", args=[w["done"].pk]), "<h1>Debrief: "),
}


@pytest.mark.parametrize("name", sorted(CASE_PAGES))
def test_case_pages_are_counted_on_the_page_itself(learner_client, case_world, name):
    url, landmark = CASE_PAGES[name]
    assert_constant_queries(
        page(learner_client, url(case_world), landmark=landmark), case_world["grow"]
    )


def test_the_cohort_page_is_counted_on_the_page_itself(instructor_client, instructor):
    CohortFactory(name="Clerkship A", instructors=[instructor])

    def grow():
        for cohort in CohortFactory.create_batch(5, instructors=[instructor]):
            EnrolmentFactory.create_batch(3, cohort=cohort)

    fetch = page(instructor_client, reverse("cohorts:index"), landmark="Clerkship A")
    assert_constant_queries(fetch, grow)


def test_the_analytics_page_is_counted_on_the_page_itself(admin_client_role):
    fetch = page(
        admin_client_role, reverse("analytics:index"), landmark="<h1>Program analytics</h1>"
    )
    assert_constant_queries(fetch, lambda: LearnerFactory.create_batch(20))


# The helper itself ------------------------------------------------------------------------------


def test_a_redirect_cannot_pass_for_the_page(client):
    """Anonymous, the cohort page is a one-query redirect to sign in: the helper refuses it."""
    fetch = page(client, reverse("cohorts:index"), landmark="<h1>Cohorts</h1>")
    with pytest.raises(AssertionError, match="expected status 200, got 302"):
        assert_constant_queries(fetch, lambda: None)


def test_a_page_without_its_landmark_fails(learner_client):
    fetch = page(learner_client, reverse("home"), landmark="<h1>Cohorts</h1>")
    with pytest.raises(AssertionError, match="lacks its landmark"):
        assert_constant_queries(fetch, lambda: None)


def test_a_forbidden_page_fails_even_without_a_landmark(learner_client):
    with pytest.raises(AssertionError, match="got 403"):
        assert_constant_queries(lambda: learner_client.get(reverse("cohorts:index")), lambda: None)


def test_an_expected_redirect_can_be_counted_when_asked_for(client):
    fetch = page(client, reverse("cohorts:index"), landmark="", status=302)
    assert assert_constant_queries(fetch, lambda: None) >= 0
