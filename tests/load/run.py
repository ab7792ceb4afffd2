"""Run the case-action load test against a throwaway database and a real gunicorn.

For each database asked for (SQLite, PostgreSQL or both): make a temp dir and a fresh database,
migrate, load content/, collect static files, create the learner accounts, start gunicorn with
the production settings (tests/load/settings.py: edu.settings.prod over plain http) and run
locust headless. Then print requests/s, median and p95 per endpoint, the failures, and what
gunicorn logged (5xx, tracebacks, "database is locked"). gunicorn is always stopped and the
PostgreSQL database dropped, whatever happens.

    .venv/bin/python tests/load/run.py                 # SQLite, then PostgreSQL if it answers
    .venv/bin/python tests/load/run.py --db sqlite --users 16 --time 60 --htmx
"""

import argparse
import json
import os
import re
import resource
import secrets
import shutil
import signal
import socket
import string
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent
PASSWORD = "load-test-motor-unit"
PG_SERVER = os.environ.get("LOAD_PG_SERVER", "postgresql://postgres@127.0.0.1:5432")
ERROR_LINE = re.compile(r"(Error|Exception|locked|Forbidden|Bad Request|Not Found)\b")

CREATE_ACCOUNTS = """
from edu.accounts.models import Role
from edu.accounts.services import ensure_account
for i in range({n}):
    ensure_account(username="load-learner-%02d" % i, password={pw!r}, role=Role.LEARNER)
print("accounts ready: {n}")
"""


def log(message: str) -> None:
    print(f"[load] {message}", flush=True)


def manage(env: dict, *args: str) -> None:
    subprocess.run([str(BIN / "python"), "manage.py", *args], cwd=ROOT, env=env, check=True)


def port_taken(bind: str) -> bool:
    host, port = bind.rsplit(":", 1)
    with socket.socket() as probe:
        probe.settimeout(1)
        return probe.connect_ex((host, int(port))) == 0


def wait_until_up(url: str, proc: subprocess.Popen, timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"gunicorn exited with {proc.returncode} before answering")
        try:
            with urllib.request.urlopen(url, timeout=2) as response:  # noqa: S310 (local)
                if response.status < 500:
                    return
        except urllib.error.HTTPError as error:
            if error.code < 500:
                return
        except OSError:
            pass
        time.sleep(0.3)
    raise RuntimeError(f"gunicorn did not answer {url} within {timeout:.0f} s")


def stop(proc: subprocess.Popen | None) -> None:
    """Stop a process we started, and its children, by its own process group."""
    if proc is None or proc.poll() is not None:
        return
    try:
        os.killpg(proc.pid, signal.SIGTERM)
        proc.wait(timeout=15)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait(timeout=5)
    except ProcessLookupError:
        pass


def create_pg_database(name: str) -> None:
    import psycopg

    with psycopg.connect(f"{PG_SERVER}/postgres", autocommit=True, connect_timeout=5) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')


def drop_pg_database(name: str) -> None:
    import psycopg

    with psycopg.connect(f"{PG_SERVER}/postgres", autocommit=True, connect_timeout=5) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def pg_answers() -> bool:
    try:
        import psycopg

        with psycopg.connect(f"{PG_SERVER}/postgres", connect_timeout=3):
            return True
    except Exception:  # noqa: BLE001 - any failure means "no PostgreSQL here"
        return False


def normalise(path: str) -> str:
    """Name a path the way the locustfile names its requests."""
    path = re.sub(r"^/cases/attempts/\d+/", "/cases/attempts/[id]/", path)
    path = re.sub(r"^/cases/[\w-]+/start/$", "/cases/[slug]/start/", path)
    path = re.sub(r"^/lessons/[\w-]+/[\w-]+/$", "/lessons/[topic]/[lesson]/", path)
    return re.sub(r"^/lessons/[\w-]+/$", "/lessons/[topic]/", path)


