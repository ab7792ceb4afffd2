"""`make bench`: each main page under gunicorn and wrk, beside a bare Django view of the same bytes.

For each database (SQLite; PostgreSQL too when DATABASE_URL names a server, on a throwaway
database created there and dropped afterwards): a temp dir, migrate, load_content,
collectstatic, seed through the site's services (bench/seed.py), then gunicorn (2 sync
workers, bench/settings.py: edu.settings.prod over plain http) serving bench/wsgi.py on
loopback. Each page's real answer is captured and served again by the bare view. Then, round
after round, wrk measures each page and its bare twin one after the other (the order flips
every round), so both see the same noisy machine; the table gives medians over the rounds.
Case actions are real: each is accepted, and the database's count of events is checked
against the requests. gunicorn, wrk and the throwaway database go away whatever happens.

    .venv/bin/python bench/run.py                       # 5 rounds of 8 s per page and twin
    .venv/bin/python bench/run.py --quick               # 1 round of 3 s, SQLite only
    .venv/bin/python bench/run.py --db sqlite --pages action,play --rounds 3 --duration 5
"""

from __future__ import annotations

import argparse
import concurrent.futures
import dataclasses
import datetime as dt
import http.client
import importlib.metadata
import json
import os
import platform
import secrets
import shutil
import signal
import socket
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.results import (  # noqa: E402
    Page,
    Run,
    WrkOutputError,
    expected_seqs,
    failed_run,
    parse_walk,
    parse_wrk,
    read_plan,
    replace_readme_section,
    rounds_table,
    table,
)

BIN = Path(sys.executable).parent
LUA = ROOT / "bench" / "wrk"
PAGES = {
    "lesson": "lesson page (learner)",
    "play": "case play page (learner)",
    "action": "case action, htmx post",
    "grid": "progress grid, {n} learners (instructor)",
    "analytics": "analytics overview, cohort (program admin)",
}
SESSION_OF = {"lesson": "learner", "play": "learner", "grid": "instructor", "analytics": "admin"}
GUESS_ACTIONS_PER_S = 400  # before the first action run: plan for this many (more if seen)


def log(message: str) -> None:
    print(f"[bench] {message}", flush=True)


