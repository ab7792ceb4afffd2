"""Load test of what a learner does (sign in, work a case to the end, take a quiz) with locust.

Each simulated learner signs in through the real sign-in form with an account of its own, starts
the Guillain-Barré case in training mode and posts case actions one after another exactly as the
play page's forms do (the page's current `seq` and one of the action buttons it offers). When the
page has nothing new left to do (or after LOAD_MAX_STEPS actions) it commits a localization and
reads the debrief; then it opens the first quiz on the quizzes page in exam mode, answers every
question, submits and reads the result (in practice mode: the feedback, then "Next question",
after each answer); then it starts the case again. With LOAD_LESSONS=1 about one click in
eleven reads a lesson page instead.

Every write is journalled (LOAD_JOURNAL, one JSON line each): `sent` as it goes, then what the
server answered: `acked` when the answer says it was recorded, `refused` when it says it was
not, `unanswered` when no answer came (a killed worker or server; a 5xx from the load
balancer). A write still `sent` when the run ends was in flight at the end. A learner whose
click went unanswered clicks the same button again, with the same `seq`, as a person would: the
server records it if the first never arrived, or answers "That step was already recorded." (the
stale-seq check) if it did, and either way the learner carries on. tests/load/ledger.py
compares the journal with the database.

Run it through tests/load/run.py (`make load`), which sets up the server and accounts. Settings
come from the environment:

  LOAD_ACCOUNTS    how many accounts load-learner-00.. exist (default 32); users take them in turn
  LOAD_PASSWORD    their password
  LOAD_CASE        the case slug (default gbs-ascending)
  LOAD_QUIZ        the quiz slug (default: the first one on the quizzes page); "none": no quiz
  LOAD_QUIZ_MODE   exam (default: answer each question, then submit) or practice (feedback and
                   "Next question" after each answer)
  LOAD_HTMX        1: post actions and answers as htmx does (HX-Request, partial answer)
  LOAD_WAIT        think time between clicks in seconds, "0" or "min,max" (default 0)
  LOAD_MAX_STEPS   commit after this many actions at most (default 40)
  LOAD_LESSONS     1: one click in eleven reads a lesson (default 1)
  LOAD_JOURNAL     append the journal of writes here (JSON lines)
  LOAD_USERS, LOAD_MEASURE_SECONDS   measure for this many seconds from the last sign-in on
  LOAD_SUMMARY     write the final figures here as JSON (per endpoint and the failures)

The client is locust's FastHttpUser (geventhttpclient): on a small machine that shares its cores
with the server, the load generator must cost as little CPU as possible.
"""

import itertools
import json
import os
import random
import re
import time
from html import unescape

import gevent
from locust import between, constant, events, task
from locust.contrib.fasthttp import FastHttpUser

ACCOUNTS = int(os.environ.get("LOAD_ACCOUNTS", "32"))
PASSWORD = os.environ.get("LOAD_PASSWORD", "load-test-motor-unit")
USERNAME = "load-learner-{:02d}"
CASE = os.environ.get("LOAD_CASE", "gbs-ascending")
QUIZ = os.environ.get("LOAD_QUIZ", "")
QUIZ_MODE = os.environ.get("LOAD_QUIZ_MODE", "exam")
HTMX = os.environ.get("LOAD_HTMX", "0") == "1"
MAX_STEPS = int(os.environ.get("LOAD_MAX_STEPS", "40"))
LESSONS = os.environ.get("LOAD_LESSONS", "1") == "1"
USERS = int(os.environ.get("LOAD_USERS", "0"))
MEASURE_SECONDS = float(os.environ.get("LOAD_MEASURE_SECONDS", "0"))
ALREADY_RECORDED = "That step was already recorded."  # cases.selectors.ALREADY_RECORDED

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
QUIZ_START_RE = re.compile(r'action="/quizzes/([\w-]+)/start/"')
QUIZ_ATTEMPT_RE = re.compile(r"/quizzes/attempts/(\d+)/$")
ANSWER_FORM_RE = re.compile(r'action="/quizzes/attempts/(\d+)/(\d+)/answer/"')
OPTION_RE = re.compile(r'name="option" value="(\d+)"')
NEXT_RE = re.compile(r'class="button" href="(/quizzes/attempts/\d+/\d+/)"')
RESULT_RE = re.compile(r'href="(/quizzes/attempts/\d+/result/)"')
ALL_ANSWERED_RE = re.compile(r">All \d+ questions answered<")
SUBMIT_RE = re.compile(r'action="/quizzes/attempts/(\d+)/submit/"')

