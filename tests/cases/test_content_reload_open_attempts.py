"""Reloading content while learners are mid-case loses nothing: each open attempt carries on,
and is debriefed, on the case version it started on; only new attempts see the new version."""

import pytest
from django.test import Client
from django.urls import reverse

from cases import services
from cases.models import Attempt, AttemptEvent, Case
from cases.services import replay_attempt
from tests.cases.conftest import load, mini_case_text, play, take
from tests.factories import LearnerFactory

OLD_LABEL, NEW_LABEL = "Creatine kinase", "Serum CK, revised"
OLD_VALUE, NEW_VALUE = "95 U/L", "95 IU/L (revised)"


def revise_the_case(content_dir) -> None:
    """The author renames the CK test and rewrites its result; load_content makes version 2."""
    text = (
        mini_case_text()
        .replace(f'label = "{OLD_LABEL}"', f'label = "{NEW_LABEL}"')
        .replace(f'value = "{OLD_VALUE}"', f'value = "{NEW_VALUE}"')
    )
    (content_dir / "cases" / "pocket-myasthenia.toml").write_text(text, encoding="utf-8")
    load(content_dir)


def signed_in_as(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def page(client: Client, name: str, attempt: Attempt) -> str:
    response = client.get(reverse(f"cases:{name}", args=[attempt.pk]))
    assert response.status_code == 200, response
    return response.content.decode()


@pytest.fixture
def open_attempts(pocket_case):
    """Three learners mid-case on version 1: one with CK taken, one with history only, one who
    has only opened the case."""
    attempts = []
    for events in ([take("hx-fatigue"), take("ck")], [take("hx-fatigue")], []):
        attempt = services.start_attempt(user=LearnerFactory(), case=pocket_case, mode="training")
        attempts.append(play(attempt, *events))
    return attempts


def test_open_attempts_carry_on_and_are_debriefed_on_their_own_version(open_attempts, content_dir):
    with_ck, history_only, just_opened = open_attempts
    revise_the_case(content_dir)
    assert Case.objects.get().current_version.number == 2

    # The play page of each open attempt still draws version 1: the old label and value.
    for attempt in open_attempts:
        html = page(signed_in_as(attempt.user), "play", attempt)
        assert OLD_LABEL in html and NEW_LABEL not in html
    assert OLD_VALUE in page(signed_in_as(with_ck.user), "play", with_ck)

    # Learners who had not taken CK yet take it now, over the web, and get version 1's result.
    for attempt in (history_only, just_opened):
        client = signed_in_as(attempt.user)
        attempt.refresh_from_db()
        response = client.post(
            reverse("cases:act", args=[attempt.pk]), {"seq": attempt.event_count, "action": "ck"}
        )
        assert response.status_code == 302
        html = page(client, "play", attempt)
        assert OLD_VALUE in html and NEW_VALUE not in html

    # Each commits; the debrief tells the case as it was when they started.
    for attempt in open_attempts:
        client = signed_in_as(attempt.user)
        attempt.refresh_from_db()
        response = client.post(
            reverse("cases:commit", args=[attempt.pk]),
            {"seq": attempt.event_count, "level": "neuromuscular-junction", "diagnosis": "mg"},
        )
        assert response["Location"] == reverse("cases:debrief", args=[attempt.pk])
        html = page(client, "debrief", attempt)
        assert OLD_LABEL in html and NEW_LABEL not in html

    # Every attempt replays from its stored events on version 1, and its stored summary agrees.
    for attempt in open_attempts:
        attempt.refresh_from_db()
        assert attempt.case_version.number == 1
        state = replay_attempt(attempt)
        assert OLD_LABEL in [step.label for step in state.steps]
        assert attempt.event_count == AttemptEvent.objects.filter(attempt=attempt).count()
        assert attempt.chosen_level == "neuromuscular-junction"


def test_a_new_attempt_after_the_reload_uses_the_new_version(open_attempts, content_dir):
    revise_the_case(content_dir)
    newcomer = LearnerFactory()
    client = signed_in_as(newcomer)
    response = client.post(reverse("cases:start", args=["pocket-myasthenia"]), {"mode": "training"})
    attempt = Attempt.objects.get(user=newcomer)
    assert response["Location"] == reverse("cases:play", args=[attempt.pk])
    assert attempt.case_version.number == 2
    response = client.post(reverse("cases:act", args=[attempt.pk]), {"seq": 0, "action": "ck"})
    html = page(client, "play", attempt)
    assert NEW_LABEL in html and NEW_VALUE in html and OLD_VALUE not in html
    # A learner who was mid-case when the content changed resumes their version-1 attempt.
    resumed = open_attempts[0]
    client = signed_in_as(resumed.user)
    response = client.post(reverse("cases:start", args=["pocket-myasthenia"]), {"mode": "training"})
    assert response["Location"] == reverse("cases:play", args=[resumed.pk])
    assert OLD_LABEL in page(client, "play", resumed)
