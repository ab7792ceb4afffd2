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


def test_returning_to_draft_withdraws_the_admin_approval_but_not_the_file_s(client, lesson):
    admin_approved = QuestionFactory(
        lesson=lesson, status=Status.APPROVED, file_status=Status.DRAFT, approved_in_admin=True
    )
    file_approved = QuestionFactory(
        lesson=lesson, status=Status.APPROVED, file_status=Status.APPROVED, approved_in_admin=True
    )
    untouched = QuestionFactory(
        lesson=lesson, status=Status.APPROVED, file_status=Status.DRAFT, approved_in_admin=True
    )
    before = {q.pk: q.updated_at for q in (admin_approved, file_approved, untouched)}
    client.force_login(ProgramAdminFactory(is_staff=True, is_superuser=True))
    response = client.post(
        reverse("admin:quizzes_question_changelist"),
        {
            "action": "return_selected_to_draft",
            "_selected_action": [admin_approved.pk, file_approved.pk],
        },
    )
    assert response.status_code == 302
    for question in (admin_approved, file_approved, untouched):
        question.refresh_from_db()
    assert admin_approved.status == Status.DRAFT and not admin_approved.approved_in_admin
    # The file still says approved: learners keep the question until the file changes.
    assert file_approved.status == Status.APPROVED and not file_approved.approved_in_admin
    assert untouched.status == Status.APPROVED and untouched.approved_in_admin
    assert untouched.updated_at == before[untouched.pk]
    assert admin_approved.updated_at > before[admin_approved.pk]
    assert file_approved.updated_at > before[file_approved.pk]
    [shown] = [str(message) for message in get_messages(response.wsgi_request)]
    assert shown.startswith("1 question(s) back to draft.")
