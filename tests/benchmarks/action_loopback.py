"""The case action under gunicorn and wrk, beside a bare Django view returning the same bytes.

A quick loopback check of the hot path (`make bench` is the full table): a throwaway database
(SQLite, or PostgreSQL with --pg), the Guillain-Barré case, learners each with an attempt
already past its first step, and a session and CSRF cookie per learner. wrk posts the work-up's
actions to the attempts in turn as htmx does (HX-Request, the page's seq), so every post is
recorded. The bare view is a Django app with no middleware and no database serving the bytes
one such post answered. Rounds alternate between the two; the medians and their ratio are
printed with the server's CPU time per request (gunicorn's user + system time over requests).

    .venv/bin/python tests/benchmarks/action_loopback.py [--pg URL] [--rounds 3] [--seconds 8]
    [--tree DIR]   (the code to serve; default this checkout: compare with an older one)
"""

import argparse
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent
ACTIONS = [  # the Guillain-Barré work-up in the emergency department, after FVC
    "hx-onset", "hx-infection", "hx-breathing", "hx-back-pain", "hx-sphincters", "exam-power",
    "exam-reflexes", "exam-sensation", "exam-cranial", "exam-vitals", "mip-mep", "ck",
]  # fmt: skip

SETUP = """
import json, secrets
from importlib import import_module
from django.conf import settings
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
SessionStore = import_module(settings.SESSION_ENGINE).SessionStore
from cases.models import Case
from cases import services
from edu.accounts.models import Role, User
case = Case.objects.get(slug="gbs-ascending")
rows = []
for i in range({n}):
    user = User.objects.create_user(f"bench-{{i:04d}}", password=None, role=Role.LEARNER)
    attempt = services.start_attempt(user=user, case=case, mode="training")
    services.record_event(attempt=attempt, user=user, event={{"type": "take_action",
        "action": "fvc"}}, expected_seq=0)
    session = SessionStore()
    session[SESSION_KEY] = str(user.pk)
    session[BACKEND_SESSION_KEY] = settings.AUTHENTICATION_BACKENDS[-1]
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    session.create()
    rows.append([attempt.pk, session.session_key, secrets.token_hex(16)])
json.dump(rows, open({out!r}, "w"))
"""

LUA = r"""
local rows, actions = {}, {}
local counter = 0
function setup(thread) thread:set("tid", counter); counter = counter + 1 end
function init(args)
  for line in io.lines(os.getenv("BENCH_ROWS")) do
    local id, sid, csrf = line:match("(%d+) (%S+) (%S+)")
    if (tonumber(id) % 2) == tid then rows[#rows + 1] = {id = id, sid = sid, csrf = csrf, n = 0} end
  end
  for a in os.getenv("BENCH_ACTIONS"):gmatch("%S+") do actions[#actions + 1] = a end
  i = 0
end
function request()
  i = i % #rows + 1
  local r = rows[i]
  r.n = r.n + 1
  local action = actions[(r.n - 1) % #actions + 1]
  local body = "csrfmiddlewaretoken=" .. r.csrf .. "&seq=" .. r.n .. "&action=" .. action
  return wrk.format("POST", "/cases/attempts/" .. r.id .. "/act/", {
    ["Content-Type"] = "application/x-www-form-urlencoded",
    ["Cookie"] = "sessionid=" .. r.sid .. "; csrftoken=" .. r.csrf,
    ["HX-Request"] = "true",
  }, body)
end
"""

PROFILE = """
import cProfile, io, pstats, time
from django.core.handlers.wsgi import WSGIHandler
handler = WSGIHandler()
rows = [line.split() for line in open({rows!r})]
actions = {actions!r}
def post(attempt, sid, csrf, seq, action):
    body = f"csrfmiddlewaretoken={{csrf}}&seq={{seq}}&action={{action}}".encode()
    environ = {{
        "REQUEST_METHOD": "POST", "PATH_INFO": f"/cases/attempts/{{attempt}}/act/",
        "SERVER_NAME": "127.0.0.1", "SERVER_PORT": "8310", "HTTP_HOST": "127.0.0.1:8310",
        "wsgi.url_scheme": "http", "wsgi.input": io.BytesIO(body), "CONTENT_LENGTH": str(len(body)),
        "CONTENT_TYPE": "application/x-www-form-urlencoded", "HTTP_HX_REQUEST": "true",
        "HTTP_COOKIE": f"sessionid={{sid}}; csrftoken={{csrf}}", "wsgi.errors": io.StringIO(),
    }}
    status = []
    b"".join(handler(environ, lambda s, h, *a: status.append(s)))
    assert status[0].startswith("200"), status
samples = []
profile = cProfile.Profile(time.thread_time)
for n, action in enumerate(actions, start=1):
    for i, (attempt, sid, csrf) in enumerate(rows):
        started = time.thread_time()
        if i >= 20 and {top}:
            profile.enable()
        post(attempt, sid, csrf, n, action)
        profile.disable()
        if i >= 20:
            samples.append((time.thread_time() - started) * 1000)
samples.sort()
print(f"in-process WSGI, {{len(samples)}} posts: median {{samples[len(samples) // 2]:.2f}} ms CPU")
if {top}:
    pstats.Stats(profile).sort_stats("cumulative").print_stats({top})
"""

