"""The header shows each role its own navigation."""

import pytest
from django.urls import reverse

from tests.factories import LearnerFactory
from tests.querycount import assert_constant_queries

LEARNING = ["Lessons", "Cases", "Quizzes", "My progress"]


def nav_labels(response):
    return [item["label"] for item in response.context["nav_items"]]


@pytest.mark.django_db
def test_anonymous_sees_learning_links_and_sign_in(client):
    response = client.get(reverse("home"))
    assert nav_labels(response) == ["Lessons", "Cases", "Quizzes"]
    assert b"Sign in" in response.content


@pytest.mark.django_db
@pytest.mark.parametrize(
    "role,expected",
    [
        ("learner", LEARNING),
        ("instructor", [*LEARNING, "Cohorts"]),
        ("program_admin", [*LEARNING, "Cohorts", "Analytics", "Import a document"]),
    ],
)
def test_role_aware_navigation(client, request, role, expected):
    client.force_login(request.getfixturevalue(role))
    assert nav_labels(client.get(reverse("home"))) == expected


@pytest.mark.django_db
def test_home_page_query_count_does_not_grow_with_users(learner_client):
    def fetch():
        assert learner_client.get(reverse("home")).status_code == 200

    assert_constant_queries(fetch, lambda: LearnerFactory.create_batch(30))
