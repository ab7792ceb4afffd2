"""Two requests for the same step at the same moment, on SQLite: exactly one is recorded.

tests/cases/test_views_concurrency.py shows this on PostgreSQL's row locks, and is skipped on
SQLite because the in-memory test database cannot be shared between threads. On SQLite the
same guarantee comes from the transaction mode: every write transaction begins IMMEDIATE, so
the second request waits for the first to commit, then sees the step already recorded. This
file checks that in every run, on a real SQLite file configured exactly like the site's default
database (WAL, IMMEDIATE, busy timeout), with two threads posting through the pages.

Every database touch of these tests happens in a thread whose "default" connection points at
that file (`FileDatabase.run`); the test's own thread keeps the in-memory test database and
never uses it. The step's work is slowed down between reading the attempt and writing the
event, so that both requests have certainly read the same count before either writes (without
that, the second might simply arrive late); the unique (attempt, seq) insert, queued behind the
IMMEDIATE transaction, then refuses the second.
"""

from __future__ import annotations

import shutil
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.db import connections
from django.test import Client
from django.urls import reverse

from cases import services
from cases.models import Attempt, AttemptEvent, Case
from edu.settings.base import database_settings
from tests.cases.conftest import load, write_case, write_lessons
from tests.factories import LearnerFactory

HOLD_SECONDS = 0.3  # how long the first request keeps the lock, so the second must queue


class FileDatabase:
    """A migrated SQLite file that threads started by `run` use as their default database."""

    def __init__(self, path: Path, blocker) -> None:
        self.settings = connections.configure_settings({"default": database_settings(None, path)})[
            "default"
        ]
        self.blocker = blocker

    def run(self, fn: Callable[[], Any]) -> Any:
        return self.run_together(fn, count=1)[0]

    def run_together(self, fn: Callable[[], Any], *, count: int) -> list[Any]:
        """Calls `fn` in `count` threads started at once; returns their results, re-raising the
        first error (a thread cannot fail the test itself)."""
        start = threading.Barrier(count)
        results: list[Any] = [None] * count
        errors: list[BaseException] = []

        def work(index: int) -> None:
            try:
                with self.blocker.unblock():
                    start.wait(timeout=10)
                    results[index] = fn()
            except BaseException as error:  # noqa: BLE001 - re-raised below
                errors.append(error)
            finally:
                connections["default"].close()

        original = connections.settings["default"]
        connections.settings["default"] = self.settings
        try:
            threads = [threading.Thread(target=work, args=(i,)) for i in range(count)]
            for thread in threads:
                thread.start()
            for thread in threads:
                thread.join(timeout=60)
        finally:
            connections.settings["default"] = original
        if errors:
            raise errors[0]
        return results


@pytest.fixture(scope="module")
def migrated_file(tmp_path_factory, django_db_blocker) -> Path:
    """The project's schema in a SQLite file, migrated once for this module."""
    path = tmp_path_factory.mktemp("locking") / "template.sqlite3"
    FileDatabase(path, django_db_blocker).run(lambda: call_command("migrate", verbosity=0))
    return path


@pytest.fixture
def file_db(tmp_path, migrated_file, django_db_blocker) -> FileDatabase:
    path = tmp_path / "site.sqlite3"
    shutil.copyfile(migrated_file, path)
    return FileDatabase(path, django_db_blocker)


@pytest.fixture
def attempt_id(file_db, tmp_path) -> int:
    """A learner's fresh attempt at the pocket case, made in the file database."""
    content = tmp_path / "content"
    write_lessons(content)
    (content / "questions").mkdir(parents=True)
    write_case(content)

    def make() -> int:
        load(content)
        case = Case.objects.get(slug="pocket-myasthenia")
        return services.start_attempt(user=LearnerFactory(), case=case, mode="training").pk

    return file_db.run(make)


@pytest.fixture
def slow_step(monkeypatch):
    """Each recorded step works a little longer before writing, so two posts certainly overlap."""
    real = services.attempt_state

    def held(*args, **kwargs):
        time.sleep(HOLD_SECONDS)
        return real(*args, **kwargs)

    monkeypatch.setattr(services, "attempt_state", held)


def test_the_file_database_is_configured_like_the_site(file_db):
    options = file_db.settings["OPTIONS"]
    assert file_db.settings["ENGINE"] == "django.db.backends.sqlite3"
    assert options["transaction_mode"] == "IMMEDIATE"
    mode = file_db.run(lambda: _pragma("journal_mode"))
    assert mode == "wal"


def _pragma(name: str):
    with connections["default"].cursor() as cursor:
        cursor.execute(f"PRAGMA {name}")
        return cursor.fetchone()[0]


@pytest.mark.parametrize("action", ["fvc", "hx-fatigue"], ids=["repeatable", "once-only"])
def test_double_submit_on_sqlite_records_one_event(file_db, attempt_id, slow_step, action):
    url = reverse("cases:act", args=[attempt_id])

    def post():
        attempt = Attempt.objects.select_related("user").get(pk=attempt_id)
        client = Client()
        client.force_login(attempt.user)
        response = client.post(url, {"seq": 0, "action": action}, follow=True)
        said = [str(message) for message in response.context["messages"]]
        return response.status_code, said

    outcomes = file_db.run_together(post, count=2)

    assert [status for status, _ in outcomes] == [200, 200]
    said = sorted(message for _, messages in outcomes for message in messages)
    assert said.count(services.STALE_MESSAGE) == 1
    stored = file_db.run(
        lambda: (
            list(AttemptEvent.objects.filter(attempt_id=attempt_id).values_list("seq", "event")),
            Attempt.objects.get(pk=attempt_id).event_count,
        )
    )
    assert stored == ([(1, {"type": "take_action", "action": action})], 1)


def test_two_threads_racing_the_service_store_one_event(file_db, attempt_id, slow_step):
    """The same race one level down: both calls expect seq 0; one records, one is stale."""

    def record():
        attempt = Attempt.objects.select_related("user").get(pk=attempt_id)
        outcome = services.record_event(
            attempt=attempt_id,
            user=attempt.user,
            event={"type": "take_action", "action": "fvc"},
            expected_seq=0,
        )
        return outcome.recorded, outcome.reason

    outcomes = file_db.run_together(record, count=2)

    assert sorted(outcomes) == [(False, "stale"), (True, "")]
    count = file_db.run(lambda: AttemptEvent.objects.filter(attempt_id=attempt_id).count())
    assert count == 1
