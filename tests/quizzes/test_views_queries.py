"""Every quiz page costs the same number of queries with 60 questions in the bank or 2,000."""

import random
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from edu.lessons.models import LessonProgress
from edu.quizzes.models import Option, QuizItem, ReviewCard
from edu.quizzes.services import answer_item, start_attempt, submit_attempt
from tests.querycount import assert_constant_queries
from tests.quizzes.factories import (
    LessonFactory,
    QuizDefinitionFactory,
    bulk_questions,
    finished_case_attempt,
)


@pytest.fixture
def world(learner_client, learner):
    """60 questions over two lessons, the quizzes on them, and a learner mid-way through."""
    lessons = [LessonFactory(slug="definition"), LessonFactory(slug="common-pitfalls")]
    bulk_questions(30, lesson=lessons[0], prefix="a", level="neuromuscular-junction")
    bulk_questions(30, lesson=lessons[1], prefix="b", level="muscle")
    quizzes = [QuizDefinitionFactory(lesson=lesson, question_count=10) for lesson in lessons]
    QuizDefinitionFactory(lesson_keys=[lesson.key for lesson in lessons], question_count=15)
    rng = random.Random(3)

    finished = start_attempt(user=learner, definition=quizzes[1], mode="exam", rng=rng)
    for item in QuizItem.objects.filter(attempt=finished).order_by("position")[:6]:
        answer_item(attempt=finished, position=item.position, option_id=item.option_order[-1])
    submit_attempt(attempt=finished)

    current = start_attempt(user=learner, definition=quizzes[0], mode="practice", rng=rng)
    first = QuizItem.objects.get(attempt=current, position=1)
    answer_item(attempt=current, position=1, option_id=first.option_order[0])

    ReviewCard.objects.filter(user=learner).update(due=timezone.now() - timedelta(days=1))
    LessonProgress.objects.create(user=learner, lesson=lessons[0])
    finished_case_attempt(learner, correct="muscle", chosen="nerve-root")

    def grow():
        bulk_questions(970, lesson=lessons[0], prefix="more-a", level="neuromuscular-junction")
        bulk_questions(970, lesson=lessons[1], prefix="more-b", level="muscle")

    return {"client": learner_client, "finished": finished, "current": current, "grow": grow}


def fetch(client, url, expect=200):
    def run():
        response = client.get(url)
        assert response.status_code == expect, url

    return run


# name: (url builder, pinned query count). The user is one query on every page (the session
# comes from the cache); the rest is the page's own reads.
PAGES = {
    "index": (lambda w: reverse("quizzes:index"), 6),
    "take": (lambda w: reverse("quizzes:take", args=[w["current"].pk]), 4),
    "item-with-feedback": (lambda w: reverse("quizzes:item", args=[w["current"].pk, 1]), 4),
    "result": (lambda w: reverse("quizzes:result", args=[w["finished"].pk]), 4),
    "review": (lambda w: reverse("quizzes:review"), 3),
    "progress": (lambda w: reverse("quizzes:progress"), 12),
    "home": (lambda w: reverse("home"), 6),  # + assignments, open case and quiz, reading
}


@pytest.mark.parametrize("page", PAGES)
def test_page_queries_do_not_grow_with_the_bank(world, page):
    url_for, expected = PAGES[page]
    count = assert_constant_queries(
        fetch(world["client"], url_for(world)), world["grow"], expected=expected
    )
    assert count == expected
    assert Option.objects.count() == 2000 * 4


def test_a_review_session_page_costs_the_same_too(world, learner):
    client = world["client"]
    response = client.post(reverse("quizzes:review-start"))
    assert response.status_code == 302
    assert_constant_queries(fetch(client, response["Location"]), world["grow"], expected=4)
