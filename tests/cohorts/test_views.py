"""The instructor's cohort list: only their own cohorts (all for a program admin), fixed cost."""

import pytest
from django.urls import reverse

from tests.factories import CohortFactory, EnrolmentFactory, InstructorFactory
from tests.querycount import assert_constant_queries

pytestmark = pytest.mark.django_db


def test_instructor_sees_only_the_cohorts_they_teach(instructor_client, instructor):
    mine = CohortFactory(name="Clerkship A", instructors=[instructor])
    CohortFactory(name="Someone else's", instructors=[InstructorFactory()])
    EnrolmentFactory.create_batch(3, cohort=mine)
    response = instructor_client.get(reverse("cohorts:index"))
    assert [(c.name, c.learner_count) for c in response.context["cohorts"]] == [("Clerkship A", 3)]
    assert b"Someone else" not in response.content


def test_program_admin_sees_every_cohort(admin_client_role):
    CohortFactory.create_batch(2, instructors=[InstructorFactory()])
    response = admin_client_role.get(reverse("cohorts:index"))
    assert len(response.context["cohorts"]) == 2


def test_cohort_list_query_count_is_fixed(instructor_client, instructor):
    CohortFactory(instructors=[instructor])

    def fetch():
        assert instructor_client.get(reverse("cohorts:index")).status_code == 200

    def grow():
        for cohort in CohortFactory.create_batch(10, instructors=[instructor]):
            EnrolmentFactory.create_batch(5, cohort=cohort)

    assert_constant_queries(fetch, grow, expected=2)