class Server:
    """gunicorn on one database, and the calls the harness makes to it and to bench/seed.py."""

    def __init__(self, db: str, args: argparse.Namespace, work: Path, database_url: str | None):
        self.db, self.args, self.work = db, args, work
        self.host, self.port = args.bind.rsplit(":", 1)
        self.origin = f"http://{args.bind}"
        self.state_file = work / "state.json"
        self.bare_dir = work / "bare"
        self.bare_dir.mkdir()
        self.proc: subprocess.Popen | None = None
        self.env = {
            "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
            "HOME": os.environ.get("HOME", str(work)),
            "DJANGO_SETTINGS_MODULE": "bench.settings",
            "DJANGO_SECRET_KEY": secrets.token_urlsafe(60),
            "DJANGO_ALLOWED_HOSTS": self.host,
            "DJANGO_SECURE_SSL_REDIRECT": "0",
            "BENCH_STATIC_ROOT": str(work / "static"),
            "BENCH_ORIGIN": self.origin,
            "BENCH_BARE_DIR": str(self.bare_dir),
            "PYTHONPATH": str(ROOT),
        }
        if database_url:
            self.env["DATABASE_URL"] = database_url
        else:
            self.env["SQLITE_PATH"] = str(work / "bench.sqlite3")

    def python(self, *args: str, capture: bool = False) -> str:
        done = subprocess.run(
            ["nice", "-n", "5", str(BIN / "python"), *args],
            cwd=ROOT,
            env=self.env,
            check=True,
            text=True,
            stdout=subprocess.PIPE if capture else None,
        )
        return done.stdout or ""

    def seed(self, command: str, *options: str) -> dict:
        out = self.python(
            "-m", "bench.seed", command, "--state", str(self.state_file), *options, capture=True
        )
        return json.loads(out.strip().splitlines()[-1])

    def prepare(self) -> dict:
        for command in (["migrate", "--noinput"], ["load_content"], ["collectstatic", "--noinput"]):
            self.python("manage.py", *command, "-v", "0")
        log("seeding through the site's services (seed_demo, case attempts, sessions)")
        found = self.seed("setup", "--case", self.args.case, "--learners", str(self.args.learners))
        self.state = json.loads(self.state_file.read_text())
        (self.work / "steps.txt").write_text("\n".join(self.state["path"]) + "\n")
        return found

    def start(self) -> None:
        with socket.socket() as probe:
            if probe.connect_ex((self.host, int(self.port))) == 0:
                raise RuntimeError(f"something already listens on {self.args.bind}; use --bind")
        self.proc = subprocess.Popen(
            [
                str(BIN / "gunicorn"),
                "bench.wsgi",
                "--workers",
                str(self.args.workers),
                "--bind",
                self.args.bind,
                "--error-logfile",
                str(self.work / "gunicorn.log"),
                "--no-control-socket",
            ],
            cwd=ROOT,
            env=self.env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
        )
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"gunicorn exited with {self.proc.returncode}; see its log")
            try:
                status, _ = self.request("GET", "/")
                if status < 500:
                    return
            except OSError:
                pass
            time.sleep(0.3)
        raise RuntimeError("gunicorn did not answer within 60 s")

    def stop(self) -> None:
        stop_group(self.proc)
        self.proc = None

    def cpu_seconds(self) -> float:
        """User + system CPU so far of gunicorn's master and workers: every process in the
        group it was started in (read from /proc, Linux, as wrk's Debian package is)."""
        ticks = os.sysconf("SC_CLK_TCK")
        total = 0
        for stat in Path("/proc").glob("[0-9]*/stat"):
            try:
                fields = stat.read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue  # the process ended meanwhile
            # fields[0] is the state (field 3 of stat): pgrp is field 5, utime/stime 14 and 15.
            if int(fields[2]) == self.proc.pid:
                total += int(fields[11]) + int(fields[12])
        return total / ticks

    def drain(self) -> None:
        """Wait until gunicorn has answered the requests wrk left queued when it stopped (as
        many as there were connections; on a slow page that is seconds of work), so the next
        run starts on an idle server: one bare request per worker, all at once, answered only
        once each worker has worked through the queue ahead of it."""
        with concurrent.futures.ThreadPoolExecutor(self.args.workers) as pool:
            for status, _ in pool.map(
                lambda _: self.request("GET", bare_path("idle"), timeout=120),
                range(self.args.workers),
            ):
                if status != 204:
                    raise RuntimeError(f"the bare view answered {status} while draining")

    def cookie(self, session: str) -> str:
        return f"sessionid={session}; csrftoken={self.state['csrf']}"

    def request(self, method: str, path: str, headers=None, body: str | None = None, timeout=30):
        connection = http.client.HTTPConnection(self.host, int(self.port), timeout=timeout)
        try:
            connection.request(method, path, body=body, headers=headers or {})
            response = connection.getresponse()
            return response.status, response.read()
        finally:
            connection.close()

    def capture(self, name: str) -> bytes:
        """The real answer of page `name`, saved for the bare view; the bare view must then
        answer with exactly these bytes."""
        if name == "action":
            capture = self.state["capture"]
            headers = self.action_headers(self.state["sessions"]["capture"], capture["play_url"])
            body = (
                f"csrfmiddlewaretoken={self.state['csrf']}&seq={capture['seq']}&{capture['field']}"
            )
            status, content = self.request("POST", capture["url"], headers, body)
            after = self.seed("count")["capture_seq"]
            if after != capture["seq"] + 1:
                raise RuntimeError(f"the captured action was not accepted (seq {after})")
        else:
            headers = {"Cookie": self.cookie(self.state["sessions"][SESSION_OF[name]])}
            status, content = self.request("GET", self.state["urls"][name], headers)
        if status != 200:
            raise RuntimeError(f"{name}: HTTP {status} while capturing its body")
        (self.bare_dir / f"{name}.html").write_bytes(content)
        bare_status, bare = self.request("POST" if name == "action" else "GET", bare_path(name))
        if bare_status != 200 or bare != content:
            raise RuntimeError(f"{name}: the bare view does not answer the captured bytes")
        return content

    def action_headers(self, session: str, play_url: str) -> dict:
        return {
            "Cookie": self.cookie(session),
            "Content-Type": "application/x-www-form-urlencoded",
            "X-CSRFToken": self.state["csrf"],
            "HX-Request": "true",
            "HX-Current-URL": self.origin + play_url,
            "HX-Target": "play-area",
            "Origin": self.origin,
            "Referer": self.origin + play_url,
        }