_next_account = itertools.count()
_signed_in = itertools.count(1)
_JOURNAL_PATH = os.environ.get("LOAD_JOURNAL")
# Open for the whole run, line-buffered.
_journal = open(_JOURNAL_PATH, "a", buffering=1) if _JOURNAL_PATH else None  # noqa: SIM115


def journal(**entry) -> None:
    """One line per write and what became of it (line-buffered: a killed client loses at most
    the line it was writing, which ledger.read_journal skips)."""
    if _journal is not None:
        entry["t"] = round(time.time(), 3)
        _journal.write(json.dumps(entry, sort_keys=True) + "\n")


def signed_in(environment) -> None:
    """Count sign-ins; after the last learner's, start the measured window (LOAD_USERS and
    LOAD_MEASURE_SECONDS set): the figures restart from zero and the run ends that many seconds
    later. Signing in hashes the password with Argon2 (~0.2 s of a worker on an idle core, far
    more on a busy one), so the arrival of a class is its own burst, not the steady state."""
    if next(_signed_in) != USERS or not MEASURE_SECONDS:
        return
    # What went wrong while the class arrived is reported, not wiped with the figures.
    ramp_errors = [
        {"name": e.name, "error": str(e.error), "count": e.occurrences}
        for e in environment.stats.errors.values()
    ]
    journal(kind="measure", seconds=MEASURE_SECONDS, ramp_errors=ramp_errors)
    environment.stats.reset_all()
    gevent.spawn_later(MEASURE_SECONDS, environment.runner.quit)


def no_answer(status: int) -> bool:
    """No answer from the app: the connection broke (0) or the load balancer answered for it."""
    return status == 0 or status >= 500


def _wait_time():
    spec = os.environ.get("LOAD_WAIT", "0")
    if "," in spec:
        low, high = (float(x) for x in spec.split(","))
        return between(low, high)
    return constant(float(spec))


