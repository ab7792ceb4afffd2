"""Production settings for the load test: plain HTTP on 127.0.0.1, static files in a temp dir.

Everything else (database tuning, sessions, middleware, hashers) is exactly `edu.settings.prod`.
"""

import os

from edu.settings.prod import *  # noqa: F403

STATIC_ROOT = os.environ["LOAD_STATIC_ROOT"]
# The load test speaks plain http to gunicorn; secure-only cookies would never come back.
SESSION_COOKIE_SECURE = False
CSRF_COOKIE_SECURE = False
CSRF_TRUSTED_ORIGINS = [os.environ.get("LOAD_ORIGIN", "http://127.0.0.1:8001")]

# Self-check of the harness only: `run.py --sqlite-transaction-mode DEFERRED` puts back SQLite's
# default mode, which is expected to fail with "database is locked" under this load.
if os.environ.get("LOAD_SQLITE_TRANSACTION_MODE") and "sqlite" in DATABASES["default"]["ENGINE"]:  # noqa: F405
    DATABASES["default"]["OPTIONS"]["transaction_mode"] = os.environ[  # noqa: F405
        "LOAD_SQLITE_TRANSACTION_MODE"
    ]
