"""Bulk approval in the admin publishes only drafts that pass the question checker."""

from django.contrib.messages import get_messages
from django.urls import reverse

from edu.quizzes.admin import approval_faults
from edu.quizzes.models import Status
from tests.factories import ProgramAdminFactory
from tests.quizzes.factories import QuestionFactory

TELLTALE = [
    "Stop the anticholinesterase, secure the airway in intensive care and give atropine",
    "More pyridostigmine",
    "Magnesium",
    "Observe on the ward",
]


def approve(client, questions):
    client.force_login(ProgramAdminFactory(is_staff=True, is_superuser=True))
    return client.post(
        reverse("admin:quizzes_question_changelist"),
        {"action": "approve_selected", "_selected_action": [q.pk for q in questions]},
    )


def draft(lesson, **kwargs):
    return QuestionFactory(lesson=lesson, status=Status.DRAFT, file_status=Status.DRAFT, **kwargs)


def test_a_sound_draft_is_approved_and_a_faulty_one_stays_a_draft(client, lesson):
    sound = draft(lesson)
    faulty = draft(lesson, options=TELLTALE)
    response = approve(client, [sound, faulty])
    assert response.status_code == 302
    sound.refresh_from_db()
    faulty.refresh_from_db()
    assert sound.status == Status.APPROVED and sound.approved_in_admin
    assert faulty.status == Status.DRAFT and not faulty.approved_in_admin
    shown = [str(message) for message in get_messages(response.wsgi_request)]
    assert shown[0] == "1 question(s) approved; they now reach learners."
    assert shown[1].startswith(
        f"{faulty.external_id} was not approved, because the question checker found: "
        "questions[0].options[0].text: the correct option is 82 characters"
    )


def test_a_true_false_draft_with_an_absolute_word_is_refused(client, lesson):
    faulty = draft(
        lesson,
        kind="true-false",
        stem="True or false: a normal CK always rules out a myopathy.",
        options=["True", "False"],
        options__correct=1,
    )
    approve(client, [faulty])
    faulty.refresh_from_db()
    assert faulty.status == Status.DRAFT


def test_the_check_reads_the_question_as_the_database_holds_it(db, lesson):
    question = draft(lesson)
    assert approval_faults(question) == []
    question.options.filter(position=1).update(why="")
    (fault,) = approval_faults(question)
    assert (fault.key, fault.message) == ("questions[0].options[1].why", "must not be empty")
