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
import random
import re
import resource
import secrets
import shutil
import signal
import string
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from deploy.cluster import (  # noqa: E402 (the project root is on the path only now)
    Cluster,
    create_pg_database,
    drop_pg_database,
    flush_redis,
    manage,
    start_gunicorn,
    stop,
)
from tests.load import ledger  # noqa: E402

BIN = Path(sys.executable).parent
PASSWORD = "load-test-motor-unit"
PG_SERVER = os.environ.get("LOAD_PG_SERVER", "postgresql://postgres@127.0.0.1:5432")
REDIS_URL = os.environ.get("LOAD_REDIS_URL", "redis://127.0.0.1:6379/2")
ERROR_LINE = re.compile(r"(Error|Exception|locked|Forbidden|Bad Request|Not Found)\b")

CREATE_ACCOUNTS = """
from django.contrib.auth.hashers import make_password
from edu.accounts.models import Role, User
# One Argon2 hash of the shared password for every account (not a hash each: that is minutes on
# a busy machine); signing in still verifies it with Argon2, as for any learner.
hashed = make_password({pw!r})
for i in range({n}):
    User.objects.get_or_create(
        username="load-learner-%02d" % i, defaults={{"role": Role.LEARNER, "password": hashed}}
    )
print("accounts ready: {n}")
"""


def log(message: str) -> None:
    print(f"[load] {message}", flush=True)


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
    path = re.sub(r"^/quizzes/attempts/\d+/\d+/", "/quizzes/attempts/[id]/[n]/", path)
    path = re.sub(r"^/quizzes/attempts/\d+/", "/quizzes/attempts/[id]/", path)
    path = re.sub(r"^/quizzes/(?!attempts/)[\w-]+/start/$", "/quizzes/[slug]/start/", path)
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


def server_log_findings(access_logs: list[Path], error_logs: list[Path]) -> dict:
    """5xx by request line from the access logs; tracebacks and lock errors from gunicorn's."""
    status_5xx: Counter = Counter()
    status_4xx: Counter = Counter()
    server_ms: dict[str, list[float]] = {}
    line_re = re.compile(r'"(\w+) (\S+) [^"]*" (\d{3}) \S+ (\d+)')
    lines = [ln for p in access_logs for ln in p.read_text(errors="replace").splitlines()]
    for line in lines:
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
    text = "\n".join(p.read_text(errors="replace") for p in error_logs)
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


