"""The case action in process: its server time beside a bare Django view returning the same
bytes, and what each middleware of the project's stack costs on its own.

The bare view runs with no middleware at all, as `make bench`'s same-bytes view does under
gunicorn; the ratio of the two medians is the in-process estimate of the ratio wrk measures.
Times are the thread's CPU time, not the wall clock, so a busy machine shifts them little.
The middleware table times a trivial signed-in view under the stack cut after each middleware,
so each line's difference is that middleware's cost per request. Test client, the Guillain-Barré
case from content/, the configured database (SQLite in memory unless DATABASE_URL is set).

Run: .venv/bin/pytest -p no:xdist -s tests/benchmarks/bench_hot_path.py
"""

import statistics
import time

import pytest
from django.conf import settings
from django.core.management import call_command
from django.http import HttpResponse
from django.test import Client, override_settings
from django.urls import path, reverse

from cases.models import Attempt, AttemptEvent, Case
from edu.access import Rule, access
from tests.benchmarks.bench_cases import grown

HTMX = {"HTTP_HX_REQUEST": "true"}
_body = {"bytes": b""}


@access(Rule.SIGNED_IN)
def same_bytes(request):
    return HttpResponse(_body["bytes"])


urlpatterns = [path("bare/", same_bytes)]


def median_post_ms(client, attempt: Attempt, action: str, *, repeat: int) -> tuple[float, bytes]:
    """Median time of one htmx action post, the attempt put back to its length after each."""
    saved = Attempt.objects.filter(pk=attempt.pk).values().get()
    url = reverse("cases:act", args=[attempt.pk])
    samples, body = [], b""
    for i in range(repeat + 10):
        start = time.thread_time()
        response = client.post(url, {"seq": attempt.event_count, "action": action}, **HTMX)
        elapsed = (time.thread_time() - start) * 1000
        assert response.status_code == 200 and b"play-error" not in response.content
        body = response.content
        AttemptEvent.objects.filter(attempt=attempt, seq__gt=attempt.event_count).delete()
        Attempt.objects.filter(pk=attempt.pk).update(
            **{k: v for k, v in saved.items() if k != "id"}
        )
        if i >= 10:
            samples.append(elapsed)
    return statistics.median(samples), body


def median_get_ms(client, url: str, *, repeat: int) -> float:
    samples = []
    for i in range(repeat + 10):
        start = time.thread_time()
        response = client.get(url)
        elapsed = (time.thread_time() - start) * 1000
        assert response.status_code == 200, response.status_code
        if i >= 10:
            samples.append(elapsed)
    return statistics.median(samples)


@pytest.mark.benchmark
@pytest.mark.django_db
def test_case_action_beside_the_same_bytes(learner):
    call_command("load_content", verbosity=0, stdout=open("/dev/null", "w"))  # noqa: SIM115
    case = Case.objects.select_related("current_version").get(slug="gbs-ascending")
    attempt = grown(learner, case, 5)
    client = Client()
    client.force_login(learner)
    action_ms, body = median_post_ms(client, attempt, "fvc", repeat=200)
    _body["bytes"] = body
    with override_settings(MIDDLEWARE=[], ROOT_URLCONF=__name__):
        bare_ms = median_get_ms(Client(), "/bare/", repeat=400)
    print(
        f"\ncase action (htmx, {len(body)} bytes): {action_ms:.2f} ms; "
        f"bare view, same bytes, no middleware: {bare_ms:.2f} ms; "
        f"ratio {bare_ms / action_ms:.3f}"
    )

    print("\nmiddleware, cost per request of a signed-in trivial view (median, ms):")
    previous = None
    for cut in range(len(settings.MIDDLEWARE) + 1):
        stack = settings.MIDDLEWARE[:cut]
        with override_settings(MIDDLEWARE=stack, ROOT_URLCONF=__name__):
            signed_in = Client()
            signed_in.force_login(learner)
            ms = median_get_ms(signed_in, "/bare/", repeat=400)
        name = stack[-1] if stack else "(none)"
        extra = "" if previous is None else f"  +{ms - previous:.3f}"
        print(f"  {name:55s} {ms:.3f}{extra}")
        previous = ms
    # The access policy's line is mostly loading the signed-in user (its first touch of
    # request.user): the same stack with the user from the cache, as production with Redis.
    with override_settings(ROOT_URLCONF=__name__, USER_CACHE_SECONDS=300):
        signed_in = Client()
        signed_in.force_login(learner)
        ms = median_get_ms(signed_in, "/bare/", repeat=400)
    print(f"  {'whole stack, user from the cache':55s} {ms:.3f}  {ms - previous:+.3f}")
