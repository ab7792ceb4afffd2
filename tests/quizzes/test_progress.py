"""My progress: lessons read, quiz scores over time, case results, the level confusion matrix
and what to do next, all for the signed-in learner only."""

import pytest
from django.urls import reverse

from edu.lessons.models import LessonProgress
from edu.quizzes.models import Option
from edu.quizzes.question_format import OptionSpec, option_level
from edu.quizzes.selectors import progress_page
from edu.quizzes.services import answer_item, start_attempt, submit_attempt
from edu.quizzes.templatetags.quiz_tags import score_chart_geometry
from edu.statistics.levels import OTHER, answer_choice, level_pairs
from tests.factories import LearnerFactory
from tests.quizzes.factories import (
    LessonFactory,
    QuestionFactory,
    QuizDefinitionFactory,
    finished_case_attempt,
)

NMJ = "neuromuscular-junction"


@pytest.mark.parametrize(
    "text,expected",
    [
        ("Muscle", "muscle"),
        ("  muscle ", "muscle"),
        ("Brain or spinal cord (upper motor neuron)", "upper-motor-neuron"),
        ("NMJ", NMJ),
        ("Peripheral nerve", "peripheral-nerve"),
        ("Myasthenia gravis", ""),
    ],
)
def test_a_wrong_option_without_a_level_defaults_to_the_level_its_text_names(text, expected):
    assert option_level(OptionSpec(text=text, why=""), NMJ) == expected


def test_an_option_level_written_in_the_file_wins_over_its_text():
    spec = OptionSpec(text="Myasthenia gravis", why="", level=NMJ)
    assert option_level(spec, "muscle") == NMJ


def test_the_correct_option_defaults_to_the_question_level():
    assert option_level(OptionSpec(text="Anything", why="", correct=True), NMJ) == NMJ


def test_a_wrong_answer_counts_as_its_option_level_or_other():
    assert answer_choice(true_level=NMJ, is_correct=False, option_level="muscle") == "muscle"
    assert answer_choice(true_level=NMJ, is_correct=False, option_level="") == OTHER
    assert answer_choice(true_level=NMJ, is_correct=True, option_level="muscle") == NMJ


def answer(attempt, position, text):
    item = attempt.items.get(position=position)
    option = Option.objects.get(question=item.question, text=text)
    answer_item(attempt=attempt, position=position, option_id=option.pk)


@pytest.fixture
def nmj_quiz(lesson):
    for _ in range(3):
        QuestionFactory(
            lesson=lesson,
            level=NMJ,
            options=["Neuromuscular junction", "Muscle", "Myasthenia gravis", "Peripheral nerve"],
        )
    return QuizDefinitionFactory(lesson=lesson, title="Definition", question_count=3)


def test_the_matrix_counts_cases_and_questions_by_true_and_chosen_level(learner, nmj_quiz):
    attempt = start_attempt(user=learner, definition=nmj_quiz, mode="exam")
    answer(attempt, 1, "Neuromuscular junction")
    answer(attempt, 2, "Muscle")
    answer(attempt, 3, "Myasthenia gravis")
    finished_case_attempt(learner, correct="peripheral-nerve", chosen="nerve-root")
    finished_case_attempt(LearnerFactory(), correct="muscle", chosen="muscle")  # not theirs
    assert level_pairs(learners=learner) == {
        (NMJ, NMJ): 1,
        (NMJ, "muscle"): 1,
        (NMJ, OTHER): 1,
        ("peripheral-nerve", "nerve-root"): 1,
    }


def test_the_suggestion_points_at_the_weakest_level(learner, nmj_quiz, lesson):
    attempt = start_attempt(user=learner, definition=nmj_quiz, mode="exam")
    answer(attempt, 1, "Muscle")
    answer(attempt, 2, "Muscle")
    answer(attempt, 3, "Neuromuscular junction")
    finished_case_attempt(learner, correct="muscle", chosen="muscle", title="Gowers sign")
    finished_case_attempt(learner, correct=NMJ, chosen=NMJ, title="Evening ptosis")
    suggestion = progress_page(user=learner).suggestion
    assert suggestion.headline == "Work on neuromuscular junction"
    assert (
        "correctly in 2 of 4 answers" in suggestion.reason and "muscle instead" in suggestion.reason
    )
    labels = [link.label for link in suggestion.links]
    assert labels == ["Lesson: Definition", "Quiz: Definition", "Case: Evening ptosis"]
    assert suggestion.links[0].url == reverse(
        "lessons:lesson", args=[lesson.topic.slug, "definition"]
    )


def test_with_nothing_missed_the_suggestion_is_the_next_unread_lesson(learner, lesson):
    second = LessonFactory(title="Common pitfalls", order=2)
    LessonProgress.objects.create(user=learner, lesson=lesson)
    page = progress_page(user=learner)
    assert (page.lessons_read, len(page.lessons)) == (1, 2)
    assert page.suggestion.headline == f"Read “{second.title}”"


