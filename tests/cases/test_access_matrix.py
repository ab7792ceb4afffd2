"""Who may open a case attempt: a table of roles × attempt pages, with the status each gets.

An attempt belongs to its learner; anyone else signed in gets 404 (not 403), so the page does
not even confirm that the attempt exists. Anonymous visitors are sent to sign in.
"""

import pytest
from django.urls import reverse

from tests.cases.conftest import commit, play
from tests.factories import InstructorFactory, LearnerFactory, ProgramAdminFactory

ROLES = {
    "anonymous": None,
    "owner": "owner",
    "other learner": LearnerFactory,
    "instructor": InstructorFactory,
    "program admin": ProgramAdminFactory,
}
EXPECTED = {
    "anonymous": 302,
    "owner": 200,
    "other learner": 404,
    "instructor": 404,
    "program admin": 404,
}


@pytest.mark.parametrize("page", ["cases:play", "cases:debrief"])
@pytest.mark.parametrize("role", list(ROLES))
def test_attempt_pages_by_role(client, pocket_attempt, page, role):
    attempt = pocket_attempt
    if page == "cases:debrief":
        attempt = play(attempt, commit())
    maker = ROLES[role]
    if maker == "owner":
        client.force_login(attempt.user)
    elif maker is not None:
        client.force_login(maker())
    response = client.get(reverse(page, args=[attempt.pk]))
    assert response.status_code == EXPECTED[role]
    if role == "anonymous":
        assert response["Location"].startswith(reverse("accounts:sign-in"))


@pytest.mark.parametrize("page", ["cases:act", "cases:localize", "cases:commit"])
@pytest.mark.parametrize("role", ["other learner", "instructor", "program admin"])
def test_nobody_else_can_post_to_an_attempt(client, pocket_attempt, page, role):
    client.force_login(ROLES[role]())
    data = {"seq": 0, "action": "ptosis-history", "level": "muscle", "confidence": "low"}
    response = client.post(reverse(page, args=[pocket_attempt.pk]), data)
    assert response.status_code == 404
    pocket_attempt.refresh_from_db()
    assert pocket_attempt.event_count == 0
