"""Question text is shown as text: markup in a stem, an option, its note or the explanation
never runs, on the learner's pages (question, feedback, result, review) nor on the
instructor's and the analytics pages. The payloads are those of tests/hostile_markup.py, and
each must reach some page as text, so the check looked at real output."""

from __future__ import annotations

import random

import pytest
from django.urls import reverse

from edu.quizzes import services
from edu.quizzes.models import Option
from tests.factories import ProgramAdminFactory, teacher_of
from tests.hostile_markup import PAYLOADS, live_markup_problems, shown_alerts
from tests.quizzes.factories import LessonFactory, QuestionFactory, QuizDefinitionFactory


@pytest.fixture
def hostile_quiz(db, learner):
    lesson = LessonFactory()
    question = QuestionFactory(
        lesson=lesson,
        stem=f"Where is the lesion? {PAYLOADS[0]} {PAYLOADS[1]}",
        explanation=f"Because it fatigues. {PAYLOADS[2]} {PAYLOADS[3]}",
        options=[f"Junction {PAYLOADS[4]}", f"Muscle {PAYLOADS[5]}", "Nerve", "Horn"],
    )
    Option.objects.filter(question=question, position=0).update(why=f"Yes. {PAYLOADS[6]}")
    Option.objects.filter(question=question, position=1).update(why=f"No. {PAYLOADS[7]}")
    quiz = QuizDefinitionFactory(
        lesson=lesson, question_count=1, title=f"Junction quiz {PAYLOADS[8]}"
    )
    question.lesson.title = f"Junction lesson {PAYLOADS[9]}"
    question.lesson.save(update_fields=["title"])
    attempt = services.start_attempt(
        user=learner, definition=quiz, mode="practice", rng=random.Random(1)
    )
    return quiz, question, attempt


def check(html: str, where: str) -> set[int]:
    assert live_markup_problems(html) == [], where
    return shown_alerts(html)


def test_question_text_never_runs_on_any_page_that_shows_it(client, hostile_quiz):
    quiz, question, attempt = hostile_quiz
    client.force_login(attempt.user)
    shown = set()
    shown |= check(client.get(reverse("quizzes:index")).content.decode(), "quiz list")
    take = client.get(reverse("quizzes:take", args=[attempt.pk]))
    shown |= check(take.content.decode(), "question")
    wrong = Option.objects.get(question=question, position=1)
    feedback = client.post(
        reverse("quizzes:answer", args=[attempt.pk, 1]),
        {"option": wrong.pk},
        HTTP_HX_REQUEST="true",
    )
    assert feedback.status_code == 200
    shown |= check(feedback.content.decode(), "feedback")
    attempt.refresh_from_db()
    if attempt.status != "finished":
        services.submit_attempt(attempt=attempt)
    result = client.get(reverse("quizzes:result", args=[attempt.pk]))
    shown |= check(result.content.decode(), "result")
    shown |= check(client.get(reverse("quizzes:review")).content.decode(), "review")
    shown |= check(client.get(reverse("quizzes:progress")).content.decode(), "progress")

    instructor, cohort = teacher_of(attempt.user, kind="quiz", target=quiz)
    client.force_login(instructor)
    seen = client.get(reverse("cohorts:quiz-attempt", args=[cohort.pk, attempt.pk]))
    assert seen.status_code == 200
    shown |= check(seen.content.decode(), "instructor's view")
    progress = client.get(reverse("cohorts:progress", args=[cohort.pk]))
    shown |= check(progress.content.decode(), "progress grid")
    client.force_login(ProgramAdminFactory())
    for url in (
        reverse("analytics:quiz", args=[quiz.slug]),
        reverse("analytics:question", args=[quiz.slug, question.pk]),
    ):
        response = client.get(url)
        assert response.status_code == 200, url
        shown |= check(response.content.decode(), url)
    assert shown == set(range(101, 101 + len(PAYLOADS)))