class Learner(FastHttpUser):
    wait_time = _wait_time()
    # A browser (and htmx) waits as long as it takes: a learner's click is not abandoned
    # because the machine is slow, or it would look lost when it was only late.
    network_timeout = 300.0
    connection_timeout = 10.0

    def on_start(self):
        self.username = USERNAME.format(next(_next_account) % ACCOUNTS)
        self.token = ""
        self.lessons: list[str] = []
        self.step = self._start_case
        self.resend = None  # the write that went unanswered: the next click sends it again
        self._reset_attempt()
        self._reset_quiz()
        self._sign_in()
        self._find_lessons()

    # --- helpers -------------------------------------------------------------------------

    def _reset_attempt(self):
        self.attempt = None  # "/cases/attempts/<id>/" while one is open
        self.seq = 0
        self.actions: list[str] = []
        self.decisions: list[str] = []
        self.levels: list[str] = []
        self.taken: set[str] = set()
        self.steps = 0

    def _reset_quiz(self):
        self.quiz_item = None  # (attempt id, position, [option ids]) of the question shown
        self.quiz_next = ""  # the "Next question" or "See your result" link after an answer

    def _token_from(self, html: str):
        found = CSRF_RE.search(html)
        if found:
            self.token = found.group(1)

    def _served_by(self, response) -> str:
        return (response.headers or {}).get("X-Served-By", "") or "direct"

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

    def _read_play(self, html: str) -> tuple[int | None, str]:
        """seq and the error shown, from a play page or its htmx partial; keeps its actions."""
        self._token_from(html)
        error = ERROR_RE.search(html)
        message = unescape(error.group(1) or error.group(2) or "").strip() if error else ""
        seq = SEQ_RE.search(html)
        if not seq:
            return None, message
        self.seq = int(seq.group(1))
        actions = list(dict.fromkeys(ACTION_RE.findall(html)))
        decisions = list(dict.fromkeys(DECISION_RE.findall(html)))
        if 'id="play-area"' in html:  # the whole play area: it lists everything on offer
            self.actions, self.decisions = actions, decisions
            self.levels = list(dict.fromkeys(LEVEL_RE.findall(html)))
        else:
            # An htmx answer of only what changed: it carries just the action groups that
            # changed (a taken action leaves its group), so what it lists adds to what we knew.
            self.actions = list(dict.fromkeys(self.actions + actions))
            self.decisions = list(dict.fromkeys(self.decisions + decisions))
        return self.seq, message

    def _get_play(self) -> tuple[int | None, str, int, str]:
        """(seq, error, HTTP status, server) of the play page; seq None if it could not be read."""
        with self.client.get(
            self.attempt, name="/cases/attempts/[id]/", catch_response=True
        ) as response:
            status, server = response.status_code, self._served_by(response)
            if status != 200:
                response.failure(f"play page: HTTP {status}")
                return None, "", status, server
            seq, message = self._read_play(response.text)
            if seq is None:
                response.failure("play page without a seq field")
            return seq, message, status, server

    def _read_debrief(self, url: str) -> bool:
        with self.client.get(
            url, name="/cases/attempts/[id]/debrief/", catch_response=True
        ) as response:
            if response.status_code != 200 or "debrief" not in (response.text or "").lower():
                response.failure(f"debrief: HTTP {response.status_code}")
                # The attempt is finished: the learner reloads the debrief on the next click.
                self.step = lambda: self._read_debrief(url)
                return False
        journal(kind="done", what="case", user=self.username)
        self._reset_attempt()
        self.step = self._start_quiz if QUIZ != "none" else self._start_case
        return True

    # --- signing in ----------------------------------------------------------------------

    def _sign_in(self):
        for _ in range(10):  # a server killed or swamped mid-sign-in: the learner tries again
            with self.client.get(
                "/accounts/sign-in/", name="/accounts/sign-in/", catch_response=True
            ) as page:
                if page.status_code != 200:
                    page.failure(f"sign-in page: HTTP {page.status_code}")
                    time.sleep(1)
                    continue
                self._token_from(page.text or "")
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
                location = (response.headers or {}).get("Location", "")
                if response.status_code == 302 and "sign-in" not in location:
                    break
                response.failure(f"sign-in: HTTP {response.status_code}")
            time.sleep(1)
        signed_in(self.environment)

    def _find_lessons(self):
        if not LESSONS:
            return
        response = self.client.get("/lessons/", name="/lessons/")
        self._token_from(response.text or "")
        self.lessons = sorted(set(LESSON_RE.findall(response.text or "")))
        if not self.lessons:  # the index listed topics: open each
            for topic in sorted(set(TOPIC_RE.findall(response.text or ""))):
                page = self.client.get(topic, name="/lessons/[topic]/")
                self.lessons += LESSON_RE.findall(page.text or "")
            self.lessons = sorted(set(self.lessons))

    # --- the case ------------------------------------------------------------------------

    def _start_case(self):
        library = self.client.get("/cases/", name="/cases/")
        if library.status_code != 200:
            return  # the same click again next time (with the token of a page that came back)
        self._token_from(library.text or "")
        with self.client.post(
            f"/cases/{CASE}/start/",
            data={"csrfmiddlewaretoken": self.token, "mode": "training"},
            name="/cases/[slug]/start/",
            allow_redirects=False,
            catch_response=True,
        ) as response:
            target = response.headers.get("Location", "") if response.headers else ""
            if response.status_code != 302 or not ATTEMPT_RE.search(target):
                response.failure(f"start: HTTP {response.status_code} to {target!r}")
                return  # the next click starts (or resumes: it is idempotent) again
        self.attempt = target
        if self._get_play()[0] is not None:
            self.step = self._case_step

    def _case_step(self):
        if self.resend is not None:
            self._post_case_event(*self.resend)
            return
        fresh = [a for a in self.actions if a not in self.taken]
        fresh_decisions = [d for d in self.decisions if d not in self.taken]
        if self.steps >= MAX_STEPS or not (fresh or fresh_decisions):
            level = random.choice(self.levels) if self.levels else "neuromuscular-junction"
            event = {"type": "commit", "level": level, "diagnosis": "", "confidence": "medium"}
            data = {"level": level, "diagnosis": "", "confidence": "medium"}
            self._post_case_event("commit/", data, event, self.seq)
        elif fresh:
            choice = random.choice(fresh)
            self.taken.add(choice)
            event = {"type": "take_action", "action": choice}
            self._post_case_event("act/", {"action": choice}, event, self.seq)
        else:
            choice = random.choice(fresh_decisions)
            self.taken.add(choice)
            event = {"type": "choose_decision", "action": choice}
            self._post_case_event("act/", {"decision": choice}, event, self.seq)

    def _post_case_event(self, endpoint: str, fields: dict, event: dict, seen: int):
        """Post one case event from a page that had seen `seen` events, and journal the answer.

        Recorded means the attempt now has seen + 1 events and the page shows no refusal, or
        shows "already recorded" (a resend whose first copy had been recorded)."""
        resend = self.resend is not None
        htmx = HTMX and endpoint == "act/"
        headers = {"HX-Request": "true", "HX-Current-URL": self.attempt} if htmx else {}
        attempt_id = int(ATTEMPT_RE.search(self.attempt).group(1))
        entry = {"kind": "case", "user": self.username, "attempt": attempt_id, "seq": seen + 1}
        entry["event"] = event
        name = f"/cases/attempts/[id]/{endpoint}"
        journal(status="sent", server="", resend=resend, **entry)
        with self.client.post(
            f"{self.attempt}{endpoint}",
            data={"csrfmiddlewaretoken": self.token, "seq": seen, **fields},
            headers=headers,
            name=name,
            allow_redirects=False,
            catch_response=True,
        ) as response:
            self.steps += 0 if resend else 1
            status, server = response.status_code, self._served_by(response)
            location = (response.headers or {}).get("Location", "")
            finished = (response.headers or {}).get("HX-Redirect", "") if htmx else ""
            if not htmx and status == 302 and location.endswith("/debrief/"):
                finished = location
            if no_answer(status):
                response.failure(f"{endpoint}: no answer (HTTP {status})")
                self._unanswered(entry, endpoint, fields, event, seen)
                return
            if finished and status in (200, 302):
                # The event that ends the case (or, resent, the one that had ended it).
                journal(status="acked", server=server, resend=resend, **entry)
                self.resend = None
                self._read_debrief(finished)
                return
            if htmx and status == 200:
                seq, message = self._read_play(response.text)
            elif not htmx and status == 302:
                seq = None
            else:
                response.failure(f"{endpoint}: HTTP {status}")
                journal(status="refused", server=server, resend=resend, **entry)
                self.resend = None
                self._reset_attempt()
                self.step = self._start_case
                return
        if seq is None:  # a plain post: the play page it redirected to says what happened
            seq, message, status, server = self._get_play()
            if seq is None:
                if no_answer(status):
                    self._unanswered(entry, endpoint, fields, event, seen)
                return
        if seq == seen + 1 and message in ("", ALREADY_RECORDED):
            journal(status="acked", server=server, resend=resend, replay=bool(message), **entry)
        else:
            journal(status="refused", server=server, resend=resend, **entry)
            self._refused(endpoint, message or f"seq {seq} after posting at {seen}")
        self.resend = None

    def _unanswered(self, entry, endpoint, fields, event, seen):
        journal(status="unanswered", server="", resend=self.resend is not None, **entry)
        self.resend = (endpoint, fields, event, seen)

    # --- the quiz ------------------------------------------------------------------------

    def _start_quiz(self):
        index = self.client.get("/quizzes/", name="/quizzes/")
        if index.status_code != 200:
            return  # the same click again next time
        self._token_from(index.text or "")
        slugs = [s for s in QUIZ_START_RE.findall(index.text or "") if s != "review"]
        slug = QUIZ or (slugs[0] if slugs else "")
        if not slug:
            self._refused("quiz", "no quiz offered on /quizzes/")
            self.step = self._start_case
            return
        with self.client.post(
            f"/quizzes/{slug}/start/",
            data={"csrfmiddlewaretoken": self.token, "mode": QUIZ_MODE},
            name="/quizzes/[slug]/start/",
            allow_redirects=False,
            catch_response=True,
        ) as response:
            target = (response.headers or {}).get("Location", "")
            if response.status_code != 302 or not QUIZ_ATTEMPT_RE.search(target):
                response.failure(f"quiz start: HTTP {response.status_code} to {target!r}")
                return  # starting again resumes the open attempt, if this one was made
        self._get_question(target, "/quizzes/attempts/[id]/")

    def _read_question(self, html: str) -> bool:
        self._token_from(html)
        form = ANSWER_FORM_RE.search(html)
        if form:
            options = [int(o) for o in OPTION_RE.findall(html)]
            self.quiz_item = (int(form.group(1)), int(form.group(2)), options)
            self.step = self._answer
            return True
        submit = SUBMIT_RE.search(html)
        if submit and ALL_ANSWERED_RE.search(html):
            self.quiz_submit = int(submit.group(1))
            self.step = self._submit_quiz
            return True
        follow = NEXT_RE.search(html) or RESULT_RE.search(html)
        self.quiz_next = follow.group(1) if follow else ""
        self.step = self._quiz_onwards
        return bool(follow)

    def _get_question(self, url: str, name: str):
        headers = {"HX-Request": "true"} if HTMX and "result" not in url else {}
        with self.client.get(url, name=name, headers=headers, catch_response=True) as response:
            if response.status_code != 200:
                response.failure(f"{name}: HTTP {response.status_code}")
                return  # the same click again next time
            if not self._read_question(response.text):
                response.failure(f"{name}: neither a question nor a way on")

    def _answer(self):
        attempt_id, position, options = self.quiz_item
        option = self.resend if self.resend is not None else random.choice(options)
        resend = self.resend is not None
        entry = {"kind": "quiz", "user": self.username, "attempt": attempt_id}
        entry.update(position=position, option=option)
        headers = {"HX-Request": "true"} if HTMX else {}
        url = f"/quizzes/attempts/{attempt_id}/{position}/"
        journal(status="sent", server="", resend=resend, **entry)
        with self.client.post(
            f"{url}answer/",
            data={"csrfmiddlewaretoken": self.token, "option": option},
            headers=headers,
            name="/quizzes/attempts/[id]/[n]/answer/",
            allow_redirects=False,
            catch_response=True,
        ) as response:
            status, server = response.status_code, self._served_by(response)
            if no_answer(status):
                response.failure(f"answer: no answer (HTTP {status})")
                journal(status="unanswered", server="", resend=resend, **entry)
                self.resend = option
                return
            recorded = status == (200 if HTMX else 302)
            if resend and status == 409:
                # The first copy had been recorded: "answers are final" says it is stored.
                recorded = True
                response.success()
            if not recorded:
                response.failure(f"answer: HTTP {status}")
                journal(status="refused", server=server, resend=resend, **entry)
                self.resend = None
                self.step = self._start_quiz
                return
            journal(status="acked", server=server, resend=resend, replay=status == 409, **entry)
            self.resend = None
            html = response.text if HTMX and status == 200 else ""
        if html and self._read_question(html):
            return
        self._get_question(url, "/quizzes/attempts/[id]/[n]/")

    def _submit_quiz(self):
        """Submit the exam once every question is answered."""
        attempt_id = self.quiz_submit
        with self.client.post(
            f"/quizzes/attempts/{attempt_id}/submit/",
            data={"csrfmiddlewaretoken": self.token},
            name="/quizzes/attempts/[id]/submit/",
            allow_redirects=False,
            catch_response=True,
        ) as response:
            status = response.status_code
            if no_answer(status):
                response.failure(f"submit: no answer (HTTP {status})")
                return  # the same click again next time
            if status == 409:
                # Already closed: by this submit's first copy (resent by the learner or
                # retried by HAProxy after its server died). The result is there either way.
                response.success()
            elif status != 302:
                response.failure(f"submit: HTTP {status}")
        self.quiz_next = f"/quizzes/attempts/{attempt_id}/result/"
        self._quiz_onwards()

    def _quiz_onwards(self):
        url = self.quiz_next
        if url.endswith("/result/"):
            with self.client.get(
                url, name="/quizzes/attempts/[id]/result/", catch_response=True
            ) as response:
                if response.status_code != 200:
                    response.failure(f"quiz result: HTTP {response.status_code}")
                    return
            journal(kind="done", what="quiz", user=self.username)
            self._reset_quiz()
            self.step = self._start_case
        elif url:
            self._get_question(url, "/quizzes/attempts/[id]/[n]/")
        else:
            self.step = self._start_quiz

    # --- the clicks ----------------------------------------------------------------------

    @task(10)
    def next_click(self):
        self.step()

    @task(1)
    def read_lesson(self):
        if self.lessons:
            self.client.get(random.choice(self.lessons), name="/lessons/[topic]/[lesson]/")
        else:
            self.step()


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
