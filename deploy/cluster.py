"""Two gunicorn app servers behind HAProxy on this machine: the production shape, run for real.

    .venv/bin/python deploy/cluster.py            # or: make cluster

sets up a throwaway PostgreSQL database (edu_cluster_<random>, migrated, content loaded, the
demo accounts seeded), starts two gunicorn servers (127.0.0.1:8201 and :8202, two sync workers
each) sharing it and Redis (database 2: cache and sessions), and HAProxy in front of them on
http://127.0.0.1:8200/ with its statistics page on http://127.0.0.1:8299/. It serves until
Ctrl-C; then it stops all three, drops the database and empties Redis database 2. The load test
on this cluster, with one server killed mid-run, is `tests/load/run.py --cluster` (`make
cluster-load`).

`Cluster` is what both use: it starts and stops the processes, each in a process group of its
own, so that stopping or killing a server reaches its master and every worker.
"""

from __future__ import annotations

import argparse
import contextlib
import os
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
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
HAPROXY = shutil.which("haproxy") or "/usr/sbin/haproxy"
HAPROXY_CFG = ROOT / "deploy" / "haproxy.cfg"
PG_SERVER = os.environ.get("CLUSTER_PG_SERVER", "postgresql://postgres@127.0.0.1:5432")
REDIS_URL = os.environ.get("CLUSTER_REDIS_URL", "redis://127.0.0.1:6379/2")
ACCESS_LOG_FORMAT = '%(h)s "%(r)s" %(s)s %(b)s %(D)s'


def log(message: str) -> None:
    print(f"[cluster] {message}", flush=True)


def port_taken(bind: str) -> bool:
    host, port = bind.rsplit(":", 1)
    with socket.socket() as probe:
        probe.settimeout(1)
        return probe.connect_ex((host, int(port))) == 0


def wait_until_up(url: str, proc: subprocess.Popen, timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"{proc.args[0]} exited with {proc.returncode} before answering")
        try:
            with urllib.request.urlopen(url, timeout=2) as response:  # noqa: S310 (loopback)
                if response.status < 500:
                    return
        except urllib.error.HTTPError as error:
            if error.code < 500:
                return
        except OSError:
            pass
        time.sleep(0.3)
    raise RuntimeError(f"nothing answered {url} within {timeout:.0f} s")


def stop(proc: subprocess.Popen | None, timeout: float = 15) -> None:
    """Stop a process we started, and its children, through its own process group."""
    if proc is None:
        return
    if proc.poll() is None:
        try:
            os.killpg(proc.pid, signal.SIGTERM)
            proc.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait(timeout=5)
        except ProcessLookupError:
            pass
    # A SIGKILLed master leaves its workers behind for a moment; they are in its group.
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(proc.pid, signal.SIGKILL)


