"""Who reaches which cohort page: roles × pages, in the style of tests/test_access_policy.py.

302 = sent to sign in; 403 = the role may not; 404 = the cohort (or its learner, attempt or
export) does not exist for this user.
"""

import pytest
from django.urls import reverse

from edu.cohorts import services
from tests.cohorts.conftest import finish_case
from tests.factories import CohortFactory, InstructorFactory, LearnerFactory, ProgramAdminFactory

pytestmark = pytest.mark.django_db

ROLES = ["anonymous", "learner", "member", "instructor", "other_instructor", "program_admin"]
# page name, args builder, expected status per role (in ROLES order)
PAGES = [
    ("cohorts:detail", "cohort", (302, 403, 403, 200, 404, 200)),
    ("cohorts:edit", "cohort", (302, 403, 403, 200, 404, 200)),
    ("cohorts:progress", "cohort", (302, 403, 403, 200, 404, 200)),
    ("cohorts:insight", "cohort", (302, 403, 403, 200, 404, 200)),
    ("cohorts:assignment-create", "cohort", (302, 403, 403, 200, 404, 200)),
    ("cohorts:export-gradebook", "cohort", (302, 403, 403, 200, 404, 200)),
    ("cohorts:export-attempts", "cohort", (302, 403, 403, 200, 404, 200)),
    ("cohorts:learner", "learner", (302, 403, 403, 200, 404, 200)),
    ("cohorts:case-attempt", "attempt", (302, 403, 403, 200, 404, 200)),
    ("cohorts:assignment-edit", "assignment", (302, 403, 403, 200, 404, 200)),
    ("cohorts:index", "none", (302, 403, 403, 200, 200, 200)),
    ("cohorts:create", "none", (302, 403, 403, 200, 200, 200)),
    ("cohorts:join", "none", (302, 200, 200, 200, 200, 200)),
    ("cohorts:join-link", "code", (200, 200, 200, 200, 200, 200)),
]


@pytest.fixture
def world(instructor, case_assignment, members):
    cohort = case_assignment.cohort
    member = members[0]
    attempt = finish_case(member, case_assignment.case)
    CohortFactory(instructors=[(other := InstructorFactory())])
    return {
        "cohort": cohort,
        "member": member,
        "attempt": attempt,
        "assignment": case_assignment,
        "users": {
            "learner": LearnerFactory(),
            "member": member,
            "instructor": instructor,
            "other_instructor": other,
            "program_admin": ProgramAdminFactory(),
        },
    }


def _args(kind: str, world) -> list:
    cohort = world["cohort"]
    return {
        "cohort": [cohort.pk],
        "learner": [cohort.pk, world["member"].pk],
        "attempt": [cohort.pk, world["attempt"].pk],
        "assignment": [cohort.pk, world["assignment"].pk],
        "code": [cohort.code],
        "none": [],
    }[kind]


@pytest.mark.parametrize("role_index,role", list(enumerate(ROLES)))
@pytest.mark.parametrize("page", PAGES, ids=[p[0] for p in PAGES])
def test_cohort_access_matrix(client, world, page, role_index, role):
    name, kind, expected = page
    if role != "anonymous":
        client.force_login(world["users"][role])
    response = client.get(reverse(name, args=_args(kind, world)))
    assert response.status_code == expected[role_index], f"{role} on {name}"


POSTS = ["cohorts:join-code", "cohorts:add-learners", "cohorts:dismiss-risk"]


@pytest.mark.parametrize("name", POSTS)
def test_another_instructors_posts_are_404_and_change_nothing(client, world, name):
    client.force_login(world["users"]["other_instructor"])
    code = world["cohort"].code
    response = client.post(reverse(name, args=[world["cohort"].pk]), {"action": "regenerate"})
    assert response.status_code == 404
    world["cohort"].refresh_from_db()
    assert world["cohort"].code == code


def test_another_instructor_cannot_remove_a_learner(client, world):
    client.force_login(world["users"]["other_instructor"])
    url = reverse("cohorts:remove-learner", args=[world["cohort"].pk, world["member"].pk])
    assert client.post(url).status_code == 404


def test_a_learner_outside_the_cohort_is_404_on_the_learner_page(instructor_client, world):
    stranger = LearnerFactory()
    url = reverse("cohorts:learner", args=[world["cohort"].pk, stranger.pk])
    assert instructor_client.get(url).status_code == 404


def test_a_removed_co_instructor_loses_access_at_once(client, world, instructor):
    colleague = InstructorFactory()
    cohort = world["cohort"]
    services.update_cohort(cohort=cohort, name=cohort.name, instructors=[instructor, colleague])
    client.force_login(colleague)
    url = reverse("cohorts:progress", args=[cohort.pk])
    assert client.get(url).status_code == 200
    services.update_cohort(cohort=cohort, name=cohort.name, instructors=[instructor])
    assert client.get(url).status_code == 404


def test_a_learner_cannot_start_an_assignment_of_a_cohort_they_are_not_in(client, world):
    client.force_login(world["users"]["learner"])
    url = reverse("cohorts:start", args=[world["assignment"].pk])
    assert client.post(url).status_code == 404