def stored_rows(env: dict) -> dict:
    """Every stored case event and quiz answer of the load-test learners, from the database."""
    out = subprocess.run(
        [sys.executable, "manage.py", "shell", "-c", ledger.STORED_ROWS_SCRIPT],
        cwd=ROOT,
        env=env,
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    line = next(ln for ln in out.splitlines() if ln.startswith("STORED "))
    return json.loads(line[len("STORED ") :])


def ramp_errors(journal: list[dict]) -> list[dict]:
    """The failures locust saw before the measured window (its figures restart at zero)."""
    measure = next((e for e in journal if e.get("kind") == "measure"), {})
    return measure.get("ramp_errors", [])


def print_ledger(journal: list[dict], stored: dict, kills: list[tuple[float, str]]) -> bool:
    """The acknowledged-vs-stored comparison, and where each learner's clicks landed."""
    print(
        "\nfailures while the learners arrived and signed in (before the measured window): "
        + ("none" if not ramp_errors(journal) else "")
    )
    for row in ramp_errors(journal):
        print(f"  {row['count']:>5} x {row['name']}: {row['error']}")
    print("\nacknowledged vs stored (the clients' journal against the database):")
    reports = ledger.compare(journal, stored["events"], stored["answers"])
    for report in reports:
        for line in report.lines():
            print(f"  {line}")
    acked = [e for e in journal if e.get("status") == "acked"]
    unanswered = sum(1 for e in journal if e.get("status") == "unanswered")
    resent = sum(1 for e in acked if e.get("resend"))
    replays = sum(1 for e in acked if e.get("replay"))
    print(
        f"  writes that got no answer: {unanswered}; sent again and acknowledged: {resent}, "
        f"of them answered 'already recorded' or 'already answered' (the first copy had been "
        f"committed; the copy wrote nothing): {replays}"
    )
    done = Counter(e["what"] for e in journal if e.get("kind") == "done")
    learners = {e["user"] for e in journal if e.get("user")}
    finished = {
        what: len({e["user"] for e in journal if e.get("kind") == "done" and e["what"] == what})
        for what in ("case", "quiz")
    }
    print(
        f"  {len(learners)} learners wrote; cases finished {done['case']} "
        f"(by {finished['case']} learners), quizzes finished {done['quiz']} "
        f"(by {finished['quiz']} learners)"
    )
    seen = ledger.servers_seen(journal)
    servers = sorted({s for c in seen.values() for s in c})
    if any(s != "direct" for s in servers):
        both = sum(1 for c in seen.values() if len(c) > 1)
        on_both, attempts = ledger.attempts_on_both(journal)
        print(
            f"  learners whose acknowledged writes came from more than one server: {both} of "
            f"{len(seen)}; attempts written through more than one server: {on_both} of {attempts}"
        )
    for killed_at, what in kills:
        for line in ledger.after_kill(journal, killed_at).lines(what):
            print(f"  {line}")
    return all(report.ok for report in reports)


def wait_for_measured_window(journal: Path, locust: subprocess.Popen) -> float:
    """Block until the locustfile says every learner has signed in (the measured window)."""
    while locust.poll() is None:
        if journal.exists() and '"kind": "measure"' in journal.read_text():
            log("every learner has signed in: the measured window starts")
            return time.monotonic()
        time.sleep(0.5)
    return time.monotonic()


def schedule_kills(args, servers, cluster, started: float, kills: list) -> list[threading.Timer]:
    """Timers that kill a worker (--kill-worker-at) or a whole server (--kill-server-at)."""
    import psutil

    timers = []

    def kill_worker(at: float) -> None:
        workers = psutil.Process(servers[0].pid).children()
        if not workers:
            return
        # The worker that used the most CPU in the last 0.2 s is the one most likely to be in
        # the middle of a request: kill that one, so that something is in flight.
        before = {w.pid: sum(w.cpu_times()[:2]) for w in workers}
        time.sleep(0.2)
        busy = {w.pid: sum(w.cpu_times()[:2]) - before[w.pid] for w in workers}
        victim = max(workers, key=lambda w: (busy[w.pid], random.random()))
        os.kill(victim.pid, signal.SIGKILL)
        kills.append((time.time(), f"{at:.0f} s (SIGKILL worker {victim.pid})"))
        log(f"SIGKILL gunicorn worker {victim.pid} at {time.monotonic() - started:.1f} s")

    def kill_server(at: float) -> None:
        sig = signal.SIGKILL if args.kill_signal == "KILL" else signal.SIGTERM
        pids = cluster.kill_server(0, sig)
        kills.append((time.time(), f"{at:.0f} s (SIG{args.kill_signal} app1: {pids})"))
        log(f"SIG{args.kill_signal} app1 (master and workers {pids}) at {at:.0f} s")

        def report_states() -> None:
            log(f"HAProxy sees: {cluster.backend_states()}")

        threading.Timer(3, report_states).start()

    for at in args.kill_worker_at:
        timers.append(threading.Timer(at, kill_worker, args=(at,)))
    if args.kill_server_at is not None:
        at = args.kill_server_at
        timers.append(threading.Timer(at, kill_server, args=(at,)))
    for timer in timers:
        timer.daemon = True
        timer.start()
    return timers


def run_one(db: str, args: argparse.Namespace, results_dir: Path | None) -> dict:
    work = Path(tempfile.mkdtemp(prefix=f"edu-load-{db}-"))
    prefix = "edu_cluster" if args.cluster else "edu_load"
    pg_name = f"{prefix}_{secrets.token_hex(4)}" if db == "postgres" else None
    host = args.lb if args.cluster else args.bind
    servers: list[subprocess.Popen] = []
    cluster = None
    alphabet = string.ascii_letters + string.digits + "-_!@#%^*()=+"
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "tests.load.settings",
        "DJANGO_SECRET_KEY": "".join(secrets.choice(alphabet) for _ in range(60)),
        "DJANGO_ALLOWED_HOSTS": host.split(":")[0],
        "DJANGO_SECURE_SSL_REDIRECT": "0",
        "LOAD_STATIC_ROOT": str(work / "static"),
        "LOAD_ORIGIN": f"http://{host}",
        "PYTHONPATH": str(ROOT),
        "LOAD_ACCOUNTS": str(args.accounts),
        "LOAD_PASSWORD": PASSWORD,
        "LOAD_HTMX": "1" if args.htmx else "0",
        "LOAD_WAIT": args.wait,
        "LOAD_MAX_STEPS": str(args.max_steps),
        "LOAD_QUIZ": args.quiz,
        "LOAD_LESSONS": "0" if args.no_lessons else "1",
        "LOAD_JOURNAL": str(work / "journal.jsonl"),
        "LOAD_USERS": str(args.users),
        "LOAD_MEASURE_SECONDS": str(args.time),
    }
    env.pop("REDIS_URL", None)
    if args.cluster:
        env["REDIS_URL"] = REDIS_URL  # cache and sessions, shared by both servers
    if args.sqlite_transaction_mode:
        env["LOAD_SQLITE_TRANSACTION_MODE"] = args.sqlite_transaction_mode
    if db == "postgres":
        env["DATABASE_URL"] = f"{PG_SERVER}/{pg_name}"
    else:
        env.pop("DATABASE_URL", None)
        env["SQLITE_PATH"] = str(work / "load.sqlite3")
    try:
        if pg_name:
            create_pg_database(pg_name, PG_SERVER)
            log(f"created PostgreSQL database {pg_name}")
        if args.cluster:
            flush_redis(REDIS_URL)
            log(f"emptied Redis {REDIS_URL}")
        log(f"setting up in {work}")
        manage(env, "migrate", "--noinput", "-v", "0")
        manage(env, "load_content", "-v", "0")
        manage(env, "collectstatic", "--noinput", "-v", "0")
        code = CREATE_ACCOUNTS.format(n=args.accounts, pw=PASSWORD)
        manage(env, "shell", "-c", code)

        if args.cluster:
            apps = tuple(args.apps.split(","))
            cluster = Cluster(env, work, args.lb, apps, args.stats, args.workers)
            cluster.start()
            servers = cluster.servers
            names = cluster.names
        else:
            servers = [start_gunicorn(env, args.bind, args.workers, work)]
            names = ["gunicorn"]
            log(f"gunicorn up on {args.bind} with {args.workers} workers (pid {servers[0].pid})")

        env["LOAD_SUMMARY"] = str(work / "locust.json")
        command = [
            str(BIN / "locust"),
            "-f",
            str(ROOT / "tests/load/locustfile.py"),
            "--headless",
            "-u",
            str(args.users),
            "-r",
            str(args.spawn_rate or args.users),
            # The measured window starts once the last learner has signed in and lasts
            # --time seconds (the locustfile ends the run); -t is only a backstop.
            "-t",
            f"{args.time + int(args.users / (args.spawn_rate or args.users)) + 300}s",
            "--host",
            f"http://{host}",
            "--only-summary",
            # At the end, a learner's click in flight finishes (and is journalled) first.
            "--stop-timeout",
            "60",
            "--loglevel",
            "WARNING",
        ]
        log("locust: " + " ".join(command[1:]))
        kills: list[tuple[float, str]] = []
        locust = subprocess.Popen(command, cwd=ROOT, env=env, start_new_session=True)
        started = wait_for_measured_window(work / "journal.jsonl", locust)
        # CPU from the start of the measured window (the sign-in burst's hashing left out);
        # locust's own CPU is only known for the whole run (it is our child).
        cpu_server = sum(cpu_seconds(proc.pid) for proc in servers)
        cpu_children = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpu_pg = postgres_cpu_seconds() if db == "postgres" else 0.0
        timers = schedule_kills(args, servers, cluster, started, kills)
        try:
            locust.wait()
        finally:
            for timer in timers:
                timer.cancel()
            stop(locust, timeout=30)
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        alive = [proc for proc in servers if proc.poll() is None]
        cpu = {
            "gunicorn_s": round(sum(cpu_seconds(p.pid) for p in alive) - cpu_server, 1),
            "locust_s": round(
                after.ru_utime + after.ru_stime - cpu_children.ru_utime - cpu_children.ru_stime, 1
            ),
            "wall_s": args.time,
        }
        if db == "postgres":
            cpu["postgres_s"] = round(postgres_cpu_seconds() - cpu_pg, 1)
        summary = json.loads((work / "locust.json").read_text())
        # Let gunicorn finish writing before reading its logs.
        if cluster:
            cluster.stop()
        for proc in servers:
            stop(proc)
        server = server_log_findings(
            [work / f"{n}-access.log" for n in names], [work / f"{n}.log" for n in names]
        )
        shape = (
            f"HAProxy + {len(servers)} servers x {args.workers} gunicorn workers"
            if args.cluster
            else f"{args.workers} gunicorn workers"
        )
        label = f"{db}, {shape}, {args.users} users, {args.time} s, think time {args.wait} s"
        label += ", htmx" if args.htmx else ""
        if args.sqlite_transaction_mode and db == "sqlite":
            label += f", transaction_mode {args.sqlite_transaction_mode}"
        print_report(label, summary, server)
        pg_cpu = f", PostgreSQL {cpu['postgres_s']} s" if "postgres_s" in cpu else ""
        # A killed worker or server takes its CPU count with it: no figure then.
        gunicorn_cpu = "n/a (killed)" if kills else f"{cpu['gunicorn_s']} s"
        print(
            f"CPU in the measured window: gunicorn {gunicorn_cpu}{pg_cpu}; locust "
            f"{cpu['locust_s']} s over the whole run; {os.cpu_count()} cores"
        )
        journal = ledger.read_journal(work / "journal.jsonl")
        stored = stored_rows(env)
        nothing_lost = print_ledger(journal, stored, kills)
        result = {
            "db": db,
            "label": label,
            "locust_exit": locust.returncode,
            **summary,
            "server": server,
            "cpu": cpu,
            "nothing_lost": nothing_lost,
            "ramp_errors": ramp_errors(journal),
            "kills": kills,
        }
        if results_dir:
            results_dir.mkdir(parents=True, exist_ok=True)
            for path in work.glob("*.log"):
                shutil.copy(path, results_dir / f"{db}-{path.name}")
            shutil.copy(work / "journal.jsonl", results_dir / f"{db}-journal.jsonl")
            (results_dir / f"{db}.json").write_text(json.dumps(result, indent=1))
        return result
    finally:
        if cluster:
            cluster.stop()
        for proc in servers:
            stop(proc)
        if pg_name:
            try:
                drop_pg_database(pg_name, PG_SERVER)
                log(f"dropped PostgreSQL database {pg_name}")
            except Exception as error:  # noqa: BLE001
                log(f"!!! could not drop {pg_name}: {error}")
        if args.cluster:
            try:
                flush_redis(REDIS_URL)
            except Exception as error:  # noqa: BLE001
                log(f"!!! could not empty Redis {REDIS_URL}: {error}")
        if args.keep:
            log(f"kept {work}")
        else:
            shutil.rmtree(work, ignore_errors=True)


