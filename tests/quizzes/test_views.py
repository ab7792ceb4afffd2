"""The quiz pages through the test client: practice and exam flows with and without htmx, the
review session, the admin review of drafts, and every refusal of a tampered request."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from edu.quizzes.models import Answer, QuizAttempt, ReviewCard, Status
from edu.quizzes.services import start_attempt, submit_attempt
from tests.factories import InstructorFactory, LearnerFactory, ProgramAdminFactory
from tests.quizzes.factories import QuestionFactory

HTMX = {"HTTP_HX_REQUEST": "true"}


def start(client, quiz, mode="practice"):
    response = client.post(reverse("quizzes:start", args=[quiz.slug]), {"mode": mode})
    assert response.status_code == 302
    return QuizAttempt.objects.latest("pk")


def options_of(attempt, position):
    item = attempt.items.select_related("question").get(position=position)
    correct = item.question.options.get(is_correct=True)
    wrong = item.question.options.filter(is_correct=False).first()
    return item, correct, wrong


def answer_url(attempt, position):
    return reverse("quizzes:answer", args=[attempt.pk, position])


# The index -----------------------------------------------------------------------------------


def test_anonymous_visitors_see_the_quizzes_and_are_asked_to_sign_in(client, quiz):
    response = client.get(reverse("quizzes:index"))
    assert response.status_code == 200
    assert quiz.title in response.text and "Sign in" in response.text
    assert "Review due" not in response.text


def test_the_index_offers_practice_and_exam_then_resume(learner_client, learner, quiz):
    response = learner_client.get(reverse("quizzes:index"))
    assert "4 questions, drawn from 6" in response.text
    assert 'value="practice"' in response.text and 'value="exam"' in response.text
    attempt = start(learner_client, quiz)
    response = learner_client.get(reverse("quizzes:index"))
    assert "Resume" in response.text
    assert reverse("quizzes:take", args=[attempt.pk]) in response.text


def test_starting_requires_signing_in(client, quiz):
    response = client.post(reverse("quizzes:start", args=[quiz.slug]), {"mode": "practice"})
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:sign-in"))
    assert not QuizAttempt.objects.exists()


def test_an_unknown_mode_is_refused(learner_client, quiz):
    response = learner_client.post(reverse("quizzes:start", args=[quiz.slug]), {"mode": "cheat"})
    assert response.status_code == 400
    assert "Choose practice or exam" in response.text
    assert not QuizAttempt.objects.exists()


# Practice ------------------------------------------------------------------------------------


def test_practice_shows_the_options_in_the_attempts_own_order(learner_client, quiz):
    attempt = start(learner_client, quiz)
    response = learner_client.get(reverse("quizzes:take", args=[attempt.pk]))
    item = attempt.items.get(position=1)
    texts = [item.question.options.get(pk=pk).text for pk in item.option_order]
    html = response.text
    positions = [html.index(f'value="{pk}"') for pk in item.option_order]
    assert positions == sorted(positions), texts
    assert "Question 1 of 4" in html and "Check answer" in html


def test_a_practice_answer_redirects_to_its_feedback_without_js(learner_client, quiz):
    attempt = start(learner_client, quiz)
    item, correct, wrong = options_of(attempt, 1)
    response = learner_client.post(answer_url(attempt, 1), {"option": wrong.pk})
    assert response.status_code == 302
    assert response["Location"] == reverse("quizzes:item", args=[attempt.pk, 1])
    page = learner_client.get(response["Location"]).text
    assert "Not quite." in page
    assert wrong.why in page and correct.why in page  # the why of chosen and correct
    assert item.question.explanation in page
    assert "Next question" in page


def test_a_practice_answer_with_htmx_swaps_in_the_feedback(learner_client, quiz):
    attempt = start(learner_client, quiz)
    _item, correct, _wrong = options_of(attempt, 1)
    response = learner_client.post(answer_url(attempt, 1), {"option": correct.pk}, **HTMX)
    assert response.status_code == 200
    assert "<html" not in response.text
    assert 'id="question-panel"' in response.text and "Correct." in response.text
    assert response["HX-Push-Url"] == reverse("quizzes:item", args=[attempt.pk, 1])


def test_the_last_practice_answer_leads_to_the_result(learner_client, quiz):
    attempt = start(learner_client, quiz)
    for position in range(1, 5):
        _item, correct, _wrong = options_of(attempt, position)
        learner_client.post(answer_url(attempt, position), {"option": correct.pk})
    page = learner_client.get(reverse("quizzes:item", args=[attempt.pk, 4]), follow=True)
    assert page.redirect_chain[-1][0].startswith(reverse("quizzes:result", args=[attempt.pk]))
    assert "100%" in page.text and "4 of 4" in page.text


# Exam ----------------------------------------------------------------------------------------


def test_an_exam_hides_feedback_until_submit(learner_client, quiz):
    attempt = start(learner_client, quiz, mode="exam")
    item, correct, wrong = options_of(attempt, 1)
    response = learner_client.post(answer_url(attempt, 1), {"option": wrong.pk})
    assert response["Location"] == reverse("quizzes:take", args=[attempt.pk])
    page = learner_client.get(response["Location"]).text
    assert "Question 2 of 4" in page
    revisit = learner_client.get(reverse("quizzes:item", args=[attempt.pk, 1])).text
    assert "Answer saved" in revisit
    assert "Not quite" not in revisit and correct.why not in revisit

    response = learner_client.post(
        reverse("quizzes:submit", args=[attempt.pk]), {"confirm": "yes"}
    )  # 3 unanswered: confirmed (tests/quizzes/test_exam_submit.py covers the question)
    assert response["Location"] == reverse("quizzes:result", args=[attempt.pk])
    result = learner_client.get(response["Location"]).text
    assert "0%" in result and "0 of 4" in result
    assert correct.why in result and wrong.why in result
    assert result.count("Not answered") == 3


def test_an_exam_answer_with_htmx_swaps_in_the_next_question(learner_client, quiz):
    attempt = start(learner_client, quiz, mode="exam")
    _item, correct, _wrong = options_of(attempt, 1)
    response = learner_client.post(answer_url(attempt, 1), {"option": correct.pk}, **HTMX)
    assert "Question 2 of 4" in response.text and "Correct." not in response.text
    assert response["HX-Push-Url"] == reverse("quizzes:item", args=[attempt.pk, 2])


def test_a_finished_attempt_opens_on_its_result(learner_client, learner, quiz):
    attempt = start(learner_client, quiz, mode="exam")
    submit_attempt(attempt=attempt)
    response = learner_client.get(reverse("quizzes:take", args=[attempt.pk]))
    assert response["Location"] == reverse("quizzes:result", args=[attempt.pk])


def test_an_open_attempt_has_no_result_yet(learner_client, quiz):
    attempt = start(learner_client, quiz, mode="exam")
    response = learner_client.get(reverse("quizzes:result", args=[attempt.pk]))
    assert response["Location"] == reverse("quizzes:take", args=[attempt.pk])


# Refusals ------------------------------------------------------------------------------------


def state(attempt):
    attempt.refresh_from_db()
    return (Answer.objects.count(), ReviewCard.objects.count(), attempt.status, attempt.n_answered)


def test_an_option_from_another_item_is_refused_with_400(learner_client, quiz):
    attempt = start(learner_client, quiz)
    _item, foreign, _ = options_of(attempt, 2)
    before = state(attempt)
    response = learner_client.post(answer_url(attempt, 1), {"option": foreign.pk})
    assert response.status_code == 400
    assert "That choice is not one of this question" in response.text
    assert state(attempt) == before


@pytest.mark.parametrize("value", ["", "abc", "-3"])
def test_a_missing_or_malformed_option_is_refused_with_400(learner_client, quiz, value):
    attempt = start(learner_client, quiz)
    before = state(attempt)
    response = learner_client.post(answer_url(attempt, 1), {"option": value})
    assert response.status_code == 400
    assert state(attempt) == before


def test_answering_the_same_item_twice_is_a_409(learner_client, quiz):
    attempt = start(learner_client, quiz, mode="exam")
    _item, correct, wrong = options_of(attempt, 1)
    learner_client.post(answer_url(attempt, 1), {"option": wrong.pk})
    before = state(attempt)
    response = learner_client.post(answer_url(attempt, 1), {"option": correct.pk})
    assert response.status_code == 409
    assert "already answered" in response.text
    assert state(attempt) == before
    assert Answer.objects.get().option_id == wrong.pk


def test_answering_a_closed_attempt_is_a_409(learner_client, quiz):
    attempt = start(learner_client, quiz, mode="exam")
    learner_client.post(reverse("quizzes:submit", args=[attempt.pk]), {"confirm": "yes"})
    _item, correct, _ = options_of(attempt, 1)
    before = state(attempt)
    response = learner_client.post(answer_url(attempt, 1), {"option": correct.pk})
    assert response.status_code == 409
    assert "finished" in response.text
    assert state(attempt) == before
    assert learner_client.post(reverse("quizzes:submit", args=[attempt.pk])).status_code == 409


def test_an_item_that_does_not_exist_is_a_404(learner_client, quiz):
    attempt = start(learner_client, quiz)
    assert learner_client.get(reverse("quizzes:item", args=[attempt.pk, 99])).status_code == 404
    response = learner_client.post(answer_url(attempt, 99), {"option": 1})
    assert response.status_code == 404


@pytest.mark.parametrize(
    "name,method,extra",
    [
        ("quizzes:take", "get", ()),
        ("quizzes:item", "get", (1,)),
        ("quizzes:answer", "post", (1,)),
        ("quizzes:submit", "post", ()),
        ("quizzes:result", "get", ()),
    ],
)
@pytest.mark.parametrize("intruder", [LearnerFactory, InstructorFactory, ProgramAdminFactory])
def test_another_learners_attempt_is_a_404(client, quiz, name, method, extra, intruder):
    owner = LearnerFactory()
    attempt = start_attempt(user=owner, definition=quiz, mode="exam")
    _item, correct, _ = options_of(attempt, 1)
    client.force_login(intruder())
    before = state(attempt)
    response = getattr(client, method)(
        reverse(name, args=[attempt.pk, *extra]), {"option": correct.pk} if method == "post" else {}
    )
    assert response.status_code == 404
    assert state(attempt) == before


def test_a_refusal_under_htmx_sends_the_browser_back_with_the_message(learner_client, quiz):
    attempt = start(learner_client, quiz, mode="exam")
    _item, correct, wrong = options_of(attempt, 1)
    learner_client.post(answer_url(attempt, 1), {"option": wrong.pk})
    response = learner_client.post(answer_url(attempt, 1), {"option": correct.pk}, **HTMX)
    assert response.status_code == 409
    assert response["HX-Redirect"] == reverse("quizzes:item", args=[attempt.pk, 1])
    page = learner_client.get(response["HX-Redirect"]).text
    assert "already answered" in page


# Review and home -----------------------------------------------------------------------------


def make_due(learner, questions, days=1):
    now = timezone.now()
    for question in questions:
        ReviewCard.objects.create(user=learner, question=question, due=now - timedelta(days=days))


def test_home_shows_how_many_questions_are_due(learner_client, learner, bank):
    make_due(learner, bank[:3])
    response = learner_client.get(reverse("home"))
    assert "Review due: 3" in response.text
    assert reverse("quizzes:review-start") in response.text
    assert "Create a learner account" not in response.text  # the page's own content stays


def test_a_review_session_runs_as_a_quiz_with_feedback(learner_client, learner, bank):
    make_due(learner, bank[:2])
    response = learner_client.post(reverse("quizzes:review-start"))
    attempt = QuizAttempt.objects.get(mode="review")
    assert response["Location"] == reverse("quizzes:take", args=[attempt.pk])
    page = learner_client.get(response["Location"]).text
    assert "Review of due questions" in page and "Question 1 of 2" in page
    _item, correct, _ = options_of(attempt, 1)
    learner_client.post(answer_url(attempt, 1), {"option": correct.pk})
    feedback = learner_client.get(reverse("quizzes:item", args=[attempt.pk, 1])).text
    assert "Correct." in feedback
    assert Answer.objects.get().is_review
    assert "Review due: 1" in learner_client.get(reverse("home")).text


def test_nothing_due_is_said_plainly(learner_client):
    response = learner_client.post(reverse("quizzes:review-start"))
    assert response.status_code == 409
    assert "Nothing is due" in response.text
    assert "Review due: 0" in learner_client.get(reverse("quizzes:review")).text


# The admin -----------------------------------------------------------------------------------


def test_an_author_approves_drafts_in_the_admin_and_learners_then_get_them(client, lesson):
    drafts = [QuestionFactory(lesson=lesson, file_status=Status.DRAFT) for _ in range(2)]
    client.force_login(ProgramAdminFactory(is_staff=True, is_superuser=True))
    changelist = reverse("admin:quizzes_question_changelist")
    listing = client.get(changelist, {"status__exact": "draft"})
    assert listing.status_code == 200 and drafts[0].external_id in listing.text
    response = client.post(
        changelist,
        {"action": "approve_selected", "_selected_action": [d.pk for d in drafts]},
    )
    assert response.status_code == 302
    for draft in drafts:
        draft.refresh_from_db()
        assert draft.status == Status.APPROVED and draft.approved_in_admin
    change = client.get(reverse("admin:quizzes_question_change", args=[drafts[0].pk]))
    assert "still says" in change.text  # the approval rule is on the form


def test_the_admin_refuses_two_correct_options(client, lesson):
    question = QuestionFactory(lesson=lesson)
    client.force_login(ProgramAdminFactory(is_staff=True, is_superuser=True))
    url = reverse("admin:quizzes_question_change", args=[question.pk])
    options = list(question.options.order_by("position"))
    data = {
        "stem": question.stem,
        "explanation": question.explanation,
        "kind": question.kind,
        "level": question.level,
        "difficulty": question.difficulty,
        "is_active": "on",
        "lesson": question.lesson_id,
        "options-TOTAL_FORMS": len(options),
        "options-INITIAL_FORMS": len(options),
        "options-MIN_NUM_FORMS": 0,
        "options-MAX_NUM_FORMS": 1000,
    }
    for index, option in enumerate(options):
        data |= {
            f"options-{index}-id": option.pk,
            f"options-{index}-question": question.pk,
            f"options-{index}-text": option.text,
            f"options-{index}-why": option.why,
        }
    data["options-0-is_correct"] = "on"
    data["options-2-is_correct"] = "on"
    response = client.post(url, data)
    assert response.status_code == 200
    assert "Mark exactly one option as correct" in response.text
    # Moving the mark from the first option to the third saves cleanly.
    del data["options-0-is_correct"]
    response = client.post(url, data)
    assert response.status_code == 302
    assert question.options.get(is_correct=True).position == 2
