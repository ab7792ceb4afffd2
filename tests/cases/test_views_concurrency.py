"""Two requests for the same step at the same moment: exactly one is recorded.

This needs a database with row locks and concurrent connections (PostgreSQL). SQLite serialises
every writer through its IMMEDIATE transactions instead, and its in-memory test database cannot
be shared between threads, so there the test is skipped.
"""

import threading

import pytest
from django.contrib.messages import get_messages
from django.db import connection
from django.test import Client
from django.urls import reverse

from cases.models import Attempt, AttemptEvent


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("action", ["fvc", "hx-fatigue"], ids=["repeatable", "once-only"])
def test_double_submit_records_one_event(pocket_attempt, action):
    if connection.vendor == "sqlite":
        pytest.skip(
            "needs PostgreSQL: concurrent connections with row locks "
            "(run with DATABASE_URL=postgresql://…)"
        )
    user = pocket_attempt.user
    url = reverse("cases:act", args=[pocket_attempt.pk])
    ready = threading.Barrier(2)
    responses, errors = [], []

    def submit():
        try:
            client = Client()
            client.force_login(user)
            ready.wait(timeout=10)
            responses.append(client.post(url, {"seq": 0, "action": action}))
        except Exception as error:  # surfaced below; a thread cannot fail the test itself
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=submit) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)

    assert errors == []
    assert sorted(r.status_code for r in responses) == [302, 302]
    assert AttemptEvent.objects.filter(attempt=pocket_attempt).count() == 1
    assert Attempt.objects.get(pk=pocket_attempt.pk).event_count == 1
    said = [str(m) for r in responses for m in get_messages(r.wsgi_request)]
    assert said == ["That step was already recorded."]
