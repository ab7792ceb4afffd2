"""A learner takes quizzes in a real browser: practice with feedback after each answer, an exam
marked only at the end, a review session of due questions, and My progress (also on a phone)."""

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from edu.quizzes.models import ReviewCard
from tests.browser.conftest import sign_in
from tests.factories import PASSWORD, LearnerFactory
from tests.quizzes.factories import LessonFactory, QuestionFactory, QuizDefinitionFactory

# (stem, options with the correct one first, why of the correct, level)
QUESTIONS = [
    (
        "A 31-year-old woman has drooping eyelids and double vision that are worse in the "
        "evening. Reflexes and sensation are normal. Where is the lesion most likely?",
        ["Neuromuscular junction", "Muscle", "Peripheral nerve", "Nerve root"],
        "neuromuscular-junction",
    ),
    (
        "A 34-year-old man has weakness climbing from his feet to his thighs over four days, "
        "with tingling toes and absent ankle and knee reflexes. Where is the lesion most likely?",
        ["Peripheral nerve", "Muscle", "Neuromuscular junction", "Anterior horn cell"],
        "peripheral-nerve",
    ),
    (
        "A 6-year-old boy rises from the floor by pushing on his thighs. His calves look bulky "
        "and his creatine kinase is very high. Where is the lesion most likely?",
        ["Muscle", "Neuromuscular junction", "Peripheral nerve", "Nerve root"],
        "muscle",
    ),
    (
        "A 45-year-old has neck pain, weak elbow extension, a reduced triceps reflex and "
        "numbness of the middle finger. Where is the lesion most likely?",
        ["Nerve root", "Peripheral nerve", "Muscle", "Neuromuscular junction"],
        "nerve-root",
    ),
]


@pytest.fixture
def quiz_world(transactional_db):
    lesson = LessonFactory(
        slug="classification-by-anatomical-level",
        title="Classification by anatomical level",
        order=3,
    )
    for stem, options, level in QUESTIONS:
        question = QuestionFactory(
            lesson=lesson,
            stem=stem,
            level=level,
            options=options,
            explanation=(
                f"The picture fits the {options[0].lower()}: the pattern of weakness, the "
                "reflexes and the sensory findings together point there."
            ),
        )
        question.options.filter(is_correct=True).update(why=f"{options[0]} fits every finding.")
    quiz = QuizDefinitionFactory(
        lesson=lesson, title="Classification by anatomical level", question_count=4
    )
    learner = LearnerFactory(username="lee", first_name="Lee", last_name="Learner")
    return {"quiz": quiz, "learner": learner, "lesson": lesson}


def correct_text(page) -> str:
    """The right answer for the question on screen, looked up by its stem."""
    stem = page.locator(".stem").inner_text()
    for text, options, _level in QUESTIONS:
        if text[:40] in stem:
            return options[0]
    raise AssertionError(f"unknown question on screen: {stem[:60]}")


def wrong_text(page) -> str:
    right = correct_text(page)
    labels = page.locator(".choice span").all_inner_texts()
    return next(label for label in labels if label != right)


def quiz_card(page, title):
    return page.locator(".quiz-card", has_text=title)


@pytest.mark.django_db(transaction=True)
def test_practice_quiz_gives_feedback_after_each_answer(page, screenshot, quiz_world):
    sign_in(page, "lee", PASSWORD)
    page.goto("/quizzes/")
    screenshot(page, "quiz-index")
    quiz_card(page, "Classification").get_by_role("button", name="Practice").click()
    expect(page.get_by_text("Question 1 of 4")).to_be_visible()
    screenshot(page, "quiz-practice-question")

    for number in range(1, 5):
        choice = wrong_text(page) if number == 2 else correct_text(page)
        page.get_by_label(choice, exact=True).check()
        page.get_by_role("button", name="Check answer").click()
        verdict = page.locator(".verdict")
        verdict.wait_for()
        assert verdict.inner_text() == ("Not quite." if number == 2 else "Correct.")
        expect(page.locator(".explanation")).to_be_visible()
        if number == 2:
            # The why of the chosen and of the correct option are both shown.
            expect(page.locator(".marked.is-chosen-wrong .why")).to_be_visible()
            expect(page.locator(".marked.is-correct .why")).to_be_visible()
            screenshot(page, "quiz-practice-feedback")
        if number < 4:
            page.get_by_role("link", name="Next question").click()
            page.get_by_text(f"Question {number + 1} of 4").wait_for()
    page.get_by_role("link", name="See your result").click()
    expect(page.locator(".stats").get_by_text("75%")).to_be_visible()
    expect(page.get_by_text("3 of 4")).to_be_visible()
    screenshot(page, "quiz-practice-result")


