"""Who may open a case attempt: a table of roles × attempt pages, with the status each gets.

An attempt belongs to its learner; anyone else signed in gets 404 (not 403), so the page does
not even confirm that the attempt exists, and that holds for the instructors who teach the
learner too (they read a finished attempt on the cohort's pages, tests/cohorts/
test_access_matrix.py, never play it). Anonymous visitors are sent to sign in.
"""

import pytest
from django.urls import reverse

from tests.cases.conftest import commit, play
from tests.factories import (
    CohortFactory,
    EnrolmentFactory,
    InstructorFactory,
    LearnerFactory,
    ProgramAdminFactory,
)


def teacher_of(learner):
    """An instructor of a cohort the learner is in (with a co-instructor beside them)."""
    teacher, colleague = InstructorFactory(), InstructorFactory()
    EnrolmentFactory(cohort=CohortFactory(instructors=[teacher, colleague]), learner=learner)
    return teacher


def co_teacher_of(learner):
    teacher_of(learner)
    return learner.enrolments.get().cohort.instructors.order_by("pk").last()


ROLES = {
    "anonymous": None,
    "owner": "owner",
    "other learner": lambda learner: LearnerFactory(),
    "instructor": lambda learner: InstructorFactory(),
    "instructor of the learner's cohort": teacher_of,
    "co-instructor of the learner's cohort": co_teacher_of,
    "author": lambda learner: InstructorFactory(is_author=True),
    "program admin": lambda learner: ProgramAdminFactory(),
}
EXPECTED = {role: 404 for role in ROLES} | {"anonymous": 302, "owner": 200}


ATTEMPT_PAGES = ["cases:play", "cases:debrief"]
ATTEMPT_POSTS = ["cases:act", "cases:localize", "cases:commit"]


@pytest.mark.parametrize("page", ATTEMPT_PAGES)
@pytest.mark.parametrize("role", list(ROLES))
def test_attempt_pages_by_role(client, pocket_attempt, page, role):
    attempt = pocket_attempt
    if page == "cases:debrief":
        attempt = play(attempt, commit())
    maker = ROLES[role]
    if maker == "owner":
        client.force_login(attempt.user)
    elif maker is not None:
        client.force_login(maker(attempt.user))
    response = client.get(reverse(page, args=[attempt.pk]))
    assert response.status_code == EXPECTED[role]
    if role == "anonymous":
        assert response["Location"].startswith(reverse("accounts:sign-in"))


@pytest.mark.parametrize("page", ATTEMPT_POSTS)
@pytest.mark.parametrize("role", [r for r in ROLES if r not in ("anonymous", "owner")])
def test_nobody_else_can_post_to_an_attempt(client, pocket_attempt, page, role):
    client.force_login(ROLES[role](pocket_attempt.user))
    data = {"seq": 0, "action": "ptosis-history", "level": "muscle", "confidence": "low"}
    response = client.post(reverse(page, args=[pocket_attempt.pk]), data)
    assert response.status_code == 404
    pocket_attempt.refresh_from_db()
    assert pocket_attempt.event_count == 0
