"""A quiz POST sent twice writes once (why deploy/haproxy.cfg may retry POSTs, see
tests/cases/test_replayed_posts.py): an answer is final, starting resumes, submitting closes."""

from django.urls import reverse

from edu.quizzes.models import Answer, AttemptStatus, QuizAttempt

HTMX = {"HTTP_HX_REQUEST": "true"}


def test_an_answer_sent_twice_is_stored_once(learner_client, quiz):
    learner_client.post(reverse("quizzes:start", args=[quiz.slug]), {"mode": "exam"})
    attempt = QuizAttempt.objects.get()
    option = attempt.items.get(position=1).question.options.first()
    answer = reverse("quizzes:answer", args=[attempt.pk, 1])
    first = learner_client.post(answer, {"option": option.pk}, **HTMX)
    replay = learner_client.post(answer, {"option": option.pk}, **HTMX)
    assert (first.status_code, replay.status_code) == (200, 409)
    assert list(Answer.objects.values_list("item__position", "option_id")) == [(1, option.pk)]
    attempt.refresh_from_db()
    assert attempt.n_answered == 1


def test_a_start_sent_twice_opens_one_attempt(learner_client, quiz):
    start = reverse("quizzes:start", args=[quiz.slug])
    first = learner_client.post(start, {"mode": "practice"})
    replay = learner_client.post(start, {"mode": "practice"})
    assert first["Location"] == replay["Location"]
    assert QuizAttempt.objects.count() == 1


def test_a_submit_sent_twice_closes_the_attempt_once(learner_client, quiz):
    learner_client.post(reverse("quizzes:start", args=[quiz.slug]), {"mode": "exam"})
    attempt = QuizAttempt.objects.get()
    submit = reverse("quizzes:submit", args=[attempt.pk])
    first = learner_client.post(submit, {"confirm": "yes"})
    attempt.refresh_from_db()
    finished_at = attempt.finished_at
    replay = learner_client.post(submit, {"confirm": "yes"})
    assert first["Location"] == reverse("quizzes:result", args=[attempt.pk])
    assert replay.status_code == 409
    attempt.refresh_from_db()
    assert (attempt.status, attempt.finished_at) == (AttemptStatus.FINISHED, finished_at)