def bare_path(name: str) -> str:
    return f"/__bare__/{name}/"


def stop_group(proc: subprocess.Popen | None) -> None:
    """Stop a process this harness started, and its children, by its own process group."""
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


def wrk(server: Server, name: str, bare: bool, seconds: float, plan: Path | None) -> Run:
    """One wrk run: one connection per wrk thread, so each connection's requests are in order."""
    args = server.args
    env = {
        **os.environ,
        "BENCH_LUA_DIR": str(LUA),
        "BENCH_CSRF": server.state["csrf"],
        "BENCH_ORIGIN": server.origin,
    }
    if name == "action":
        script = LUA / "action.lua"
        url = server.origin + "/"
        env.update(
            BENCH_PLAN=str(plan),
            BENCH_STEPS=str(server.work / "steps.txt"),
            BENCH_BARE_PATH=bare_path(name) if bare else "",
        )
    else:
        script = LUA / "page.lua"
        url = server.origin + (bare_path(name) if bare else server.state["urls"][name])
        env["BENCH_COOKIE"] = server.cookie(server.state["sessions"][SESSION_OF[name]])
    command = [
        "wrk",
        f"--threads={args.connections}",
        f"--connections={args.connections}",
        f"--duration={max(1, round(seconds))}s",
        "--timeout=30s",  # the grid on a loaded machine: a slow answer is a figure, not an error
        f"--script={script}",
        url,
    ]
    cpu = server.cpu_seconds()
    proc = subprocess.Popen(
        command,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        start_new_session=True,
    )
    try:
        out, _ = proc.communicate(timeout=seconds + 60)
    finally:
        stop_group(proc)
    server_cpu = server.cpu_seconds() - cpu
    server.last_walk = parse_walk(out)
    server.drain()
    time.sleep(args.pause)
    try:
        if proc.returncode:
            raise WrkOutputError(f"wrk exited with {proc.returncode}")
        return parse_wrk(out, server_cpu_s=server_cpu)
    except WrkOutputError as error:
        # Reported in the table's checks and left out of the medians; the other runs go on.
        reason = str(error).splitlines()[0]
        log(f"!!! {name}{' (bare)' if bare else ''}: {reason}; wrk printed: {out[-500:]!r}")
        return failed_run(reason)


def bench_database(db: str, args: argparse.Namespace, database_url: str | None) -> dict:
    work = Path(tempfile.mkdtemp(prefix=f"edu-bench-{db}-"))
    server = Server(db, args, work, database_url)
    try:
        log(f"{db}: setting up in {work}")
        found = server.prepare()
        log(
            f"{db}: seeded ({found['grid_learners']} learners in the grid cohort, "
            f"case path of {found['path']} actions)"
        )
        server.start()
        log(
            f"{db}: gunicorn up on {args.bind}, {args.workers} sync workers (pid {server.proc.pid})"
        )
        pages = []
        for name in args.pages:
            title = PAGES[name].format(n=server.state["grid_learners"])
            page = Page(name=name, title=title)
            if name == "action":
                server.plan = work / "plan.txt"
                actions = GUESS_ACTIONS_PER_S * 1.5 * args.warmup
                server.events = plan_actions(server, actions)["events"]
            page.body_bytes = len(server.capture(name))
            pages.append(page)
        log(f"{db}: warming up ({args.warmup:.0f} s per page and twin)")
        for page in pages:
            for bare in (False, True):
                run = wrk(server, page.name, bare, args.warmup, getattr(server, "plan", None))
                if page.name == "action" and not bare:
                    check_actions(server, page, run, warmup=True)
        for round_no in range(1, args.rounds + 1):
            for page in pages:
                order = (False, True) if round_no % 2 else (True, False)
                for bare in order:
                    if page.name == "action" and not bare:
                        expected = max([GUESS_ACTIONS_PER_S, *(r.rps for r in page.real)])
                        server.events = plan_actions(server, expected * 1.5 * args.duration)[
                            "events"
                        ]
                    run = wrk(server, page.name, bare, args.duration, getattr(server, "plan", None))
                    (page.bare if bare else page.real).append(run)
                    if page.name == "action" and not bare:
                        check_actions(server, page, run)
                real, twin = page.real[-1], page.bare[-1]
                ratio = real.rps / twin.rps if twin.rps else 0.0
                log(
                    f"{db} round {round_no}/{args.rounds} {page.name:<9} {real.rps:8.1f} req/s "
                    f"(bare {twin.rps:8.1f}) ratio {ratio:.3f}"
                )
        if "action" in args.pages:
            final = server.seed("count")
            if final["attempts_with_gaps"]:
                pages[args.pages.index("action")].problems.append(
                    f"{final['attempts_with_gaps']} attempts whose events have a gap"
                )
        for page in pages:
            failed = [run.failed for run in page.real + page.bare if run.failed]
            if failed:
                page.problems.append(f"{len(failed)} runs without figures ({failed[0]})")
            if page.non_2xx:
                page.problems.append(f"{page.non_2xx} non-2xx")
            if page.socket_errors:
                page.problems.append(f"{page.socket_errors} socket errors")
        server.stop()
        log_text = (work / "gunicorn.log").read_text(errors="replace")
        tracebacks = log_text.count("Traceback (most recent call last)")
        return {
            "db": db,
            "pages": pages,
            "server_version": database_version(db, database_url),
            "tracebacks": tracebacks,
            "log_tail": log_text[-3000:] if tracebacks else "",
        }
    finally:
        server.stop()
        if args.keep:
            log(f"kept {work}")
        else:
            shutil.rmtree(work, ignore_errors=True)