def test_the_page_shows_lessons_scores_cases_and_matrix(learner_client, learner, nmj_quiz, lesson):
    LessonProgress.objects.create(user=learner, lesson=lesson)
    for picks in (["Muscle", "Muscle", "Muscle"], ["Neuromuscular junction"] * 3):
        attempt = start_attempt(user=learner, definition=nmj_quiz, mode="exam")
        for position, text in enumerate(picks, start=1):
            answer(attempt, position, text)
        submit_attempt(attempt=attempt)
    finished_case_attempt(learner, correct="peripheral-nerve", chosen="nerve-root", title="GBS")
    html = learner_client.get(reverse("quizzes:progress")).text
    assert "Lessons read: 1 of 1" in html
    score_chart = html.split('<figure class="score-chart">', 1)[1].split("</figure>", 1)[0]
    assert score_chart.count("<rect") == 2  # one bar per finished quiz
    assert "Scores of your last 2 quizzes, oldest first: 0%, 100%." in html
    assert "GBS" in html and "Nerve root" in html
    assert 'class="num shade-4"' in html  # NMJ chosen as muscle three times: the darkest cell
    assert "Work on peripheral nerve" in html  # 0 of 1, below the junction's 3 of 6


def test_progress_is_only_ever_the_learners_own(learner_client, nmj_quiz):
    other = LearnerFactory()
    attempt = start_attempt(user=other, definition=nmj_quiz, mode="exam")
    answer(attempt, 1, "Muscle")
    submit_attempt(attempt=attempt)
    finished_case_attempt(other, correct="muscle", chosen="nerve-root", title="Not mine")
    html = learner_client.get(reverse("quizzes:progress")).text
    assert "No finished quizzes yet" in html and "Not mine" not in html
    assert "No finished cases yet" in html


def test_the_chart_places_bars_by_score():
    class Point:
        def __init__(self, score):
            from datetime import UTC, datetime

            self.title, self.mode, self.score = "Quiz", "Exam", score
            self.finished_at = datetime(2026, 1, 1, tzinfo=UTC)

    chart = score_chart_geometry([Point(0.0), Point(0.5), Point(1.0)])
    low, mid, high = chart.bars
    assert high.y < mid.y < low.y  # taller bar for a higher score
    assert high.y == chart.gridlines[-1].y  # 100% reaches the top gridline
    assert mid.height == pytest.approx((high.height) / 2, abs=0.1)
    assert low.height > 0  # a zero still shows
    assert [bar.number for bar in chart.bars] == [1, 2, 3]


def test_the_matrix_only_has_columns_for_levels_that_occur():
    from collections import Counter

    from edu.statistics.levels import confusion_matrix

    matrix = confusion_matrix(Counter({(NMJ, NMJ): 2, (NMJ, "muscle"): 1, ("muscle", OTHER): 1}))
    assert [column[0] for column in matrix.columns] == [NMJ, "muscle", OTHER]
    assert [row.level for row in matrix.answered_rows] == [NMJ, "muscle"]
    nmj = matrix.answered_rows[0]
    assert [cell.count for cell in nmj.cells] == [2, 1, 0]
    assert (nmj.correct, nmj.total, nmj.accuracy) == (2, 3, 2 / 3)


def test_finished_counts_are_totals_not_the_length_of_the_recent_lists(learner_client, learner):
    for n in range(23):
        finished_case_attempt(learner, correct="muscle", chosen="muscle", title=f"Case {n}")
    response = learner_client.get(reverse("quizzes:progress"))
    page = response.context["progress"]
    assert page.cases_finished == 23
    assert len(page.cases) == 20  # the list shows the latest results only
    assert b"<dt>Cases finished</dt><dd>23</dd>" in response.content


def test_the_suggested_case_link_lands_on_its_card(learner_client, learner):
    from django.core.management import call_command

    call_command("load_content", verbosity=0)
    finished_case_attempt(learner, correct="muscle", chosen="neuromuscular-junction")
    suggestion = learner_client.get(reverse("quizzes:progress")).context["progress"].suggestion
    case_links = [link for link in suggestion.links if link.label.startswith("Case:")]
    assert case_links, suggestion
    url = case_links[0].url
    assert url.startswith(reverse("cases:library") + "#case-")
    library = learner_client.get(reverse("cases:library")).content.decode()
    assert f'id="{url.split("#")[1]}"' in library


def test_the_counts_per_learner_keep_each_learners_answers_apart(learner, nmj_quiz):
    from edu.statistics.levels import level_pairs_by_learner

    other = LearnerFactory()
    attempt = start_attempt(user=learner, definition=nmj_quiz, mode="exam")
    answer(attempt, 1, "Muscle")
    answer(attempt, 2, "Muscle")
    finished_case_attempt(learner, correct="peripheral-nerve", chosen="nerve-root")
    finished_case_attempt(other, correct="muscle", chosen="muscle", title="Theirs")
    outsider = LearnerFactory()  # not in the set asked about
    finished_case_attempt(outsider, correct="muscle", chosen="nerve-root", title="Outside")
    by_learner = level_pairs_by_learner(learners=[learner.pk, other.pk])
    assert by_learner == {
        learner.pk: {(NMJ, "muscle"): 2, ("peripheral-nerve", "nerve-root"): 1},
        other.pk: {("muscle", "muscle"): 1},
    }
    # The same counts as the whole set's, split by learner.
    together = level_pairs(learners=[learner.pk, other.pk])
    assert sum(by_learner.values(), start=type(together)()) == together
