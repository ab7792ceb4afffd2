"""Who reaches which cohort page: roles × pages, in the style of tests/test_access_policy.py.

302 = sent to sign in; 403 = the role may not; 404 = the cohort (or its learner, attempt or
export) does not exist for this user. A co-instructor teaches the cohort beside its instructor;
an author is an instructor who may import documents but teaches no cohort here (being an author
opens no cohort). tests/test_object_access.py checks that every URL with an object in it is in
one of the project's matrices.
"""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from edu.cohorts import services
from edu.quizzes import services as quiz_services
from tests.cohorts.conftest import finish_case
from tests.factories import CohortFactory, InstructorFactory, LearnerFactory, ProgramAdminFactory
from tests.quizzes.factories import QuestionFactory, QuizDefinitionFactory

pytestmark = pytest.mark.django_db

ROLES = [
    "anonymous",
    "learner",
    "member",
    "instructor",
    "co_instructor",
    "other_instructor",
    "author",
    "program_admin",
]
# page name, args builder, expected status per role (in ROLES order)
PAGES = [
    ("cohorts:detail", "cohort", (302, 403, 403, 200, 200, 404, 404, 200)),
    ("cohorts:edit", "cohort", (302, 403, 403, 200, 200, 404, 404, 200)),
    ("cohorts:progress", "cohort", (302, 403, 403, 200, 200, 404, 404, 200)),
    ("cohorts:insight", "cohort", (302, 403, 403, 200, 200, 404, 404, 200)),
    ("cohorts:assignment-create", "cohort", (302, 403, 403, 200, 200, 404, 404, 200)),
    ("cohorts:export-gradebook", "cohort", (302, 403, 403, 200, 200, 404, 404, 200)),
    ("cohorts:export-attempts", "cohort", (302, 403, 403, 200, 200, 404, 404, 200)),
    ("cohorts:learner", "learner", (302, 403, 403, 200, 200, 404, 404, 200)),
    ("cohorts:case-attempt", "attempt", (302, 403, 403, 200, 200, 404, 404, 200)),
    ("cohorts:quiz-attempt", "quiz_attempt", (302, 403, 403, 200, 200, 404, 404, 200)),
    ("cohorts:assignment-edit", "assignment", (302, 403, 403, 200, 200, 404, 404, 200)),
    ("cohorts:index", "none", (302, 403, 403, 200, 200, 200, 200, 200)),
    ("cohorts:create", "none", (302, 403, 403, 200, 200, 200, 200, 200)),
    ("cohorts:join", "none", (302, 200, 200, 200, 200, 200, 200, 200)),
    ("cohorts:join-link", "code", (200, 200, 200, 200, 200, 200, 200, 200)),
]


@pytest.fixture
def world(instructor, case_assignment, members):
    cohort = case_assignment.cohort
    member = members[0]
    attempt = finish_case(member, case_assignment.case)
    quiz = QuizDefinitionFactory(lesson=QuestionFactory().lesson, question_count=1)
    now = timezone.now()
    services.create_assignment(
        cohort=cohort,
        kind="quiz",
        target=quiz,
        opens_at=now - timedelta(hours=1),
        due_at=now + timedelta(days=1),
        mode="training",
    )
    quiz_attempt = quiz_services.start_attempt(user=member, definition=quiz, mode="exam")
    co_instructor = InstructorFactory()
    cohort.instructors.add(co_instructor)
    LearnerFactory(username="newbie")  # for add-learners
    CohortFactory(instructors=[(other := InstructorFactory())])
    return {
        "cohort": cohort,
        "member": member,
        "attempt": attempt,
        "quiz_attempt": quiz_attempt,
        "assignment": case_assignment,
        "users": {
            "learner": LearnerFactory(),
            "member": member,
            "instructor": instructor,
            "co_instructor": co_instructor,
            "other_instructor": other,
            "author": InstructorFactory(is_author=True),
            "program_admin": ProgramAdminFactory(),
        },
    }


