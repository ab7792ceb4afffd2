"""The signed-in user served from the cache: every change to the user reaches the next request.

USER_CACHE_SECONDS is on here as in production with Redis (the test cache is locmem, shared by
this one process, which is all these tests need).
"""

import pytest
from django.core.cache import cache
from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from edu.accounts.backends import cache_key
from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db


@pytest.fixture
def user_cache():
    cache.clear()
    with override_settings(USER_CACHE_SECONDS=300):
        yield
    cache.clear()


def home_queries(client) -> int:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(reverse("cases:library"))
    assert response.status_code == 200
    return len(ctx.captured_queries)


def test_the_user_row_is_read_once_then_comes_from_the_cache(client, learner, user_cache):
    client.force_login(learner)
    first = home_queries(client)
    assert cache.get(cache_key(learner.pk)) is not None
    assert home_queries(client) == first - 1  # no user query the second time


def test_a_password_change_signs_out_other_sessions_at_once(client, learner, user_cache):
    client.force_login(learner)
    home_queries(client)  # the user is cached now
    learner.set_password("a-new-password-entirely")
    learner.save()
    response = client.get(reverse("cases:library"))
    assert not response.wsgi_request.user.is_authenticated


def test_a_deactivated_user_is_refused_at_once(client, learner, user_cache):
    client.force_login(learner)
    home_queries(client)
    learner.is_active = False
    learner.save(update_fields=["is_active"])
    assert not client.get(reverse("cases:library")).wsgi_request.user.is_authenticated


def test_a_role_change_reaches_the_next_request(client, learner, user_cache):
    client.force_login(learner)
    home_queries(client)
    learner.role = "instructor"
    learner.save()
    assert client.get(reverse("cases:library")).wsgi_request.user.is_instructor


def test_signing_in_with_a_password_still_works(client, learner, user_cache):
    response = client.post(
        reverse("accounts:sign-in"), {"username": learner.username, "password": PASSWORD}
    )
    assert response.status_code == 302
    assert client.get(reverse("cases:library")).wsgi_request.user == learner
