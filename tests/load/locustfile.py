"""Load test of the case-action hot path (and, lighter, lesson reading) with locust.

Each simulated learner signs in through the real sign-in form, starts the Guillain-Barré case in
training mode, then posts case actions one after another exactly as the play page's forms do
(the page's current `seq` and one of the action buttons it offers), reading the play page again
after every redirect. When the page has nothing new left to do (or after LOAD_MAX_STEPS actions)
it commits a localization, reads the debrief and starts the case again. About one task in eleven
reads a lesson page instead.

Run it through tests/load/run.py (`make load`), which sets up the server and accounts. Settings
come from the environment:

  LOAD_ACCOUNTS    how many accounts load-learner-00.. exist (default 32)
  LOAD_PASSWORD    their password
  LOAD_CASE        the case slug (default gbs-ascending)
  LOAD_HTMX        1: post actions as htmx does (HX-Request, partial answer, no redirect)
  LOAD_WAIT        think time between tasks in seconds, "0" or "min,max" (default 0)
  LOAD_MAX_STEPS   commit after this many actions at most (default 40)
  LOAD_SUMMARY     write the final figures here as JSON (per endpoint and the failures)

The client is locust's FastHttpUser (geventhttpclient): on a small machine that shares its cores
with the server, the load generator must cost as little CPU as possible.
"""

import itertools
import json
import os
import random
import re
from html import unescape

from locust import between, constant, events, task
from locust.contrib.fasthttp import FastHttpUser

ACCOUNTS = int(os.environ.get("LOAD_ACCOUNTS", "32"))
PASSWORD = os.environ.get("LOAD_PASSWORD", "load-test-motor-unit")
USERNAME = "load-learner-{:02d}"
CASE = os.environ.get("LOAD_CASE", "gbs-ascending")
HTMX = os.environ.get("LOAD_HTMX", "0") == "1"
MAX_STEPS = int(os.environ.get("LOAD_MAX_STEPS", "40"))

CSRF_RE = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
SEQ_RE = re.compile(r'name="seq" value="(\d+)"')
ACTION_RE = re.compile(r'name="action" value="([^"]+)"')
DECISION_RE = re.compile(r'name="decision" value="([^"]+)"')
LEVEL_RE = re.compile(r'name="level" value="([^"]+)"')
ERROR_RE = re.compile(
    r'class="message error"[^>]*>([^<]*)<|class="[^"]*play-error[^"]*"[^>]*>([^<]*)<'
)
LESSON_RE = re.compile(r'href="(/lessons/[\w-]+/[\w-]+/)"')
TOPIC_RE = re.compile(r'href="(/lessons/[\w-]+/)"')
ATTEMPT_RE = re.compile(r"/cases/attempts/(\d+)/$")

_next_account = itertools.count()


def _wait_time():
    spec = os.environ.get("LOAD_WAIT", "0")
    if "," in spec:
        low, high = (float(x) for x in spec.split(","))
        return between(low, high)
    return constant(float(spec))


