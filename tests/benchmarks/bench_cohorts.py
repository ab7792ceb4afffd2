"""Server time and size of the progress grid for 300 learners × 12 assignments (Django test
client, SQLite, finished HTML), and of the other instructor pages at that size.

Run: make bench-inprocess   (or .venv/bin/pytest -p no:xdist -s tests/benchmarks/bench_cohorts.py)
"""

import os
import random
import statistics
import time
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from cases.models import Attempt, Case
from edu.accounts.models import User
from edu.cohorts import services
from edu.cohorts.models import Enrolment
from edu.lessons.models import LessonProgress
from edu.quizzes.models import QuizAttempt
from tests.factories import CohortFactory
from tests.querycount import count_queries
from tests.quizzes.factories import LessonFactory, QuizDefinitionFactory

LEARNERS = 300
LEVELS = ["nerve-root", "peripheral-nerve", "neuromuscular-junction", "muscle"]
SCORES = (
    "score_localization",
    "score_thoroughness",
    "score_efficiency",
    "score_safety",
    "score_diagnosis",
    "score_overall",
)


def timings(fn, *, repeat: int = 40, warmup: int = 5) -> tuple[float, float, float, float]:
    """Median and p90 of wall time, then of this process's CPU time (ms). On a shared machine
    the CPU time is what the request would take with a core to itself."""
    for _ in range(warmup):
        fn()
    wall, cpu = [], []
    for _ in range(repeat):
        start, start_cpu = time.perf_counter(), time.process_time()
        fn()
        wall.append((time.perf_counter() - start) * 1000)
        cpu.append((time.process_time() - start_cpu) * 1000)
    wall.sort()
    cpu.sort()
    p90 = int(len(wall) * 0.9) - 1
    return statistics.median(wall), wall[p90], statistics.median(cpu), cpu[p90]


def big_cohort(instructor):
    """300 learners; 6 case, 4 quiz and 2 lesson assignments; a realistic mix of rows."""
    rng = random.Random(1)
    cohort = CohortFactory(name="Rotation of 300", instructors=[instructor])
    users = User.objects.bulk_create(
        User(username=f"b{i:03d}", first_name=f"Learner{i:03d}", last_name="Bench", password="x")
        for i in range(LEARNERS)
    )
    users = list(User.objects.filter(username__startswith="b").order_by("username"))
    Enrolment.objects.bulk_create(Enrolment(cohort=cohort, learner=u) for u in users)
    now = timezone.now()
    opens, due = now - timedelta(days=10), now - timedelta(days=2)
    call_command("load_content", verbosity=0)  # the real cases, so insight can name actions
    cases = list(Case.objects.select_related("current_version").order_by("slug")[:6])
    action_ids = {c.pk: [a["id"] for a in c.current_version.definition["actions"]] for c in cases}
    lesson = LessonFactory()
    quizzes = [QuizDefinitionFactory(lesson=lesson) for _ in range(4)]
    lessons = [lesson, LessonFactory()]
    targets = [("case", c) for c in cases] + [("quiz", q) for q in quizzes]
    targets += [("lesson", item) for item in lessons]
    for kind, target in targets:
        services.create_assignment(
            cohort=cohort, kind=kind, target=target, opens_at=opens, due_at=due
        )
    attempts, quiz_attempts, reads = [], [], []
    for user in users:
        for case in cases:
            roll = rng.random()
            if roll < 0.15:
                continue
            finished = roll < 0.85
            when = opens + timedelta(hours=rng.uniform(1, 300))
            attempts.append(
                Attempt(
                    user=user,
                    case=case,
                    case_version=case.current_version,
                    status="finished" if finished else "in_progress",
                    finished_at=when if finished else None,
                    chosen_level=rng.choice(LEVELS) if finished else "",
                    correct_level=case.level,
                    missed_critical=rng.sample(action_ids[case.pk], 1) if finished else [],
                    **{name: rng.random() if finished else None for name in SCORES},
                )
            )
        for quiz in quizzes:
            if rng.random() < 0.2:
                continue
            when = opens + timedelta(hours=rng.uniform(1, 300))
            quiz_attempts.append(
                QuizAttempt(
                    user=user,
                    definition=quiz,
                    mode="practice",
                    status="finished",
                    started_at=when,
                    finished_at=when + timedelta(minutes=9),
                    n_items=10,
                    n_answered=10,
                    n_correct=rng.randint(3, 10),
                    score=rng.random(),
                )
            )
        reads += [LessonProgress(user=user, lesson=item) for item in lessons if rng.random() < 0.8]
    Attempt.objects.bulk_create(attempts)
    Attempt.objects.filter(case__in=cases).update(started_at=opens + timedelta(hours=1))
    QuizAttempt.objects.bulk_create(quiz_attempts)
    LessonProgress.objects.bulk_create(reads)
    return cohort


@pytest.mark.django_db
def test_progress_grid_for_300_learners_and_12_assignments(client, instructor):
    cohort = big_cohort(instructor)
    client.force_login(instructor)
    lines = []
    for name in (
        "cohorts:progress",
        "cohorts:detail",
        "cohorts:insight",
        "cohorts:export-gradebook",
        "cohorts:export-attempts",
    ):
        url = reverse(name, args=[cohort.pk])
        response = client.get(url)
        assert response.status_code == 200
        queries = count_queries(lambda url=url: client.get(url))
        median, p90, cpu, cpu90 = timings(
            lambda url=url: client.get(url), repeat=30 if name != "cohorts:progress" else 60
        )
        lines.append(
            f"{name:<26} {queries:>2} queries  wall median {median:6.1f} p90 {p90:6.1f} ms  "
            f"CPU median {cpu:6.1f} p90 {cpu90:6.1f} ms  {len(response.content) / 1024:6.1f} KiB"
        )
    print(
        f"\nInstructor pages, {LEARNERS} learners x 12 assignments (server time, test client; "
        f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores):"
    )
    print("\n".join(lines))