def _args(kind: str, world) -> list:
    cohort = world["cohort"]
    return {
        "cohort": [cohort.pk],
        "learner": [cohort.pk, world["member"].pk],
        "attempt": [cohort.pk, world["attempt"].pk],
        "quiz_attempt": [cohort.pk, world["quiz_attempt"].pk],
        "assignment": [cohort.pk, world["assignment"].pk],
        "assignment_only": [world["assignment"].pk],
        "code": [cohort.code],
        "none": [],
    }[kind]


@pytest.mark.parametrize("role_index,role", list(enumerate(ROLES)))
def test_cohort_access_matrix(client, world, role_index, role):
    """Every page for one role (a GET changes nothing, so one world serves them all)."""
    if role != "anonymous":
        client.force_login(world["users"][role])
    wrong = {}
    for name, kind, expected in PAGES:
        status = client.get(reverse(name, args=_args(kind, world))).status_code
        if status != expected[role_index]:
            wrong[name] = status
    assert wrong == {}, f"{role}: {wrong}"


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


# Every cohort POST, by role: the status each gets, and who may change anything (a learner may
# leave only their own cohort and start only their own assignments: for anyone else the same
# post is answered as usual but changes nothing). 302 = done and sent on to a page (or, for
# anonymous, to sign in).
STAFF = (302, 403, 403, 302, 302, 404, 404, 302)
TEACHERS = {"instructor", "co_instructor", "program_admin"}
POST_MATRIX = [
    ("cohorts:join-code", "cohort", {"action": "regenerate"}, STAFF, TEACHERS),
    ("cohorts:add-learners", "cohort", {"identifiers": "newbie"}, STAFF, TEACHERS),
    ("cohorts:remove-learner", "learner", {}, STAFF, TEACHERS),
    ("cohorts:assignment-delete", "assignment", {}, STAFF, TEACHERS),
    ("cohorts:dismiss-risk", "cohort", {"reason": "overdue"}, STAFF, TEACHERS),
    ("cohorts:leave", "cohort", {}, (302,) * 8, {"member"}),
    ("cohorts:start", "assignment_only", {}, (302, 404, 302, 404, 404, 404, 404, 404), {"member"}),
]


def cohort_state(world) -> tuple:
    from cases.models import Attempt

    cohort = world["cohort"]
    cohort.refresh_from_db()
    return (
        cohort.code,
        sorted(cohort.enrolments.filter(left_at__isnull=True).values_list("learner_id", flat=True)),
        sorted(cohort.assignments.values_list("pk", flat=True)),
        Attempt.objects.count(),
        cohort.risk_dismissals.count(),
    )


def post_as(client, world, post, role):
    name, kind, data, *_ = post
    if role == "anonymous":
        client.logout()
    else:
        client.force_login(world["users"][role])
    if name == "cohorts:dismiss-risk":
        data = {**data, "learner": world["member"].pk}
    return client.post(reverse(name, args=_args(kind, world)), data)


@pytest.mark.parametrize("post", POST_MATRIX, ids=[p[0] for p in POST_MATRIX])
def test_a_cohort_post_changes_nothing_for_anyone_it_is_not_for(client, world, post):
    name, _kind, _data, expected, may_change = post
    before = cohort_state(world)
    for index, role in enumerate(ROLES):
        if role in may_change:
            continue
        response = post_as(client, world, post, role)
        assert response.status_code == expected[index], f"{role} on {name}"
        assert cohort_state(world) == before, f"{role} changed the cohort through {name}"


ALLOWED_POSTS = [(post, role) for post in POST_MATRIX for role in ROLES if role in post[4]]


@pytest.mark.parametrize(
    "post,role", ALLOWED_POSTS, ids=[f"{post[0]}-{role}" for post, role in ALLOWED_POSTS]
)
def test_a_cohort_post_works_for_each_role_it_is_for(client, world, post, role):
    before = cohort_state(world)
    response = post_as(client, world, post, role)
    assert response.status_code == post[3][ROLES.index(role)], f"{role} on {post[0]}"
    assert cohort_state(world) != before, f"{post[0]} did nothing for {role}: the test is void"
