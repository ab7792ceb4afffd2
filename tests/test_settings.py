"""Settings: production passes Django's deploy checks; SQLite is tuned for concurrent writers."""

import os
import subprocess
import sys
import threading
from pathlib import Path

import pytest
from django.db import connections, transaction

from edu.settings.base import BASE_DIR, database_settings

# What production is given: the minimum, and the shape with PostgreSQL and Redis behind a proxy.
PRODUCTION_ENVIRONMENTS = {
    "minimum": {},
    "postgresql and redis": {
        "DATABASE_URL": "postgresql://edu@db.internal:5432/edu",
        "REDIS_URL": "redis://cache.internal:6379/0",
        "DJANGO_ALLOWED_HOSTS": "learn.example.org,www.learn.example.org",
    },
}


@pytest.mark.parametrize("extra", PRODUCTION_ENVIRONMENTS.values(), ids=PRODUCTION_ENVIRONMENTS)
def test_production_settings_pass_check_deploy(tmp_path, extra):
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "edu.settings.prod",
        "DJANGO_SECRET_KEY": "k" * 20 + "-production-secret-for-the-deploy-check-" + "z" * 20,
        "DJANGO_ALLOWED_HOSTS": "learn.example.org",
        **extra,
    }
    env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)  # set by the browser tests' conftest
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout
    assert "WARNING" not in result.stderr + result.stdout


def test_production_refuses_to_start_without_a_secret_key():
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "edu.settings.prod"}
    env.pop("DJANGO_SECRET_KEY", None)
    result = subprocess.run(
        [sys.executable, "manage.py", "check"],
        cwd=BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode != 0
    assert "Set DJANGO_SECRET_KEY" in result.stderr


def test_database_url_switches_to_postgresql():
    db = database_settings("postgresql://u@db.example:5432/edu", Path("unused"))
    assert db["ENGINE"] == "django.db.backends.postgresql"
    assert db["NAME"] == "edu"
    assert db["CONN_MAX_AGE"] >= 60 and db["CONN_HEALTH_CHECKS"]


def test_sqlite_default_uses_wal_immediate_and_a_busy_timeout(tmp_path):
    db = database_settings(None, tmp_path / "x.sqlite3")
    assert db["OPTIONS"]["transaction_mode"] == "IMMEDIATE"
    assert db["OPTIONS"]["timeout"] >= 5
    assert "journal_mode=WAL" in db["OPTIONS"]["init_command"]


@pytest.fixture
def sqlite_file_alias(tmp_path, django_db_blocker):
    """A second database alias on a real SQLite file, configured exactly like the default."""
    alias = "concurrency"
    configured = connections.configure_settings(
        {
            "default": dict(connections.settings["default"]),
            alias: database_settings(None, tmp_path / "concurrency.sqlite3"),
        }
    )
    connections.settings[alias] = configured[alias]
    with django_db_blocker.unblock():
        with connections[alias].cursor() as cursor:
            cursor.execute("CREATE TABLE counter (id INTEGER PRIMARY KEY, n INTEGER NOT NULL)")
            cursor.execute("INSERT INTO counter VALUES (1, 0)")
        yield alias
    connections[alias].close()
    del connections.settings[alias]


def test_concurrent_writes_from_threads_all_succeed(sqlite_file_alias, django_db_blocker):
    """Read-then-write transactions from 8 threads: the pattern that fails as 'database is
    locked' in SQLite's default DEFERRED mode. Every increment must land."""
    threads_n, writes_each = 8, 25
    errors: list[BaseException] = []

    def worker():
        try:
            with django_db_blocker.unblock():
                for _ in range(writes_each):
                    with (
                        transaction.atomic(using=sqlite_file_alias),
                        connections[sqlite_file_alias].cursor() as cursor,
                    ):
                        cursor.execute("SELECT n FROM counter WHERE id = 1")
                        (n,) = cursor.fetchone()
                        cursor.execute("UPDATE counter SET n = %s WHERE id = 1", [n + 1])
                connections[sqlite_file_alias].close()
        except BaseException as exc:  # noqa: BLE001 - collected and reported below
            errors.append(exc)

    threads = [threading.Thread(target=worker) for _ in range(threads_n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    with django_db_blocker.unblock(), connections[sqlite_file_alias].cursor() as cursor:
        cursor.execute("SELECT n FROM counter WHERE id = 1")
        assert cursor.fetchone()[0] == threads_n * writes_each


@pytest.mark.django_db
def test_pages_carry_security_headers(client):
    response = client.get("/")
    csp = response["Content-Security-Policy"]
    assert "default-src 'self'" in csp and "script-src 'self'" in csp
    assert "frame-ancestors 'none'" in csp
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"


@pytest.mark.django_db
def test_django_admin_is_for_staff_only(client, learner, program_admin):
    program_admin.is_staff = True
    program_admin.save()
    client.force_login(learner)
    assert client.get("/admin/").status_code == 302  # to the admin's own login
    client.force_login(program_admin)
    assert client.get("/admin/").status_code == 200


def test_redis_url_switches_production_to_a_shared_cache():
    import socket

    try:
        socket.create_connection(("127.0.0.1", 6379), timeout=1).close()
    except OSError:
        pytest.skip("no Redis on 127.0.0.1:6379")
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "edu.settings.prod",
        "DJANGO_SECRET_KEY": "r" * 60,
        "DJANGO_ALLOWED_HOSTS": "learn.example.org",
        "REDIS_URL": "redis://127.0.0.1:6379/9",
    }
    env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    code = (
        "from django.core.cache import caches; cache = caches['default']; "
        "cache.set('edu-check', 'shared', 5); print(type(cache).__name__, cache.get('edu-check'))"
    )
    result = subprocess.run(
        [sys.executable, "manage.py", "shell", "-c", code],
        cwd=BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.stdout.strip().endswith("RedisCache shared"), result.stdout + result.stderr


def test_production_keeps_the_policy_without_unsafe_inline():
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "edu.settings.prod",
        "DJANGO_SECRET_KEY": "k" * 60,
        "DJANGO_ALLOWED_HOSTS": "learn.example.org",
    }
    env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    script = (
        "import django; django.setup(); from django.conf import settings; "
        "d = settings.CONTENT_SECURITY_POLICY['DIRECTIVES']; "
        "print(d['script-src'], d['style-src'], settings.SESSION_COOKIE_SECURE, "
        "settings.CSRF_COOKIE_SECURE)"
    )
    result = subprocess.run(
        [sys.executable, "-c", script],
        cwd=BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.stdout.split() == ["[\"'self'\"]", "[\"'self'\"]", "True", "True"], (
        result.stdout + result.stderr
    )