def plan_actions(server: Server, actions: float) -> dict:
    found = server.seed(
        "plan",
        "--actions",
        str(int(actions) + 1),
        "--connections",
        str(server.args.connections),
        "--plan",
        str(server.plan),
    )
    if server.args.self_check_stale:
        # Harness self-check: a page one step ahead of its attempt posts a seq the site refuses
        # (an answer of 200 with a message, nothing stored); the checks must say so.
        last = len(server.state["path"]) - 1
        lines = []
        for line in server.plan.read_text().splitlines():
            connection, attempt, seq, session = line.split()
            lines.append(f"{connection} {attempt} {min(int(seq) + 1, last)} {session}")
        server.plan.write_text("\n".join(lines) + "\n")
    return found


def check_actions(server: Server, page: Page, run: Run, warmup: bool = False) -> None:
    """Every 2xx answer to a case action must be an accepted action, stored once: each walked
    attempt must stand exactly where its answers say (one further where a request was still
    in flight when wrk stopped: gunicorn serves it, wrk never reads the answer), and the
    events stored must number the answers plus at most those in flight."""
    label = "warm-up" if warmup else f"round {len(page.real)}"
    expected = expected_seqs(read_plan(server.plan.read_text()), server.last_walk)
    file = server.work / "expected.txt"
    file.write_text(
        "".join(f"{pk} {seq} {int(inflight)}\n" for pk, (seq, inflight) in expected.items())
    )
    verified = server.seed("verify", "--expected", str(file))
    stored, server.events = verified["events"] - server.events, verified["events"]
    inflight = sum(flag for _, flag in expected.values())
    if run.exhausted:
        page.problems.append(f"{label}: the plan ran out of attempts ({run.exhausted} stale posts)")
    if verified["wrong"]:
        page.problems.append(
            f"{label}: {verified['wrong']} attempts not where the answers say, e.g. "
            + "; ".join(verified["examples"][:2])
        )
    if not run.requests <= stored <= run.requests + inflight:
        page.problems.append(
            f"{label}: {run.requests} answers but {stored} events stored "
            f"({inflight} requests in flight)"
        )
    log(
        f"  actions ({label}): {run.requests} answers, {stored} events stored, {inflight} in "
        f"flight at the end; {verified['attempts'] - verified['wrong']} of "
        f"{verified['attempts']} attempts where the answers say"
    )


def database_version(db: str, database_url: str | None) -> str:
    if db == "sqlite":
        return f"SQLite {sqlite3.sqlite_version}"
    import psycopg

    with psycopg.connect(database_url, connect_timeout=5) as connection:
        return "PostgreSQL " + connection.execute("SHOW server_version").fetchone()[0]