def cpu_seconds(pid: int) -> float:
    """User + system CPU of a live process and its children (gunicorn's master and workers)."""
    import psutil  # installed with locust

    total = 0.0
    parent = psutil.Process(pid)
    for proc in [parent, *parent.children(recursive=True)]:
        times = proc.cpu_times()
        total += times.user + times.system
    return total


def postgres_cpu_seconds() -> float:
    """CPU of every PostgreSQL server process on this machine (it shares the cores)."""
    import psutil

    total = 0.0
    for proc in psutil.process_iter(["name", "cpu_times"]):
        times = proc.info["cpu_times"]
        if proc.info["name"] in ("postgres", "postmaster") and times is not None:
            total += times.user + times.system
    return total


def server_log_findings(access_log: Path, error_log: Path) -> dict:
    """5xx by request line from the access log; tracebacks and lock errors from gunicorn's log."""
    status_5xx: Counter = Counter()
    status_4xx: Counter = Counter()
    server_ms: dict[str, list[float]] = {}
    line_re = re.compile(r'"(\w+) (\S+) [^"]*" (\d{3}) \S+ (\d+)')
    for line in access_log.read_text(errors="replace").splitlines():
        found = line_re.search(line)
        if not found:
            continue
        method, path, status, micros = found.groups()
        path = normalise(path.split("?")[0])
        if int(status) >= 500:
            status_5xx[f"{method} {path} -> {status}"] += 1
        elif int(status) >= 400:
            status_4xx[f"{method} {path} -> {status}"] += 1
        server_ms.setdefault(f"{method} {path}", []).append(int(micros) / 1000)
    text = error_log.read_text(errors="replace")
    errors = Counter(
        re.sub(r"/\d+/", "/[id]/", line.strip())
        for line in text.splitlines()
        if ERROR_LINE.search(line) and not line.startswith(" ")
    )
    server = {}
    for key, values in sorted(server_ms.items()):
        values.sort()
        server[key] = {
            "count": len(values),
            "median_ms": round(values[len(values) // 2], 1),
            "p95_ms": round(values[min(len(values) - 1, int(len(values) * 0.95))], 1),
        }
    return {
        "5xx": dict(status_5xx),
        "4xx": dict(status_4xx),
        # Each failure's traceback names it twice (sqlite3's error, then Django's): count one.
        "database_is_locked": len(
            re.findall(r"^django\.db\.utils\.OperationalError: database is locked", text, re.M)
        ),
        "server_errors": len(re.findall(r"^Internal Server Error:", text, re.M)),
        "tracebacks": text.count("Traceback (most recent call last)"),
        "error_lines": dict(errors.most_common(10)),
        "server_time": server,
    }


def print_report(label: str, summary: dict, server: dict) -> None:
    print(f"\n=== {label} ===")
    head = (
        f"{'':<5} {'endpoint':<34} {'reqs':>6} {'fail':>5} {'req/s':>7} {'med ms':>7} {'p95 ms':>7}"
    )
    print(head)
    print("-" * len(head))
    for row in summary["endpoints"]:
        print(
            f"{row['method']:<5} {row['name']:<34} {row['requests']:>6} {row['failures']:>5} "
            f"{row['rps']:>7.1f} {row['median_ms']:>7} {row['p95_ms']:>7}"
        )
    print("\nserver time (gunicorn access log, request in the worker):")
    for key, figures in server["server_time"].items():
        print(
            f"  {key:<44} n={figures['count']:<6} median {figures['median_ms']:>6} ms"
            f"  p95 {figures['p95_ms']:>6} ms"
        )
    print("\nfailures (locust):", "none" if not summary["errors"] else "")
    for row in summary["errors"]:
        print(f"  {row['count']:>5} x {row['method']} {row['name']}: {row['error']}")
    print(f"5xx in the access log: {server['5xx'] or 'none'}")
    print(f"4xx in the access log: {server['4xx'] or 'none'}")
    print(f"'database is locked' in gunicorn's log: {server['database_is_locked']}")
    print(
        f"'Internal Server Error' in gunicorn's log: {server['server_errors']} "
        f"({server['tracebacks']} tracebacks; a chained exception prints two)"
    )
    for line, count in server["error_lines"].items():
        print(f"  {count:>5} x {line[:160]}")


def run_one(db: str, args: argparse.Namespace, results_dir: Path | None) -> dict:
    work = Path(tempfile.mkdtemp(prefix=f"edu-load-{db}-"))
    pg_name = f"edu_load_{secrets.token_hex(4)}" if db == "postgres" else None
    gunicorn = None
    alphabet = string.ascii_letters + string.digits + "-_!@#%^*()=+"
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "tests.load.settings",
        "DJANGO_SECRET_KEY": "".join(secrets.choice(alphabet) for _ in range(60)),
        "DJANGO_ALLOWED_HOSTS": args.bind.split(":")[0],
        "DJANGO_SECURE_SSL_REDIRECT": "0",
        "LOAD_STATIC_ROOT": str(work / "static"),
        "LOAD_ORIGIN": f"http://{args.bind}",
        "PYTHONPATH": str(ROOT),
        "LOAD_ACCOUNTS": str(args.accounts),
        "LOAD_PASSWORD": PASSWORD,
        "LOAD_HTMX": "1" if args.htmx else "0",
        "LOAD_WAIT": args.wait,
    }
    env.pop("REDIS_URL", None)
    if args.sqlite_transaction_mode:
        env["LOAD_SQLITE_TRANSACTION_MODE"] = args.sqlite_transaction_mode
    if db == "postgres":
        env["DATABASE_URL"] = f"{PG_SERVER}/{pg_name}"
    else:
        env.pop("DATABASE_URL", None)
        env["SQLITE_PATH"] = str(work / "load.sqlite3")
    try:
        if pg_name:
            create_pg_database(pg_name)
            log(f"created PostgreSQL database {pg_name}")
        log(f"setting up in {work}")
        manage(env, "migrate", "--noinput", "-v", "0")
        manage(env, "load_content", "-v", "0")
        manage(env, "collectstatic", "--noinput", "-v", "0")
        code = CREATE_ACCOUNTS.format(n=args.accounts, pw=PASSWORD)
        manage(env, "shell", "-c", code)

        if port_taken(args.bind):
            raise RuntimeError(f"something already listens on {args.bind}; choose --bind")
        access_log, error_log = work / "access.log", work / "gunicorn.log"
        with open(error_log, "w") as err:
            gunicorn = subprocess.Popen(
                [
                    str(BIN / "gunicorn"),
                    "edu.wsgi",
                    "-w",
                    str(args.workers),
                    "-b",
                    args.bind,
                    "--access-logfile",
                    str(access_log),
                    "--access-logformat",
                    '%(h)s "%(r)s" %(s)s %(b)s %(D)s',
                    "--error-logfile",
                    "-",
                    "--no-control-socket",
                ],
                cwd=ROOT,
                env=env,
                stdout=err,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        wait_until_up(f"http://{args.bind}/", gunicorn)
        log(f"gunicorn up on {args.bind} with {args.workers} workers (pid {gunicorn.pid})")

        env["LOAD_SUMMARY"] = str(work / "locust.json")
        command = [
            str(BIN / "locust"),
            "-f",
            str(ROOT / "tests/load/locustfile.py"),
            "--headless",
            "-u",
            str(args.users),
            "-r",
            str(args.users),
            "-t",
            f"{args.time}s",
            "--host",
            f"http://{args.bind}",
            "--only-summary",
            "--stop-timeout",
            "10",
            "--loglevel",
            "WARNING",
        ]
        log("locust: " + " ".join(command[1:]))
        cpu_server = cpu_seconds(gunicorn.pid)
        cpu_children = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpu_pg = postgres_cpu_seconds() if db == "postgres" else 0.0
        locust = subprocess.run(command, cwd=ROOT, env=env, check=False, start_new_session=True)
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpu = {
            "gunicorn_s": round(cpu_seconds(gunicorn.pid) - cpu_server, 1),
            "locust_s": round(
                after.ru_utime + after.ru_stime - cpu_children.ru_utime - cpu_children.ru_stime, 1
            ),
            "wall_s": args.time,
        }
        if db == "postgres":
            cpu["postgres_s"] = round(postgres_cpu_seconds() - cpu_pg, 1)
        summary = json.loads((work / "locust.json").read_text())
        # Let gunicorn finish writing before reading its logs.
        stop(gunicorn)
        server = server_log_findings(access_log, error_log)
        label = f"{db}, {args.workers} gunicorn workers, {args.users} users, {args.time} s"
        label += ", htmx" if args.htmx else ""
        if args.sqlite_transaction_mode and db == "sqlite":
            label += f", transaction_mode {args.sqlite_transaction_mode}"
        print_report(label, summary, server)
        pg_cpu = f", PostgreSQL {cpu['postgres_s']} s" if "postgres_s" in cpu else ""
        print(
            f"CPU over the run: gunicorn {cpu['gunicorn_s']} s, locust {cpu['locust_s']} s"
            f"{pg_cpu}, in {args.time} s on {os.cpu_count()} cores"
        )
        result = {
            "db": db,
            "label": label,
            "locust_exit": locust.returncode,
            **summary,
            "server": server,
            "cpu": cpu,
        }
        if results_dir:
            results_dir.mkdir(parents=True, exist_ok=True)
            for name in ("access.log", "gunicorn.log"):
                shutil.copy(work / name, results_dir / f"{db}-{name}")
            (results_dir / f"{db}.json").write_text(json.dumps(result, indent=1))
        return result
    finally:
        stop(gunicorn)
        if pg_name:
            try:
                drop_pg_database(pg_name)
                log(f"dropped PostgreSQL database {pg_name}")
            except Exception as error:  # noqa: BLE001
                log(f"!!! could not drop {pg_name}: {error}")
        if args.keep:
            log(f"kept {work}")
        else:
            shutil.rmtree(work, ignore_errors=True)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", choices=["sqlite", "postgres", "both"], default="both")
    parser.add_argument("--users", type=int, default=16)
    parser.add_argument("--time", type=int, default=60, help="seconds of load")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn sync workers")
    parser.add_argument("--accounts", type=int, default=32)
    parser.add_argument("--bind", default="127.0.0.1:8001")
    parser.add_argument("--wait", default="0", help='think time: "0" or "min,max" seconds')
    parser.add_argument("--htmx", action="store_true", help="post actions as htmx does")
    parser.add_argument(
        "--sqlite-transaction-mode",
        metavar="MODE",
        help="harness self-check: override IMMEDIATE (e.g. DEFERRED, SQLite's default)",
    )
    parser.add_argument("--keep", action="store_true", help="keep the temp dir and its logs")
    parser.add_argument("--results", type=Path, help="copy logs and a JSON summary here")
    args = parser.parse_args()

    dbs = ["sqlite", "postgres"] if args.db == "both" else [args.db]
    if "postgres" in dbs and not pg_answers():
        if args.db == "postgres":
            log(f"!!! no PostgreSQL answers at {PG_SERVER}")
            return 2
        log(f"!!! no PostgreSQL answers at {PG_SERVER}: PostgreSQL run SKIPPED")
        dbs.remove("postgres")

    # A Ctrl-C or a kill must still reach the finally blocks that stop gunicorn.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    problems = 0
    for db in dbs:
        result = run_one(db, args, args.results)
        server = result["server"]
        problems += bool(
            result["errors"]
            or server["5xx"]
            or server["database_is_locked"]
            or server["server_errors"]
            or server["tracebacks"]
        )
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
