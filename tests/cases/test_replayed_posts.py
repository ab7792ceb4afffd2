"""A POST sent twice, byte for byte, writes once: why the load balancer may retry POSTs.

deploy/haproxy.cfg retries a request whose server died before answering (`retry-on
empty-response`), on the other server; a learner whose click went unanswered clicks the same
button again. Either way the same form arrives a second time, and the first copy may or may not
have been committed. These tests send each case write twice and check that the second copy is a
no-op that still tells the learner where they stand: the stale-seq check.
"""

import pytest
from django.urls import reverse

from cases.models import Attempt, AttemptEvent, Status

HTMX = {"HTTP_HX_REQUEST": "true"}
ALREADY_RECORDED = "That step was already recorded."


def url(name, attempt):
    return reverse(f"cases:{name}", args=[attempt.pk])


def stored(attempt) -> list:
    return list(AttemptEvent.objects.filter(attempt=attempt).values_list("seq", "event"))


@pytest.fixture
def signed_in(client, pocket_attempt):
    client.force_login(pocket_attempt.user)
    return client


def test_an_htmx_action_sent_twice_is_stored_once_and_the_copy_says_so(signed_in, pocket_attempt):
    form = {"seq": 0, "action": "ck"}
    first = signed_in.post(url("act", pocket_attempt), form, **HTMX)
    replay = signed_in.post(url("act", pocket_attempt), form, **HTMX)
    assert stored(pocket_attempt) == [(1, {"type": "take_action", "action": "ck"})]
    assert first.status_code == replay.status_code == 200
    # The replay's answer is the play area as it stands: the recorded step, the next seq.
    assert ALREADY_RECORDED in replay.text and ALREADY_RECORDED not in first.text
    assert 'name="seq" value="1"' in replay.text


def test_a_plain_action_sent_twice_is_stored_once(signed_in, pocket_attempt):
    form = {"seq": 0, "action": "fvc"}  # a repeatable action: only the seq tells them apart
    signed_in.post(url("act", pocket_attempt), form)
    replay = signed_in.post(url("act", pocket_attempt), form, follow=True)
    assert stored(pocket_attempt) == [(1, {"type": "take_action", "action": "fvc"})]
    assert ALREADY_RECORDED in replay.content.decode()


def test_a_commit_sent_twice_finishes_once_and_both_land_on_the_debrief(signed_in, pocket_attempt):
    form = {"seq": 0, "level": "muscle", "diagnosis": "", "confidence": "low"}
    first = signed_in.post(url("commit", pocket_attempt), form)
    replay = signed_in.post(url("commit", pocket_attempt), form)
    assert first["Location"] == replay["Location"] == url("debrief", pocket_attempt)
    assert [seq for seq, _ in stored(pocket_attempt)] == [1]
    pocket_attempt.refresh_from_db()
    assert (pocket_attempt.status, pocket_attempt.event_count) == (Status.FINISHED, 1)


def test_a_start_sent_twice_opens_one_attempt(client, learner, pocket_case):
    client.force_login(learner)
    start = reverse("cases:start", args=[pocket_case.slug])
    first = client.post(start, {"mode": "training"})
    replay = client.post(start, {"mode": "training"})
    assert first["Location"] == replay["Location"]
    assert Attempt.objects.filter(user=learner).count() == 1


def test_a_copy_that_arrives_after_the_learner_moved_on_is_not_recorded(signed_in, pocket_attempt):
    """The first copy was recorded, the learner clicked on, then the late copy arrives."""
    signed_in.post(url("act", pocket_attempt), {"seq": 0, "action": "ck"}, **HTMX)
    signed_in.post(url("act", pocket_attempt), {"seq": 1, "action": "hx-fatigue"}, **HTMX)
    signed_in.post(url("act", pocket_attempt), {"seq": 0, "action": "ck"}, **HTMX)
    assert [event["action"] for _, event in stored(pocket_attempt)] == ["ck", "hx-fatigue"]