class Learner(FastHttpUser):
    wait_time = _wait_time()

    def on_start(self):
        self.username = USERNAME.format(next(_next_account) % ACCOUNTS)
        self.token = ""
        self.attempt = None  # "/cases/attempts/<id>/" while one is open
        self.lessons: list[str] = []
        self._reset_attempt()
        self._sign_in()
        self._find_lessons()

    # --- helpers -------------------------------------------------------------------------

    def _reset_attempt(self):
        self.attempt = None
        self.seq = 0
        self.actions: list[str] = []
        self.decisions: list[str] = []
        self.levels: list[str] = []
        self.taken: set[str] = set()
        self.steps = 0

    def _token_from(self, html: str):
        found = CSRF_RE.search(html)
        if found:
            self.token = found.group(1)

    def _refused(self, what: str, message: str):
        """A post the app answered but did not record (stale seq, rejected action)."""
        self.environment.events.request.fire(
            request_type="REFUSED",
            name=f"{what}: {message.strip()[:80]}",
            response_time=0,
            response_length=0,
            exception=RuntimeError(message.strip()),
            context={},
        )

    def _absorb_play(self, html: str, after: str) -> bool:
        """Read seq, the offered actions and levels from a play page or its htmx partial."""
        self._token_from(html)
        error = ERROR_RE.search(html)
        if error:
            self._refused(after, unescape(error.group(1) or error.group(2) or ""))
        seq = SEQ_RE.search(html)
        if not seq:
            return False
        self.seq = int(seq.group(1))
        self.actions = list(dict.fromkeys(ACTION_RE.findall(html)))
        self.decisions = list(dict.fromkeys(DECISION_RE.findall(html)))
        self.levels = list(dict.fromkeys(LEVEL_RE.findall(html)))
        return True

    def _get_play(self, after: str):
        with self.client.get(
            self.attempt, name="/cases/attempts/[id]/", catch_response=True
        ) as response:
            if response.status_code != 200:
                response.failure(f"play page: HTTP {response.status_code}")
                self._reset_attempt()
            elif not self._absorb_play(response.text, after):
                response.failure("play page without a seq field")
                self._reset_attempt()

    def _read_debrief(self, url: str):
        with self.client.get(
            url, name="/cases/attempts/[id]/debrief/", catch_response=True
        ) as response:
            if response.status_code != 200 or "debrief" not in response.text.lower():
                response.failure(f"debrief: HTTP {response.status_code}")
        self._reset_attempt()

    # --- the learner's steps -------------------------------------------------------------

    def _sign_in(self):
        response = self.client.get("/accounts/sign-in/", name="/accounts/sign-in/")
        self._token_from(response.text)
        with self.client.post(
            "/accounts/sign-in/",
            data={
                "csrfmiddlewaretoken": self.token,
                "username": self.username,
                "password": PASSWORD,
                "next": "",
            },
            name="/accounts/sign-in/",
            allow_redirects=False,
            catch_response=True,
        ) as response:
            if response.status_code != 302 or "sign-in" in response.headers.get("Location", ""):
                response.failure(f"sign-in as {self.username} failed: HTTP {response.status_code}")

    def _find_lessons(self):
        response = self.client.get("/lessons/", name="/lessons/")
        self._token_from(response.text)
        self.lessons = sorted(set(LESSON_RE.findall(response.text)))
        if not self.lessons:  # the index listed topics: open each
            for topic in sorted(set(TOPIC_RE.findall(response.text))):
                page = self.client.get(topic, name="/lessons/[topic]/")
                self.lessons += LESSON_RE.findall(page.text)
            self.lessons = sorted(set(self.lessons))

    def _start_case(self):
        library = self.client.get("/cases/", name="/cases/")
        self._token_from(library.text)
        with self.client.post(
            f"/cases/{CASE}/start/",
            data={"csrfmiddlewaretoken": self.token, "mode": "training"},
            name="/cases/[slug]/start/",
            allow_redirects=False,
            catch_response=True,
        ) as response:
            target = response.headers.get("Location", "")
            if response.status_code != 302 or not ATTEMPT_RE.search(target):
                response.failure(f"start: HTTP {response.status_code} to {target!r}")
                return
        self.attempt = target
        self._get_play("start")

    def _act(self, field: str, value: str):
        headers = {"HX-Request": "true", "HX-Current-URL": self.attempt} if HTMX else {}
        with self.client.post(
            f"{self.attempt}act/",
            data={"csrfmiddlewaretoken": self.token, "seq": self.seq, field: value},
            headers=headers,
            name="/cases/attempts/[id]/act/",
            allow_redirects=False,
            catch_response=True,
        ) as response:
            self.steps += 1
            self.taken.add(value)
            status = response.status_code
            if HTMX:
                finished = response.headers.get("HX-Redirect", "")
                if status == 200 and finished:
                    pass
                elif status != 200 or not self._absorb_play(response.text, "act"):
                    response.failure(f"act (htmx): HTTP {status}")
                    self._reset_attempt()
                    return
            else:
                finished = ""
                target = response.headers.get("Location", "")
                if status != 302:
                    response.failure(f"act: HTTP {status}")
                    self._reset_attempt()
                    return
                if target.endswith("/debrief/"):
                    finished = target
        if finished:  # the case ended itself (e.g. the patient came to harm)
            self._read_debrief(finished)
        elif not HTMX:
            self._get_play("act")

    def _commit(self):
        with self.client.post(
            f"{self.attempt}commit/",
            data={
                "csrfmiddlewaretoken": self.token,
                "seq": self.seq,
                "level": random.choice(self.levels) if self.levels else "nmj",
                "diagnosis": "",
                "confidence": "medium",
            },
            name="/cases/attempts/[id]/commit/",
            allow_redirects=False,
            catch_response=True,
        ) as response:
            target = response.headers.get("Location", "")
            if response.status_code != 302 or not target.endswith("/debrief/"):
                response.failure(f"commit: HTTP {response.status_code} to {target!r}")
                self._reset_attempt()
                return
        self._read_debrief(target)

    @task(10)
    def case_step(self):
        if self.attempt is None:
            self._start_case()
            return
        fresh = [a for a in self.actions if a not in self.taken]
        fresh_decisions = [d for d in self.decisions if d not in self.taken]
        if self.steps >= MAX_STEPS or not (fresh or fresh_decisions):
            self._commit()
        elif fresh:
            self._act("action", random.choice(fresh))
        else:
            self._act("decision", random.choice(fresh_decisions))

    @task(1)
    def read_lesson(self):
        if self.lessons:
            self.client.get(random.choice(self.lessons), name="/lessons/[topic]/[lesson]/")


@events.quitting.add_listener
def write_summary(environment, **_kwargs):
    """The final figures, complete (locust's CSV files are written on a timer)."""
    path = os.environ.get("LOAD_SUMMARY")
    if not path:
        return
    stats = environment.stats
    entries = [*stats.entries.values(), stats.total]
    summary = {
        "endpoints": [
            {
                "method": entry.method or "",
                "name": entry.name,
                "requests": entry.num_requests,
                "failures": entry.num_failures,
                "rps": round(entry.total_rps, 1),
                "median_ms": entry.get_response_time_percentile(0.5),
                "p95_ms": entry.get_response_time_percentile(0.95),
                "max_ms": round(entry.max_response_time or 0),
            }
            for entry in sorted(entries, key=lambda e: (e is stats.total, e.name, e.method or ""))
        ],
        "errors": [
            {"method": e.method, "name": e.name, "error": str(e.error), "count": e.occurrences}
            for e in stats.errors.values()
        ],
    }
    with open(path, "w") as handle:
        json.dump(summary, handle, indent=1)
