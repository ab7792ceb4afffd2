"""The progress grid for 300 learners × 12 assignments over HTTP, from a real gunicorn.

Makes a throwaway SQLite database (migrate, load content/, the benchmark cohort of
bench_cohorts.py), starts gunicorn with the production settings the load test uses
(tests/load/settings.py), signs an instructor in through the real form, and times GETs of the
finished grid page from a client on the same machine. Prints median and p90, and the page size.

    .venv/bin/python tests/benchmarks/http_grid.py [--requests 60] [--workers 2]
"""

import argparse
import http.cookiejar
import re
import secrets
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from tests.load.run import BIN, log, manage, port_taken, stop, wait_until_up  # noqa: E402

PASSWORD = "bench-motor-unit"
BUILD = f"""
from edu.accounts.models import Role
from edu.accounts.services import ensure_account
from tests.benchmarks.bench_cohorts import big_cohort
instructor, _ = ensure_account(username="bench-instructor", password={PASSWORD!r},
                               role=Role.INSTRUCTOR)
print("cohort", big_cohort(instructor).pk)
"""


def signed_in_opener(base: str) -> urllib.request.OpenerDirector:
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    page = opener.open(f"{base}/accounts/sign-in/").read().decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
    form = urllib.parse.urlencode(
        {"csrfmiddlewaretoken": token, "username": "bench-instructor", "password": PASSWORD}
    ).encode()
    request = urllib.request.Request(  # noqa: S310 (our own local server)
        f"{base}/accounts/sign-in/", data=form, headers={"Referer": f"{base}/accounts/sign-in/"}
    )
    opener.open(request).read()
    return opener


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=60)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--bind", default="127.0.0.1:8017")
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="edu-grid-"))
    env = {
        "PATH": "/usr/bin:/bin",
        "DJANGO_SETTINGS_MODULE": "tests.load.settings",
        "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
        "DJANGO_ALLOWED_HOSTS": args.bind.split(":")[0],
        "DJANGO_SECURE_SSL_REDIRECT": "0",
        "LOAD_STATIC_ROOT": str(work / "static"),
        "LOAD_ORIGIN": f"http://{args.bind}",
        "PYTHONPATH": str(ROOT),
        "SQLITE_PATH": str(work / "grid.sqlite3"),
    }
    gunicorn = None
    try:
        log(f"building the benchmark cohort in {work}")
        manage(env, "migrate", "--noinput", "-v", "0")
        manage(env, "collectstatic", "--noinput", "-v", "0")
        out = subprocess.run(
            [str(BIN / "python"), "manage.py", "shell", "-c", BUILD],
            cwd=ROOT,
            env=env,
            check=True,
            capture_output=True,
            text=True,
        ).stdout
        cohort = int(re.search(r"cohort (\d+)", out).group(1))
        if port_taken(args.bind):
            raise RuntimeError(f"something already listens on {args.bind}")
        gunicorn = subprocess.Popen(
            [str(BIN / "gunicorn"), "edu.wsgi", "-w", str(args.workers), "-b", args.bind],
            cwd=ROOT,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
        )
        base = f"http://{args.bind}"
        wait_until_up(f"{base}/", gunicorn)
        opener = signed_in_opener(base)
        url = f"{base}/cohorts/{cohort}/progress/"
        size = len(opener.open(url).read())
        for _ in range(5):
            opener.open(url).read()
        samples = []
        for _ in range(args.requests):
            start = time.perf_counter()
            body = opener.open(url).read()
            samples.append((time.perf_counter() - start) * 1000)
            assert b"learners \xc3\x97 assignments" in body
        samples.sort()
        print(
            f"progress grid over HTTP (gunicorn, {args.workers} workers, SQLite, 300 learners x "
            f"12 assignments, {args.requests} requests): median {statistics.median(samples):.1f} "
            f"ms, p90 {samples[int(len(samples) * 0.9) - 1]:.1f} ms, {size / 1024:.1f} KiB"
        )
    finally:
        stop(gunicorn)


if __name__ == "__main__":
    main()
