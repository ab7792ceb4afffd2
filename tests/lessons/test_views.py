"""Lesson pages as learners and visitors use them."""

import pytest
from django.urls import reverse

from edu.lessons.models import Lesson, LessonProgress
from tests.lessons.conftest import write_lesson
from tests.querycount import assert_constant_queries


@pytest.fixture
def three_lessons(content_dir, load):
    for order in (1, 2, 3):
        write_lesson(content_dir, order)
    load(content_dir)
    return list(Lesson.objects.order_by("order"))


def lesson_url(lesson):
    return reverse("lessons:lesson", args=[lesson.topic.slug, lesson.slug])


def test_anonymous_visitor_can_read_a_lesson(client, three_lessons):
    response = client.get(lesson_url(three_lessons[1]))
    assert response.status_code == 200
    body = response.content.decode()
    assert "Lesson 2" in body
    assert 'rel="prev"' in body and 'rel="next"' in body
    assert "On this page" in body
    assert "Sign in</a> to mark lessons as read" in body


def test_topic_page_lists_lessons_in_order_with_progress(learner_client, learner, three_lessons):
    LessonProgress.objects.create(user=learner, lesson=three_lessons[0])
    response = learner_client.get(reverse("lessons:topic", args=["weakness"]))
    lessons = response.context["lessons"]
    assert [lesson.title for lesson in lessons] == ["Lesson 1", "Lesson 2", "Lesson 3"]
    assert [lesson.is_read for lesson in lessons] == [True, False, False]
    assert b"1 of 3" in response.content


def test_lessons_index_goes_straight_to_the_only_topic(client, three_lessons):
    response = client.get(reverse("lessons:index"))
    assert response.status_code == 302
    assert response["Location"] == reverse("lessons:topic", args=["weakness"])


def test_mark_as_read_with_a_plain_form(learner_client, learner, three_lessons):
    url = reverse("lessons:mark-read", args=["weakness", three_lessons[0].slug])
    response = learner_client.post(url, follow=True)
    assert b"You have read this lesson." in response.content
    assert LessonProgress.objects.filter(user=learner).count() == 1
    learner_client.post(url)  # a second click changes nothing
    assert LessonProgress.objects.filter(user=learner).count() == 1


def test_mark_as_read_with_htmx_returns_only_the_status(learner_client, three_lessons):
    url = reverse("lessons:mark-read", args=["weakness", three_lessons[0].slug])
    response = learner_client.post(url, headers={"HX-Request": "true"})
    body = response.content.decode()
    assert 'id="read-status"' in body
    assert "You have read this lesson." in body
    assert "<html" not in body


def test_anonymous_mark_as_read_is_sent_to_sign_in(client, three_lessons):
    url = reverse("lessons:mark-read", args=["weakness", three_lessons[0].slug])
    response = client.post(url)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:sign-in"))
    assert LessonProgress.objects.count() == 0


def test_get_on_mark_as_read_is_refused(learner_client, three_lessons):
    url = reverse("lessons:mark-read", args=["weakness", three_lessons[0].slug])
    assert learner_client.get(url).status_code == 405


def test_withdrawn_lesson_is_not_found(client, three_lessons):
    Lesson.objects.filter(pk=three_lessons[0].pk).update(is_active=False)
    assert client.get(lesson_url(three_lessons[0])).status_code == 404


def test_lesson_page_query_count_is_fixed(learner_client, learner, content_dir, load):
    for order in range(1, 7):
        write_lesson(content_dir, order)
    load(content_dir)
    url = lesson_url(Lesson.objects.get(order=3))

    def fetch():
        assert learner_client.get(url).status_code == 200

    def grow():
        for order in range(7, 51):
            write_lesson(content_dir, order)
        load(content_dir)
        for lesson in Lesson.objects.all()[:20]:
            LessonProgress.objects.get_or_create(user=learner, lesson=lesson)

    # user, lesson with its topic, the sibling list, the read flag, the lesson's quiz
    # (the session comes from the cache)
    assert_constant_queries(fetch, grow, expected=5)


def test_topic_page_query_count_is_fixed(learner_client, learner, content_dir, load):
    write_lesson(content_dir, 1)
    load(content_dir)

    def fetch():
        assert learner_client.get(reverse("lessons:topic", args=["weakness"])).status_code == 200

    def grow():
        for order in range(2, 51):
            write_lesson(content_dir, order)
        load(content_dir)
        for lesson in Lesson.objects.all():
            LessonProgress.objects.get_or_create(user=learner, lesson=lesson)

    # user, topic, lessons annotated with the read flag
    assert_constant_queries(fetch, grow, expected=3)


def test_lesson_page_offers_the_lessons_quiz(learner_client, three_lessons):
    from edu.quizzes.models import QuizDefinition

    lesson = three_lessons[0]
    QuizDefinition.objects.create(
        slug="weakness-lesson-1", title="Lesson 1 quiz", lesson=lesson, question_count=10
    )
    body = learner_client.get(lesson_url(lesson)).content.decode()
    assert "Test yourself" in body
    assert reverse("quizzes:start", args=["weakness-lesson-1"]) in body
    other = learner_client.get(lesson_url(three_lessons[1])).content.decode()
    assert "Test yourself" not in other
