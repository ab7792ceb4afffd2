"""Server time and queries of every analytics page at program scale.

Two ways to run it:

* `make bench` (no setting): builds a small synthetic program inside the test database
  (1/20 of program scale) so the figures come out in a minute;
* at program scale, against a database already seeded with `seed_synthetic` (5,000
  learners, 50 cohorts, 200,000 attempts, 4 million events), left as it is:

      DATABASE_URL=postgresql://postgres@127.0.0.1:5432/edu_analytics \\
        .venv/bin/python manage.py migrate && ... load_content && ... seed_synthetic
      ANALYTICS_BENCH_DB=existing DATABASE_URL=... \\
        .venv/bin/pytest -p no:xdist -s tests/benchmarks/bench_analytics.py

  (for SQLite, DATABASE_URL=sqlite:////path/to/file.sqlite3 the same way).

Each page is fetched by the Django test client as a signed-in program admin: server time,
median of several fetches after a warm-up, and the number of queries of one fetch.
"""

import datetime as dt
import io
import os
import statistics
import time

import pytest
from django.core.management import call_command
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from cases.models import Attempt, AttemptEvent, Case
from edu.accounts.models import Role, User
from edu.cohorts.models import Cohort
from edu.quizzes.models import Answer, QuizAttempt

EXISTING = os.environ.get("ANALYTICS_BENCH_DB") == "existing"

if EXISTING:

    @pytest.fixture(scope="session")
    def django_db_setup():
        """Use the configured database as it stands (seeded beforehand), not a test copy."""


def _seed_small():
    quiet = io.StringIO()
    call_command("load_content", verbosity=0, stdout=quiet)
    call_command(
        "seed_synthetic",
        learners=250,
        cohorts=10,
        attempts=10_000,
        events=200_000,
        sittings=1_500,
        stdout=quiet,
    )
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")


FIRST_BYTES = 64 * 1024  # of a streamed download: what a browser has before it shows progress


def _close(response):
    """Close a half-read download now, so its database cursor goes with it: left to the
    garbage collector it may close in the middle of a later query and deadlock on the
    connection's lock. The test client wraps the stream in a generator whose own `finally`
    closes the response with the connection-closing signal held off; closing that generator
    takes that path (closing the response directly would let the signal close the
    connection)."""
    response._iterator.close()


def _time(client, url, params, repeat):
    def fetch():
        response = client.get(url, params)
        assert response.status_code == 200, url
        if response.streaming:  # the first bytes, then stop, as a cancelled download would
            received = 0
            for chunk in response.streaming_content:
                received += len(chunk)
                if received >= FIRST_BYTES:
                    break
            _close(response)
        return response

    fetch()  # warm-up
    executed = []

    def count(execute, sql, params, many, context):
        executed.append(sql)
        return execute(sql, params, many, context)

    with connection.execute_wrapper(count):
        fetch()
    samples = []
    for _ in range(repeat):
        start = time.perf_counter()
        fetch()
        samples.append((time.perf_counter() - start) * 1000)
    return len(executed), statistics.median(samples), max(samples)


@pytest.mark.benchmark
@pytest.mark.django_db
def test_analytics_pages_at_scale(client):
    if not EXISTING:
        _seed_small()
    admin = User.objects.create(username="bench-admin", role=Role.PROGRAM_ADMIN, password="!")
    client.force_login(admin)
    case = Case.objects.filter(attempts__isnull=False).order_by("slug").first()
    cohort = Cohort.objects.filter(code__startswith="synthetic-").order_by("code").first()
    quiz_attempt = (
        QuizAttempt.objects.filter(is_first_attempt=True, definition__isnull=False)
        .select_related("definition")
        .order_by("id")
        .first()
    )
    quiz = quiz_attempt.definition
    question = Answer.objects.filter(attempt__definition=quiz).values("question_id").first()
    today = timezone.now().date()
    year = {"start": (today - dt.timedelta(weeks=52)).isoformat(), "end": today.isoformat()}
    pages = [
        ("overview", reverse("analytics:index"), {}),
        ("overview, one cohort", reverse("analytics:index"), {"cohort": cohort.pk}),
        ("overview, 52 weeks", reverse("analytics:index"), year),
        ("cases", reverse("analytics:cases"), {}),
        ("cases, 52 weeks", reverse("analytics:cases"), year),
        ("cases, one cohort", reverse("analytics:cases"), {"cohort": cohort.pk}),
        ("one case", reverse("analytics:case", args=[case.slug]), {}),
        ("one case, 52 weeks", reverse("analytics:case", args=[case.slug]), year),
        (
            "one case, one cohort",
            reverse("analytics:case", args=[case.slug]),
            {"cohort": cohort.pk},
        ),
        ("one case version", reverse("analytics:case", args=[case.slug]), {"version": 1}),
        ("quizzes", reverse("analytics:quizzes"), {}),
        ("item analysis", reverse("analytics:quiz", args=[quiz.slug]), {}),
        ("item analysis, 52 weeks", reverse("analytics:quiz", args=[quiz.slug]), year),
        (
            "item analysis, all sittings",
            reverse("analytics:quiz", args=[quiz.slug]),
            {"attempts": "all"},
        ),
        (
            "one question",
            reverse("analytics:question", args=[quiz.slug, question["question_id"]]),
            {},
        ),
        (
            "item analysis, one cohort",
            reverse("analytics:quiz", args=[quiz.slug]),
            {"cohort": cohort.pk},
        ),
        (
            "one question, 52 weeks",
            reverse("analytics:question", args=[quiz.slug, question["question_id"]]),
            year,
        ),
        (
            "one question, one cohort",
            reverse("analytics:question", args=[quiz.slug, question["question_id"]]),
            {"cohort": cohort.pk},
        ),
        ("levels", reverse("analytics:levels"), {}),
        ("levels, 52 weeks", reverse("analytics:levels"), year),
        ("levels, one cohort", reverse("analytics:levels"), {"cohort": cohort.pk}),
        ("cases CSV", reverse("analytics:cases-csv", args=["cases"]), {}),
        ("cases CSV, 52 weeks", reverse("analytics:cases-csv", args=["cases"]), year),
        (
            "overview CSV, one cohort",
            reverse("analytics:index-csv", args=["cohorts"]),
            {"cohort": cohort.pk},
        ),
        ("xAPI, first 64 KB", reverse("analytics:xapi"), {}),
        ("xAPI, first 64 KB, 52 weeks", reverse("analytics:xapi"), year),
        ("xAPI, first 64 KB, one cohort", reverse("analytics:xapi"), {"cohort": cohort.pk}),
    ]
    scale = (
        f"{User.objects.filter(username__startswith='synthetic-').count()} learners, "
        f"{Cohort.objects.filter(code__startswith='synthetic-').count()} cohorts, "
        f"{Attempt.objects.count()} case attempts, {AttemptEvent.objects.count()} events, "
        f"{QuizAttempt.objects.count()} quiz sittings"
    )
    repeat = int(os.environ.get("ANALYTICS_BENCH_REPEAT", "7"))
    lines = [f"\nanalytics pages on {connection.vendor} ({scale}); median of {repeat}:"]
    for name, url, params in pages:
        queries, median, worst = _time(client, url, params, repeat)
        lines.append(f"  {name:30s} {queries:3d} queries {median:8.1f} ms (max {worst:.1f})")
    print("\n".join(lines))
