"""Server time of a case action at 5 and 200 events, and what a full replay would cost instead.

The Guillain-Barré case from content/, the Django test client, the configured database
(SQLite in memory unless DATABASE_URL is set). Each timed post is the same step on an attempt
put back to the same length before it, so every sample measures one attempt size.

Run: make bench-inprocess   (or .venv/bin/pytest -p no:xdist -s tests/benchmarks/bench_cases.py)
"""

import statistics
import time

import pytest
from django.core.management import call_command
from django.urls import reverse

from cases import services
from cases.engine.state import replay
from cases.models import Attempt, AttemptEvent, Case, state_from_snapshot
from cases.selectors import attempt_events, parsed_case
from tests.benchmarks.conftest import median_ms

FVC = {"type": "take_action", "action": "fvc"}  # repeatable: an attempt can grow to any length


def grown(user, case: Case, events: int) -> Attempt:
    attempt = services.start_attempt(user=user, case=case, mode="training")
    for _ in range(events):
        outcome = services.record_event(
            attempt=attempt, user=user, event=FVC, expected_seq=attempt.event_count
        )
        assert outcome.recorded, outcome.message
        attempt = outcome.attempt
    return attempt


def action_ms(client, attempt: Attempt, *, htmx: bool, repeat: int = 100) -> float:
    """Median time of one action post, the attempt reset to its length before each."""
    saved = Attempt.objects.filter(pk=attempt.pk).values().get()
    url = reverse("cases:act", args=[attempt.pk])
    headers = {"HTTP_HX_REQUEST": "true"} if htmx else {}
    samples = []
    for i in range(repeat + 10):
        start = time.perf_counter()
        response = client.post(url, {"seq": attempt.event_count, "action": "fvc"}, **headers)
        elapsed = (time.perf_counter() - start) * 1000
        assert response.status_code in (200, 302) and b"play-error" not in response.content
        AttemptEvent.objects.filter(attempt=attempt, seq__gt=attempt.event_count).delete()
        Attempt.objects.filter(pk=attempt.pk).update(
            **{k: v for k, v in saved.items() if k != "id"}
        )
        if i >= 10:  # the first few warm caches and connections
            samples.append(elapsed)
    return statistics.median(samples)


@pytest.mark.benchmark
@pytest.mark.django_db
def test_case_action_server_time(client, learner, program_admin):
    call_command("load_content", verbosity=0, stdout=open("/dev/null", "w"))  # noqa: SIM115
    case = Case.objects.select_related("current_version").get(slug="gbs-ascending")
    short = grown(learner, case, 5)
    long = grown(program_admin, case, 200)
    client.force_login(learner)
    short_plain = action_ms(client, short, htmx=False)
    short_htmx = action_ms(client, short, htmx=True)
    client.force_login(program_admin)
    long_plain = action_ms(client, long, htmx=False)
    long_htmx = action_ms(client, long, htmx=True)

    definition = parsed_case(long.case_version)
    events = attempt_events(long)
    replay_ms = median_ms(lambda: replay(definition, events), repeat=50, warmup=5)
    snapshot_ms = median_ms(
        lambda: state_from_snapshot(long.state, long.event_count, definition), repeat=50, warmup=5
    )
    page_ms = median_ms(
        lambda: client.get(reverse("cases:play", args=[long.pk])), repeat=50, warmup=5
    )
    print(
        "\ncase action post, server time (median):"
        f"\n  at   5 events: {short_plain:6.2f} ms redirect (PRG), {short_htmx:6.2f} ms htmx"
        f"\n  at 200 events: {long_plain:6.2f} ms redirect (PRG), {long_htmx:6.2f} ms htmx"
        f"\n  play page at 200 events: {page_ms:6.2f} ms"
        f"\n  engine replay of 200 events: {replay_ms:6.2f} ms; "
        f"reading the stored snapshot instead: {snapshot_ms:6.2f} ms"
    )
