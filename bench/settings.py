"""Settings for `make bench`: `edu.settings.prod` as deployed, spoken over plain http on loopback.

The same overrides as tests/load/settings.py, kept here so the benchmark does not change when
the load test's settings do: no SSL redirect (set in the environment by bench/run.py), cookies
not `Secure` (wrk speaks http), static files collected into the run's temp dir.
"""

import os

from edu.settings.prod import *  # noqa: F403

STATIC_ROOT = os.environ["BENCH_STATIC_ROOT"]
SESSION_COOKIE_SECURE = False
CSRF_COOKIE_SECURE = False
CSRF_TRUSTED_ORIGINS = [os.environ["BENCH_ORIGIN"]]