BARE = """
from pathlib import Path
from django.http import HttpResponse
from django.urls import path
SECRET_KEY = "bare-view-only"
DEBUG = False
ALLOWED_HOSTS = ["*"]
ROOT_URLCONF = __name__
MIDDLEWARE = []
INSTALLED_APPS = []
DATABASES = {}
BODY = Path(__file__).with_name("body.bin").read_bytes()
def same_bytes(request):
    return HttpResponse(BODY)
urlpatterns = [path("bare/", same_bytes)]
"""


def run(cmd, env, cwd, **kw):
    return subprocess.run(cmd, env=env, cwd=cwd, check=True, **kw)


def start(bind: str, env: dict, cwd: Path, app: str) -> subprocess.Popen:
    server = subprocess.Popen(
        [str(BIN / "gunicorn"), app, "-w", "2", "-b", bind, "--access-logfile", "-"],
        env=env,
        cwd=cwd,
        stdout=subprocess.DEVNULL,
        stderr=open(cwd / f"gunicorn-{bind.rsplit(':', 1)[1]}.log", "w"),  # noqa: SIM115
        start_new_session=True,
    )
    for _ in range(100):
        try:
            urllib.request.urlopen(f"http://{bind}/", timeout=1)
            return server
        except urllib.error.HTTPError:
            return server
        except OSError:
            time.sleep(0.2)
    raise RuntimeError(f"gunicorn on {bind} did not answer")