def expected_failure(row: dict) -> bool:
    """A failure a kill explains: a request that got no answer (the one in flight)."""
    return "no answer" in row["error"] or "HTTP 0" in row["error"] or "HTTP 5" in row["error"]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", choices=["sqlite", "postgres", "both"], default="both")
    parser.add_argument("--users", type=int, default=16)
    parser.add_argument("--spawn-rate", type=float, help="users started per second (all at once)")
    parser.add_argument(
        "--time", type=int, default=60, help="seconds of load, counted from the last sign-in"
    )
    parser.add_argument("--workers", type=int, default=2, help="gunicorn sync workers per server")
    parser.add_argument("--accounts", type=int, default=32)
    parser.add_argument("--bind", default="127.0.0.1:8001")
    parser.add_argument("--wait", default="0", help='think time: "0" or "min,max" seconds')
    parser.add_argument("--htmx", action="store_true", help="post actions as htmx does")
    parser.add_argument("--max-steps", type=int, default=40, help="commit after this many actions")
    parser.add_argument("--quiz", default="", help='quiz slug (default: the first), or "none"')
    parser.add_argument("--no-lessons", action="store_true", help="no lesson reading")
    parser.add_argument(
        "--kill-worker-at",
        type=float,
        action="append",
        default=[],
        metavar="S",
        help="SIGKILL one gunicorn worker S seconds into the measured window (repeatable)",
    )
    parser.add_argument(
        "--cluster",
        action="store_true",
        help="two gunicorn servers behind HAProxy, PostgreSQL and Redis (deploy/haproxy.cfg)",
    )
    parser.add_argument("--lb", default="127.0.0.1:8200", help="HAProxy's address (--cluster)")
    parser.add_argument("--apps", default="127.0.0.1:8201,127.0.0.1:8202")
    parser.add_argument("--stats", default="127.0.0.1:8299", help="HAProxy statistics page")
    parser.add_argument(
        "--kill-server-at",
        type=float,
        metavar="S",
        help="--cluster: kill app1 (master and workers) S seconds into the measured window",
    )
    parser.add_argument("--kill-signal", choices=["KILL", "TERM"], default="KILL")
    parser.add_argument(
        "--sqlite-transaction-mode",
        metavar="MODE",
        help="harness self-check: override IMMEDIATE (e.g. DEFERRED, SQLite's default)",
    )
    parser.add_argument("--keep", action="store_true", help="keep the temp dir and its logs")
    parser.add_argument("--results", type=Path, help="copy logs and a JSON summary here")
    args = parser.parse_args()
    if args.cluster and args.db == "sqlite":
        parser.error("--cluster shares one PostgreSQL between the servers: use --db postgres")
    if args.kill_server_at is not None and not args.cluster:
        parser.error("--kill-server-at needs --cluster")

    dbs = ["sqlite", "postgres"] if args.db == "both" and not args.cluster else [args.db]
    if args.cluster:
        dbs = ["postgres"]
    if "postgres" in dbs and not pg_answers():
        if args.db == "postgres" or args.cluster:
            log(f"!!! no PostgreSQL answers at {PG_SERVER}")
            return 2
        log(f"!!! no PostgreSQL answers at {PG_SERVER}: PostgreSQL run SKIPPED")
        dbs.remove("postgres")

    # A Ctrl-C or a kill must still reach the finally blocks that stop gunicorn.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    signal.signal(signal.SIGINT, signal.default_int_handler)  # even as a background job
    killing = bool(args.kill_worker_at or args.kill_server_at is not None)
    problems = 0
    for db in dbs:
        result = run_one(db, args, args.results)
        server = result["server"]
        errors = [r for r in result["errors"] if not (killing and expected_failure(r))]
        errors += result["ramp_errors"]
        problems += bool(
            errors
            or not result["nothing_lost"]
            or (server["5xx"] and not killing)
            or server["database_is_locked"]
            or server["server_errors"]
            or server["tracebacks"]
        )
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