@pytest.mark.django_db(transaction=True)
def test_exam_quiz_keeps_feedback_until_submit(page, screenshot, quiz_world):
    sign_in(page, "lee", PASSWORD)
    page.goto("/quizzes/")
    quiz_card(page, "Classification").get_by_role("button", name="Exam").click()
    for number in range(1, 5):
        page.get_by_text(f"Question {number} of 4").wait_for()
        choice = wrong_text(page) if number == 1 else correct_text(page)
        page.get_by_label(choice, exact=True).check()
        page.get_by_role("button", name="Save answer").click()
        assert page.locator(".verdict").count() == 0  # no marks during an exam
    page.get_by_text("All 4 questions answered").wait_for()
    screenshot(page, "quiz-exam-before-submit")

    # Leaving and coming back resumes the same attempt.
    page.goto("/quizzes/")
    quiz_card(page, "Classification").get_by_role("link", name="Resume").click()
    page.get_by_role("button", name="Submit exam").click()
    expect(page.locator(".stats").get_by_text("75%")).to_be_visible()
    assert page.locator(".result-item.is-wrong").count() == 1
    assert page.locator(".result-item .explanation").count() == 4
    screenshot(page, "quiz-exam-result")


@pytest.mark.django_db(transaction=True)
def test_review_session_of_due_questions(page, screenshot, quiz_world):
    sign_in(page, "lee", PASSWORD)
    page.goto("/quizzes/")
    quiz_card(page, "Classification").get_by_role("button", name="Exam").click()
    for number in range(1, 5):
        page.get_by_text(f"Question {number} of 4").wait_for()
        page.get_by_label(correct_text(page), exact=True).check()
        page.get_by_role("button", name="Save answer").click()
    page.get_by_role("button", name="Submit exam").click()
    page.locator(".stats").wait_for()

    page.goto("/")
    expect(page.get_by_role("heading", name="Review due: 0")).to_be_visible()
    # Time passes: two of the questions fall due.
    cards = ReviewCard.objects.filter(user=quiz_world["learner"]).order_by("pk")[:2]
    ReviewCard.objects.filter(pk__in=[card.pk for card in cards]).update(
        due=timezone.now() - timedelta(hours=1)
    )
    page.reload()
    expect(page.get_by_role("heading", name="Review due: 2")).to_be_visible()
    screenshot(page, "home-review-due")

    page.get_by_role("button", name="Start review").click()
    assert page.locator("h1").inner_text() == "Review of due questions"
    page.get_by_label(correct_text(page), exact=True).check()
    page.get_by_role("button", name="Check answer").click()
    assert page.locator(".verdict").inner_text() == "Correct."
    screenshot(page, "review-feedback")
    page.get_by_role("link", name="Next question").click()
    page.get_by_text("Question 2 of 2").wait_for()
    page.get_by_label(wrong_text(page), exact=True).check()
    page.get_by_role("button", name="Check answer").click()
    assert page.locator(".verdict").inner_text() == "Not quite."
    page.get_by_role("link", name="See your result").click()
    page.goto("/")
    expect(page.get_by_role("heading", name="Review due: 0")).to_be_visible()


@pytest.mark.django_db(transaction=True)
def test_my_progress_updates_and_fits_a_phone(page, phone_page, screenshot, quiz_world):
    sign_in(page, "lee", PASSWORD)
    page.goto("/quizzes/progress/")
    expect(page.get_by_text("No finished quizzes yet")).to_be_visible()

    page.goto("/quizzes/")
    quiz_card(page, "Classification").get_by_role("button", name="Practice").click()
    for number in range(1, 5):
        page.get_by_text(f"Question {number} of 4").wait_for()
        choice = correct_text(page) if number % 2 else wrong_text(page)
        page.get_by_label(choice, exact=True).check()
        page.get_by_role("button", name="Check answer").click()
        page.locator(".verdict").wait_for()
        if number < 4:
            page.get_by_role("link", name="Next question").click()

    page.get_by_role("navigation", name="Main").get_by_role("link", name="My progress").click()
    assert page.locator(".score-chart rect").count() == 1
    caption = page.locator(".score-chart figcaption").inner_text()
    assert caption.startswith("Score of your one finished quiz: 50%.")
    assert page.locator("table.confusion tbody tr").count() == 4
    expect(page.get_by_role("heading", name="What to do next")).to_be_visible()
    screenshot(page, "progress-desktop")

    sign_in(phone_page, "lee", PASSWORD)
    phone_page.goto("/quizzes/progress/")
    width = phone_page.evaluate("document.documentElement.scrollWidth")
    assert width <= 375, f"My progress scrolls sideways on a phone ({width}px)"
    screenshot(phone_page, "progress-phone")