def start_gunicorn(
    env: dict, bind: str, workers: int, logs: Path, name: str = "gunicorn"
) -> subprocess.Popen:
    """gunicorn edu.wsgi on `bind`, in a new process group, its logs under `logs`."""
    if port_taken(bind):
        raise RuntimeError(f"something already listens on {bind}")
    with open(logs / f"{name}.log", "w") as err:
        proc = subprocess.Popen(
            [
                str(BIN / "gunicorn"),
                "edu.wsgi",
                "-w",
                str(workers),
                "-b",
                bind,
                "--access-logfile",
                str(logs / f"{name}-access.log"),
                "--access-logformat",
                ACCESS_LOG_FORMAT,
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
    wait_until_up(f"http://{bind}/", proc)
    return proc


@dataclass
class Cluster:
    """HAProxy on `lb` in front of one gunicorn server per address in `apps`."""

    env: dict
    logs: Path
    lb: str = "127.0.0.1:8200"
    apps: tuple[str, ...] = ("127.0.0.1:8201", "127.0.0.1:8202")
    stats: str = "127.0.0.1:8299"
    workers: int = 2
    servers: list[subprocess.Popen] = field(default_factory=list)
    haproxy: subprocess.Popen | None = None

    @property
    def names(self) -> list[str]:
        return [f"app{i}" for i in range(1, len(self.apps) + 1)]

    def start(self) -> None:
        for name, bind in zip(self.names, self.apps, strict=True):
            self.servers.append(start_gunicorn(self.env, bind, self.workers, self.logs, name))
            log(f"{name}: gunicorn on {bind}, {self.workers} workers (pid {self.servers[-1].pid})")
        for bind in (self.lb, self.stats):
            if port_taken(bind):
                raise RuntimeError(f"something already listens on {bind}")
        haproxy_env = {
            **self.env,
            "EDU_LB_BIND": self.lb,
            "EDU_APP1": self.apps[0],
            "EDU_APP2": self.apps[1],
            "EDU_STATS_BIND": self.stats,
        }
        with open(self.logs / "haproxy.log", "w") as out:
            self.haproxy = subprocess.Popen(
                [HAPROXY, "-f", str(HAPROXY_CFG)],
                env=haproxy_env,
                stdout=out,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        wait_until_up(f"http://{self.lb}/", self.haproxy)
        log(f"HAProxy on http://{self.lb}/ (statistics on http://{self.stats}/)")

    def kill_server(self, index: int, sig: int = signal.SIGKILL) -> list[int]:
        """Send `sig` to server `index`'s master and workers at once (its process group)."""
        import psutil  # installed with locust

        proc = self.servers[index]
        pids = [proc.pid, *(c.pid for c in psutil.Process(proc.pid).children(recursive=True))]
        os.killpg(proc.pid, sig)
        return pids

    def backend_states(self) -> dict[str, str]:
        """Each server's state as HAProxy sees it (UP, DOWN…), from its statistics CSV."""
        try:
            with urllib.request.urlopen(f"http://{self.stats}/;csv", timeout=2) as response:  # noqa: S310
                rows = response.read().decode().splitlines()
        except OSError:
            return {}
        states = {}
        for row in rows:
            cells = row.split(",")
            if len(cells) > 17 and cells[0] == "app" and cells[1] in self.names:
                states[cells[1]] = cells[17]
        return states

    def stop(self) -> None:
        stop(self.haproxy)
        for proc in self.servers:
            stop(proc)


# --- the throwaway database and Redis ----------------------------------------------------


def create_pg_database(name: str, server: str = PG_SERVER) -> None:
    import psycopg

    with psycopg.connect(f"{server}/postgres", autocommit=True, connect_timeout=5) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')


def drop_pg_database(name: str, server: str = PG_SERVER) -> None:
    import psycopg

    with psycopg.connect(f"{server}/postgres", autocommit=True, connect_timeout=5) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def flush_redis(url: str = REDIS_URL) -> None:
    """Empty the one Redis database the cluster uses (sessions and cache), nothing else."""
    import redis

    redis.Redis.from_url(url, socket_timeout=3).flushdb()


def loopback_env(lb: str, work: Path) -> dict:
    """The production settings over plain HTTP on loopback (tests/load/settings.py)."""
    alphabet = string.ascii_letters + string.digits + "-_!@#%^*()=+"
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "tests.load.settings",
        "DJANGO_SECRET_KEY": "".join(secrets.choice(alphabet) for _ in range(60)),
        "DJANGO_ALLOWED_HOSTS": lb.split(":")[0],
        "DJANGO_SECURE_SSL_REDIRECT": "0",
        "LOAD_STATIC_ROOT": str(work / "static"),
        "LOAD_ORIGIN": f"http://{lb}",
        "PYTHONPATH": str(ROOT),
        "REDIS_URL": REDIS_URL,
    }


def manage(env: dict, *args: str) -> None:
    subprocess.run([str(BIN / "python"), "manage.py", *args], cwd=ROOT, env=env, check=True)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--lb", default="127.0.0.1:8200")
    parser.add_argument("--apps", default="127.0.0.1:8201,127.0.0.1:8202")
    parser.add_argument("--stats", default="127.0.0.1:8299")
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args()

    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    signal.signal(signal.SIGHUP, lambda *_: sys.exit(129))
    # Ctrl-C stops everything even when started from a shell that ignores SIGINT in
    # background jobs (Python then would not raise KeyboardInterrupt).
    signal.signal(signal.SIGINT, signal.default_int_handler)
    work = Path(tempfile.mkdtemp(prefix="edu-cluster-"))
    name = f"edu_cluster_{secrets.token_hex(4)}"
    env = loopback_env(args.lb, work)
    env["DATABASE_URL"] = f"{PG_SERVER}/{name}"
    cluster = Cluster(env, work, args.lb, tuple(args.apps.split(",")), args.stats, args.workers)
    created = False
    try:
        create_pg_database(name)
        created = True
        log(f"created PostgreSQL database {name}; flushing Redis {REDIS_URL}")
        flush_redis()
        manage(env, "migrate", "--noinput", "-v", "0")
        manage(env, "load_content", "-v", "0")
        manage(env, "collectstatic", "--noinput", "-v", "0")
        manage(env, "seed_demo")
        cluster.start()
        log(f"serving on http://{args.lb}/ ; logs in {work}; Ctrl-C stops everything")
        while all(proc.poll() is None for proc in [*cluster.servers, cluster.haproxy]):
            time.sleep(1)
        log("a process exited on its own; stopping the rest")
        return 1
    except KeyboardInterrupt:
        return 0
    finally:
        cluster.stop()
        log("stopped HAProxy and both servers")
        if created:
            drop_pg_database(name)
            log(f"dropped {name}")
        try:
            flush_redis()
        except Exception as error:  # noqa: BLE001 - report and carry on cleaning up
            log(f"!!! could not empty Redis {REDIS_URL}: {error}")
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
