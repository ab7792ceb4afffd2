"""Submitting an exam with questions left asks first, saying how many (a plain form round trip,
so it works without JavaScript); the result can show only the questions to go over."""

import pytest
from django.urls import reverse

from edu.quizzes.models import AttemptStatus, QuizAttempt
from edu.quizzes.services import answer_item, start_attempt, submit_attempt
from tests.quizzes.test_views import HTMX, options_of, start


def submit_url(attempt):
    return reverse("quizzes:submit", args=[attempt.pk])


def test_submitting_with_unanswered_questions_asks_first(learner_client, quiz):
    attempt = start(learner_client, quiz, mode="exam")
    _item, correct, _wrong = options_of(attempt, 1)
    answer_item(attempt=attempt, position=1, option_id=correct.pk)

    response = learner_client.post(submit_url(attempt))
    assert response.status_code == 200
    page = response.text
    assert "3 of 4 questions not answered yet" in page
    assert "they count as wrong" in page
    assert 'name="confirm" value="yes"' in page
    assert reverse("quizzes:item", args=[attempt.pk, 2]) in page  # go answer the first left
    attempt.refresh_from_db()
    assert attempt.status == AttemptStatus.IN_PROGRESS  # nothing submitted yet

    response = learner_client.post(submit_url(attempt), {"confirm": "yes"})
    assert response["Location"] == reverse("quizzes:result", args=[attempt.pk])
    attempt.refresh_from_db()
    assert attempt.status == AttemptStatus.FINISHED


def test_the_question_comes_as_a_panel_under_htmx(learner_client, quiz):
    attempt = start(learner_client, quiz, mode="exam")
    response = learner_client.post(submit_url(attempt), **HTMX)
    assert "4 of 4 questions not answered yet" in response.text
    assert "<html" not in response.text


def test_with_every_question_answered_submit_marks_at_once(learner_client, quiz):
    attempt = start(learner_client, quiz, mode="exam")
    for position in range(1, 5):
        _item, correct, _wrong = options_of(attempt, position)
        answer_item(attempt=attempt, position=position, option_id=correct.pk)
    response = learner_client.post(submit_url(attempt))
    assert response["Location"] == reverse("quizzes:result", args=[attempt.pk])
    htmx_attempt = start(learner_client, quiz, mode="exam")
    for position in range(1, 5):
        _item, correct, _wrong = options_of(htmx_attempt, position)
        answer_item(attempt=htmx_attempt, position=position, option_id=correct.pk)
    response = learner_client.post(submit_url(htmx_attempt), **HTMX)
    assert response["HX-Redirect"] == reverse("quizzes:result", args=[htmx_attempt.pk])


@pytest.fixture
def marked(learner, quiz):
    """An exam of 4: question 1 right, 2 wrong, 3 and 4 left unanswered."""
    attempt = start_attempt(user=learner, definition=quiz, mode="exam")
    _item, correct, _wrong = options_of(attempt, 1)
    answer_item(attempt=attempt, position=1, option_id=correct.pk)
    _item, _correct, wrong = options_of(attempt, 2)
    answer_item(attempt=attempt, position=2, option_id=wrong.pk)
    submit_attempt(attempt=attempt)
    return QuizAttempt.objects.get(pk=attempt.pk)


def test_the_result_offers_only_the_ones_got_wrong(learner_client, marked):
    url = reverse("quizzes:result", args=[marked.pk])
    everything = learner_client.get(url).text
    assert everything.count('class="result-item ') == 4
    assert f'href="{url}?show=wrong"' in everything
    assert "Only the 3 I got wrong or left" in everything

    wrong_only = learner_client.get(url, {"show": "wrong"}).text
    assert wrong_only.count('class="result-item ') == 3
    assert 'id="item-1"' not in wrong_only
    assert all(f'id="item-{n}"' in wrong_only for n in (2, 3, 4))
    assert f'href="{url}"' in wrong_only  # and back to all of them


def test_a_result_with_nothing_wrong_says_so(learner_client, learner, quiz):
    attempt = start_attempt(user=learner, definition=quiz, mode="exam")
    for position in range(1, 5):
        _item, correct, _wrong = options_of(attempt, position)
        answer_item(attempt=attempt, position=position, option_id=correct.pk)
    submit_attempt(attempt=attempt)
    page = learner_client.get(reverse("quizzes:result", args=[attempt.pk])).text
    assert "Every question right" in page
    assert "?show=wrong" not in page


def test_the_result_page_query_count_is_the_same_filtered(
    learner_client, marked, django_assert_num_queries
):
    url = reverse("quizzes:result", args=[marked.pk])
    for params in ({}, {"show": "wrong"}):
        with django_assert_num_queries(4):
            response = learner_client.get(url, params)
        assert response.status_code == 200
        assert "<h1>" in response.text


def test_the_question_before_submitting_has_a_pinned_query_count(
    learner_client, quiz, django_assert_num_queries
):
    attempt = start(learner_client, quiz, mode="exam")
    with django_assert_num_queries(4):
        response = learner_client.post(submit_url(attempt))
    assert response.status_code == 200
    assert '<main id="main"' in response.text
    assert "4 of 4 questions not answered yet" in response.text