class ThrowawayPostgres:
    """A database of its own on the server DATABASE_URL names, dropped afterwards."""

    def __init__(self, server_url: str):
        parts = urlsplit(server_url)
        self.name = f"edu_bench_{secrets.token_hex(4)}"
        self.admin_url = server_url
        self.url = urlunsplit(parts._replace(path=f"/{self.name}"))

    def __enter__(self) -> str:
        import psycopg

        with psycopg.connect(self.admin_url, autocommit=True, connect_timeout=5) as connection:
            connection.execute(f'CREATE DATABASE "{self.name}"')
        log(f"created PostgreSQL database {self.name}")
        return self.url

    def __exit__(self, *exc) -> None:
        import psycopg

        try:
            with psycopg.connect(self.admin_url, autocommit=True, connect_timeout=5) as connection:
                connection.execute(f'DROP DATABASE IF EXISTS "{self.name}" WITH (FORCE)')
            log(f"dropped PostgreSQL database {self.name}")
        except Exception as error:  # noqa: BLE001 - say so, and let the real error through
            log(f"!!! could not drop {self.name}: {error}")


def machine() -> dict:
    model = "unknown CPU"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    wrk_version = subprocess.run(["wrk", "-v"], capture_output=True, text=True).stdout
    return {
        "cores": os.cpu_count(),
        "cpu": model,
        "python": platform.python_version(),
        "django": importlib.metadata.version("django"),
        "gunicorn": importlib.metadata.version("gunicorn"),
        "wrk": wrk_version.split("[")[0].replace("wrk", "").strip() or "unknown",
        "os": platform.platform(terse=True),
    }


def report(results: list[dict], args: argparse.Namespace, info: dict, load: tuple) -> str:
    now = dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M UTC")
    head = [
        f"# make bench, {now}",
        "",
        f"Machine: {info['cores']} cores, {info['cpu']}; {info['os']}; Python {info['python']}, "
        f"Django {info['django']}, gunicorn {info['gunicorn']} ({args.workers} sync workers), "
        f"wrk {info['wrk']} ({args.connections} connections, one per thread).",
        f"Command: `{' '.join(['bench/run.py', *sys.argv[1:]])}`: {args.rounds} rounds of "
        f"{args.duration:g} s per page and per bare twin, alternating, after {args.warmup:g} s "
        "of warm-up each; figures are medians over the rounds.",
        f"Load average (1 min) before and after: {load[0]:.1f}, {load[1]:.1f}: other work shares "
        "these cores, so absolute figures are noisy; the ratios, measured in one run, are what "
        "count.",
        "",
        "The bare twin is `bench/bare.py`: the captured body of the real answer, served by "
        "Django's WSGI handler with no middleware and its own URLconf, in the same gunicorn "
        "workers. Ratio = median real req/s ÷ median bare req/s (per-round ratios in brackets). "
        "Server CPU is gunicorn's (master and workers) over the run, per request; CPU ratio = "
        "bare ÷ real CPU per request, the ratio with the cores to gunicorn alone, steadier "
        "than req/s when other work shares them. Body: the "
        "captured answer; answer: wrk's bytes read per answer, headers included (a case "
        "action's answer differs from step to step; the bare twin always sends the captured "
        "one).",
    ]
    body = []
    for result in results:
        body += ["", f"## {result['server_version']}", "", table(result["pages"])]
        if result["tracebacks"]:
            body += [
                "",
                f"**{result['tracebacks']} tracebacks in gunicorn's log:**",
                "",
                "```",
                result["log_tail"],
                "```",
            ]
    body += ["", "## Every round", ""]
    for result in results:
        body += [f"### {result['server_version']}", "", rounds_table(result["pages"]), ""]
    return "\n".join(head + body) + "\n"


