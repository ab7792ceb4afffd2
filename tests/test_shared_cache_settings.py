"""Production keeps sessions and signed-in users in the cache only when every worker shares it.

A locmem cache is private to one worker process: a sign-out or password change handled by one
worker could not reach what another worker has cached, so without REDIS_URL sessions are read
from the database and users are not cached at all.
"""

import os
import subprocess
import sys

import pytest

from edu.settings.base import BASE_DIR

SHOW = (
    "from django.conf import settings; "
    "print(settings.SESSION_ENGINE, settings.USER_CACHE_SECONDS, "
    "settings.CACHES['default']['BACKEND'].rsplit('.', 1)[1])"
)


def production_settings(**extra) -> str:
    env = {key: value for key, value in os.environ.items() if key != "REDIS_URL"}
    env.update(
        DJANGO_SETTINGS_MODULE="edu.settings.prod",
        DJANGO_SECRET_KEY="s" * 60,
        DJANGO_ALLOWED_HOSTS="learn.example.org",
        **extra,
    )
    result = subprocess.run(
        [sys.executable, "-c", f"import django; django.setup(); {SHOW}"],
        cwd=BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    return result.stdout.strip()


@pytest.mark.parametrize(
    "extra,expected",
    [
        ({}, "django.contrib.sessions.backends.db 0 LocMemCache"),
        (
            {"REDIS_URL": "redis://127.0.0.1:6379/3"},
            "django.contrib.sessions.backends.cached_db 300 RedisCache",
        ),
    ],
    ids=["per-worker cache", "shared cache"],
)
def test_sessions_and_users_come_from_the_cache_only_when_it_is_shared(extra, expected):
    assert production_settings(**extra) == expected
