"""The program admin's overview: accounts by role and cohorts, at a fixed cost."""

import pytest
from django.urls import reverse

from tests.factories import CohortFactory, LearnerFactory
from tests.querycount import assert_constant_queries

pytestmark = pytest.mark.django_db


def test_accounts_are_counted_by_role(admin_client_role):
    LearnerFactory.create_batch(4)
    CohortFactory()
    response = admin_client_role.get(reverse("analytics:index"))
    assert dict(response.context["roles"]) == {"Learner": 4, "Instructor": 0, "Program admin": 1}
    assert response.context["cohort_count"] == 1


def test_analytics_query_count_is_fixed(admin_client_role):
    def fetch():
        assert admin_client_role.get(reverse("analytics:index")).status_code == 200

    assert_constant_queries(fetch, lambda: LearnerFactory.create_batch(40), expected=3)
