"""Server time of a lesson page with 50 lessons loaded (Django test client, SQLite).

Run: make bench-inprocess   (or .venv/bin/pytest -p no:xdist -s tests/benchmarks/bench_lessons.py)
"""

import pytest
from django.urls import reverse

from edu.authoring.registry import LoadReport
from edu.lessons.content import load_lessons
from edu.lessons.models import Lesson
from tests.benchmarks.conftest import median_ms
from tests.lessons.conftest import write_lesson


@pytest.mark.django_db
def test_lesson_page_server_time(client, learner, tmp_path):
    for order in range(1, 51):
        write_lesson(tmp_path, order, body_extra="\nMore text. " * 200)
    load_lessons(tmp_path, LoadReport())
    client.force_login(learner)
    lesson = Lesson.objects.select_related("topic").get(order=25)
    url = reverse("lessons:lesson", args=[lesson.topic.slug, lesson.slug])
    assert client.get(url).status_code == 200
    ms = median_ms(lambda: client.get(url))
    anonymous = median_ms(lambda: client.logout() or client.get(url), repeat=100)
    print(
        f"\nlesson page, 50 lessons loaded: median {ms:.2f} ms signed in, "
        f"{anonymous:.2f} ms anonymous (target < 20 ms)"
    )