def readme_section(results: list[dict], args: argparse.Namespace, info: dict, load: tuple) -> str:
    now = dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M UTC")
    lines = [
        f"Latest `make bench` ({now}; {info['cores']} cores, {info['cpu']}, Python "
        f"{info['python']}, Django {info['django']}, gunicorn {info['gunicorn']} with "
        f"{args.workers} sync workers, wrk {info['wrk']} at {args.connections} connections; "
        f"{args.rounds} interleaved rounds of {args.duration:g} s, medians; load average "
        f"{load[0]:.0f} before, {load[1]:.0f} after, on {info['cores']} cores: compare ratios, "
        f"not req/s). Command: `bench/run.py {' '.join(sys.argv[1:])}`.",
    ]
    for result in results:
        lines += ["", f"**{result['server_version']}**", "", table(result["pages"])]
    return "\n".join(lines)


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--duration", type=float, default=8, help="seconds per wrk run")
    parser.add_argument("--warmup", type=float, default=2, help="seconds of warm-up per page")
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--workers", type=int, default=2, help="gunicorn sync workers")
    parser.add_argument(
        "--db",
        default=None,
        help="sqlite, postgres or sqlite,postgres (default: sqlite, and postgres when "
        "DATABASE_URL is set)",
    )
    parser.add_argument("--pages", default=",".join(PAGES), help=f"some of {','.join(PAGES)}")
    parser.add_argument("--case", default="gbs-ascending", help="the case played and acted on")
    parser.add_argument("--learners", type=int, default=300, help="learners in the grid cohort")
    parser.add_argument("--bind", default="127.0.0.1:8101")
    parser.add_argument(
        "--pause", type=float, default=1.0, help="seconds between wrk runs, once gunicorn is idle"
    )
    parser.add_argument("--quick", action="store_true", help="1 round of 3 s, 1 s warm-up")
    parser.add_argument("--results", type=Path, default=ROOT / "bench" / "results")
    parser.add_argument("--readme", action="store_true", help="put the table in README.md")
    parser.add_argument("--keep", action="store_true", help="keep the temp dirs")
    parser.add_argument(
        "--self-check-stale",
        action="store_true",
        help="harness self-check: post every action with a stale seq; the checks must fail",
    )
    args = parser.parse_args(argv)
    if args.quick:
        args.rounds, args.duration, args.warmup = 1, 3.0, 1.0
    args.pages = [p.strip() for p in args.pages.split(",") if p.strip()]
    unknown = set(args.pages) - set(PAGES)
    if unknown:
        parser.error(f"unknown pages: {', '.join(sorted(unknown))}")
    if args.db is None:
        args.db = "sqlite,postgres" if os.environ.get("DATABASE_URL") else "sqlite"
    args.dbs = [d.strip() for d in args.db.split(",") if d.strip()]
    if set(args.dbs) - {"sqlite", "postgres"}:
        parser.error("--db takes sqlite, postgres or both")
    if "postgres" in args.dbs and not os.environ.get("DATABASE_URL", "").startswith("postgres"):
        parser.error("--db postgres needs DATABASE_URL=postgresql://user@host:port/dbname")
    return args


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    if shutil.which("wrk") is None:
        log("!!! wrk is not installed (Debian: apt-get install wrk)")
        return 2
    # A kill, a closed terminal or Ctrl-C must still reach the finally blocks that stop
    # gunicorn and wrk and drop the database (also when started with SIGINT ignored, as a
    # shell's background job is).
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    signal.signal(signal.SIGHUP, lambda *_: sys.exit(129))
    signal.signal(signal.SIGINT, signal.default_int_handler)
    info, load_before = machine(), os.getloadavg()[0]
    results, failures = [], []
    for db in args.dbs:
        try:
            if db == "postgres":
                with ThrowawayPostgres(os.environ["DATABASE_URL"]) as url:
                    results.append(bench_database(db, args, url))
            else:
                results.append(bench_database(db, args, None))
        except Exception as error:  # noqa: BLE001 - report the others; this run still fails
            # Report what the other database measured; this one failed, and the run with it.
            log(f"!!! {db}: {error}")
            failures.append(db)
    if not results:
        return 1
    load = (load_before, os.getloadavg()[0])
    text = report(results, args, info, load)
    args.results.mkdir(parents=True, exist_ok=True)
    stamp = dt.datetime.now(dt.UTC).strftime("%Y%m%d-%H%M%S")
    out = args.results / f"bench-{stamp}-{'-'.join(args.dbs)}.md"
    out.write_text(text)
    raw = [
        {"db": r["server_version"], "pages": [dataclasses.asdict(p) for p in r["pages"]]}
        for r in results
    ]
    out.with_suffix(".json").write_text(json.dumps(raw, indent=1))
    print("\n" + text)
    log(f"report written to {out}")
    if args.readme:
        readme = ROOT / "README.md"
        readme.write_text(
            replace_readme_section(readme.read_text(), readme_section(results, args, info, load))
        )
        log("README.md: Benchmarks section updated")
    failed = (
        bool(failures)
        or any(p.problems for r in results for p in r["pages"])
        or any(r["tracebacks"] for r in results)
    )
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
