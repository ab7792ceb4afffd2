"""Only program admins reach analytics: every page and every download, as a role matrix."""

import pytest
from django.urls import reverse

from tests.factories import InstructorFactory, LearnerFactory, ProgramAdminFactory

pytestmark = pytest.mark.django_db


def urls(program, quiz_a):
    case, quiz = program["case"].slug, quiz_a["quiz"].slug
    question = quiz_a["questions"][0].pk
    return [
        reverse("analytics:index"),
        reverse("analytics:index-csv", args=["weeks"]),
        reverse("analytics:index-csv", args=["cohorts"]),
        reverse("analytics:cases"),
        reverse("analytics:cases-csv", args=["cases"]),
        reverse("analytics:case", args=[case]),
        reverse("analytics:case-csv", args=[case, "levels"]),
        reverse("analytics:case-csv", args=[case, "calibration"]),
        reverse("analytics:case-csv", args=[case, "openings"]),
        reverse("analytics:case-csv", args=[case, "versions"]),
        reverse("analytics:quizzes"),
        reverse("analytics:quizzes-csv", args=["quizzes"]),
        reverse("analytics:quiz", args=[quiz]),
        reverse("analytics:quiz-csv", args=[quiz, "items"]),
        reverse("analytics:quiz-csv", args=[quiz, "summary"]),
        reverse("analytics:question", args=[quiz, question]),
        reverse("analytics:question-csv", args=[quiz, question, "options"]),
        reverse("analytics:levels"),
        reverse("analytics:levels-csv", args=["accuracy"]),
        reverse("analytics:levels-csv", args=["matrix"]),
        reverse("analytics:levels-csv", args=["trend"]),
        reverse("analytics:xapi"),
    ]


@pytest.fixture
def people(program):
    instructor = InstructorFactory()
    program["alpha"].instructors.add(instructor)  # even the cohort's own instructor
    return {
        "anonymous": None,
        "learner": program["learners"][0],
        "other learner": LearnerFactory(),
        "instructor of the cohort": instructor,
        "instructor elsewhere": InstructorFactory(),
        "author": InstructorFactory(is_author=True),
        "program admin": ProgramAdminFactory(),
    }


EXPECTED = {
    "anonymous": 302,
    "learner": 403,
    "other learner": 403,
    "instructor of the cohort": 403,
    "instructor elsewhere": 403,
    "author": 403,
    "program admin": 200,
}


@pytest.mark.parametrize("who", list(EXPECTED))
def test_every_analytics_url_admits_program_admins_only(client, program, quiz_a, people, who):
    user = people[who]
    if user is not None:
        client.force_login(user)
    for url in urls(program, quiz_a):
        response = client.get(url)
        assert response.status_code == EXPECTED[who], f"{who} at {url}"
        if who == "anonymous":
            assert "/accounts/sign-in/" in response["Location"]


def test_every_analytics_url_is_in_the_matrix(program, quiz_a):
    from django.urls import resolve

    from edu.analytics.urls import urlpatterns

    covered = {resolve(url).url_name for url in urls(program, quiz_a)}
    assert covered == {pattern.name for pattern in urlpatterns}


def test_an_unknown_table_is_404_for_an_admin(admin_client_role, program):
    url = reverse("analytics:index-csv", args=["secrets"])
    assert admin_client_role.get(url).status_code == 404