def cpu_seconds(server: subprocess.Popen) -> float:
    """User + system CPU of gunicorn's master and workers, from /proc."""
    total = 0.0
    pids = [server.pid] + [
        int(p) for p in subprocess.run(
            ["pgrep", "-P", str(server.pid)], capture_output=True, text=True
        ).stdout.split()
    ]  # fmt: skip
    for pid in pids:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        total += (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    return total


def wrk(url: str, seconds: int, env: dict, script: Path | None) -> tuple[float, int, str]:
    cmd = ["wrk", "-t2", "-c16", f"-d{seconds}s", "--latency"]
    if script:
        cmd += ["-s", str(script)]
    out = subprocess.run([*cmd, url], env=env, capture_output=True, text=True, check=True).stdout
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    total = int(re.search(r"(\d+) requests in", out).group(1))
    bad = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    errors = re.search(r"Socket errors: (.*)", out)
    problems = (f"non-2xx {bad.group(1)} " if bad else "") + (errors.group(1) if errors else "")
    return rps, total, problems


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--pg", help="PostgreSQL server URL; a throwaway database is made on it")
    parser.add_argument("--tree", type=Path, default=ROOT)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--seconds", type=int, default=8)
    parser.add_argument("--port", type=int, default=8310)
    parser.add_argument("--learners", type=int, default=1500)
    parser.add_argument(
        "--profile", type=int, help="time posts in process instead (0), or profile: top N lines"
    )
    parser.add_argument("--redis", help="REDIS_URL for cache and sessions (e.g. redis://…/3)")
    args = parser.parse_args()

    work = Path(tempfile.mkdtemp(prefix="action-loopback-"))
    tree = args.tree.resolve()
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "tests.load.settings",
        "DJANGO_SECRET_KEY": "loopback-" + "x" * 60,
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1",
        "DJANGO_SECURE_SSL_REDIRECT": "0",
        "LOAD_STATIC_ROOT": str(work / "static"),
        "LOAD_ORIGIN": f"http://127.0.0.1:{args.port}",
        "SQLITE_PATH": str(work / "db.sqlite3"),
        "PYTHONPATH": str(tree),
    }
    if args.redis:
        env["REDIS_URL"] = args.redis
    db_name = f"edu_hotpath_loopback_{os.getpid()}"
    if args.pg:
        run(["psql", args.pg, "-qc", f"CREATE DATABASE {db_name}"], env, tree)
        env["DATABASE_URL"] = f"{args.pg.rstrip('/')}/{db_name}"
    servers = []
    try:
        python = str(BIN / "python")
        for command in (["migrate", "-v0"], ["collectstatic", "--noinput", "-v0"]):
            run([python, "manage.py", *command], env, tree)
        run([python, "manage.py", "load_content"], env, tree, stdout=subprocess.DEVNULL)
        rows_json = work / "rows.json"
        code = SETUP.format(n=args.learners, out=str(rows_json))
        run([python, "manage.py", "shell", "-c", code], env, tree)
        import json

        rows = json.loads(rows_json.read_text())
        (work / "rows.txt").write_text("".join(f"{a} {s} {c}\n" for a, s, c in rows))
        (work / "action.lua").write_text(LUA)
        if args.profile is not None:
            code = PROFILE.format(
                rows=str(work / "rows.txt"), actions=ACTIONS[:4], top=args.profile
            )
            run([python, "manage.py", "shell", "-c", code], env, tree)
            return
        app_bind, bare_bind = f"127.0.0.1:{args.port}", f"127.0.0.1:{args.port + 1}"
        servers.append(app := start(app_bind, env, tree, "edu.wsgi"))

        # One post as wrk will send it, to take the bytes the bare view must return.
        attempt, sid, csrf = rows[-1]
        request = urllib.request.Request(
            f"http://{app_bind}/cases/attempts/{attempt}/act/",
            data=f"csrfmiddlewaretoken={csrf}&seq=1&action=hx-onset".encode(),
            headers={"Cookie": f"sessionid={sid}; csrftoken={csrf}", "HX-Request": "true"},
        )
        body = urllib.request.urlopen(request).read()  # noqa: S310 - our own loopback http
        assert b"climbed from the ankles" in body, body[:500]
        rows = rows[:-1]  # that attempt has moved on; each round takes its own share of the rest
        share = len(rows) // args.rounds
        bare_dir = work / "bare"
        bare_dir.mkdir()
        (bare_dir / "bare_settings.py").write_text(BARE)
        (bare_dir / "body.bin").write_bytes(body)
        (bare_dir / "bare_wsgi.py").write_text(
            "import os\nos.environ['DJANGO_SETTINGS_MODULE'] = 'bare_settings'\n"
            "from django.core.wsgi import get_wsgi_application\n"
            "application = get_wsgi_application()\n"
        )
        bare_env = {**os.environ, "PYTHONPATH": str(bare_dir)}
        servers.append(bare := start(bare_bind, bare_env, bare_dir, "bare_wsgi"))

        wrk_env = {
            **os.environ,
            "BENCH_ROWS": str(work / "rows.txt"),
            "BENCH_ACTIONS": " ".join(ACTIONS[1:]),
        }
        results = {"action": [], "bare": []}
        posted = 0
        for round_ in range(args.rounds):
            mine = rows[round_ * share : (round_ + 1) * share]
            (work / "rows.txt").write_text("".join(f"{a} {s} {c}\n" for a, s, c in mine))
            for name, server, url, script in (
                ("action", app, f"http://{app_bind}", work / "action.lua"),
                ("bare", bare, f"http://{bare_bind}/bare/", None),
            ):
                before = cpu_seconds(server)
                rps, total, problems = wrk(url, args.seconds, wrk_env, script)
                cpu_ms = (cpu_seconds(server) - before) / total * 1000
                if name == "action":
                    posted += total
                results[name].append((rps, cpu_ms, problems))
                print(f"  {name:6s} {rps:8.1f} req/s  {cpu_ms:6.2f} ms CPU/request {problems}")
                if name == "action" and total > share * (len(ACTIONS) - 1):
                    problems += " (more posts than steps: raise --learners)"

        def median(values):
            return sorted(values)[len(values) // 2]

        action_rps = median([r for r, _, _ in results["action"]])
        bare_rps = median([r for r, _, _ in results["bare"]])
        print(
            f"\n{'PostgreSQL' if args.pg else 'SQLite'}, {len(body)} bytes, {args.rounds} rounds "
            f"of {args.seconds} s, medians: action {action_rps:.1f} req/s "
            f"({median([c for _, c, _ in results['action']]):.2f} ms CPU), bare {bare_rps:.1f} "
            f"req/s ({median([c for _, c, _ in results['bare']]):.2f} ms CPU), "
            f"ratio {action_rps / bare_rps:.3f}"
        )
        # Every post answered was recorded once: the learners' first steps, the sample, wrk's.
        count = "from cases.models import AttemptEvent; print(AttemptEvent.objects.count())"
        stored = run([python, "manage.py", "shell", "-c", count], env, tree,
                     capture_output=True, text=True).stdout.strip()  # fmt: skip
        expected = args.learners + 1 + posted
        print(f"events stored {stored}, expected {expected} (wrk may cut a few in flight)")
    finally:
        for server in servers:
            os.killpg(server.pid, signal.SIGTERM)
            server.wait(timeout=20)
        if args.pg:
            run(["psql", args.pg, "-qc", f"DROP DATABASE IF EXISTS {db_name}"], env, tree)
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
