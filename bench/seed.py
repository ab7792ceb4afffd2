"""The database side of `make bench`, run by bench/run.py as `python -m bench.seed COMMAND`.

    setup   seed the site through its own services (seed_demo: 300 learners in one cohort, the
            demo accounts and their activity), open a case attempt for the play page, check the
            case's action path through the engine, and sign the accounts in; writes state.json
    plan    before a run of case actions: count the bench learners' events, finish attempts
            whose path is used up (a real commit) and start new ones, make more bench learners
            if the run may need them, and write which attempts each wrk connection walks
    count   the bench learners' action events, and any attempt whose events have a gap
    verify  after a run of case actions: each walked attempt's events against where wrk's
            answers say it stands (a file of "attempt seq in-flight" lines), and the count

Every action a bench learner posts must be accepted, so each learner has one open attempt of
one case (the database allows one open attempt per learner, case and mode) and each wrk
connection walks its own learners' attempts along the same path of events, with the `seq` the
attempt is at. Sessions are made the way sign-in stores them (the auth keys in a saved
session), since the benchmark measures pages, not Argon2.
"""

import argparse
import json
import os
import secrets
import sys
from pathlib import Path

import django

LEARNER_PREFIX = "bench-learner-"
CAPTURE_LEARNER = "bench-capture"
PLAY_PAGE_EVENTS = 5  # the play page is measured a few findings into the case


def main() -> int:
    parser = argparse.ArgumentParser(description="The database side of make bench.")
    parser.add_argument("command", choices=["setup", "plan", "count", "verify"])
    parser.add_argument("--state", type=Path, required=True, help="state.json of this run")
    parser.add_argument("--case", default="gbs-ascending")
    parser.add_argument("--learners", type=int, default=300, help="learners in the grid cohort")
    parser.add_argument("--actions", type=int, default=0, help="plan: actions the run may post")
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--plan", type=Path, help="plan: where to write the plan")
    parser.add_argument("--expected", type=Path, help="verify: attempt seq in-flight lines")
    args = parser.parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.settings")
    django.setup()
    if args.command == "setup":
        out = setup(args)
    elif args.command == "plan":
        out = plan(args)
    elif args.command == "verify":
        out = verify(args.expected)
    else:
        out = count()
    print(json.dumps(out))
    return 0


def make_session(user) -> str:
    """A signed-in session for `user`, holding exactly what django.contrib.auth.login stores."""
    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.utils.module_loading import import_string

    store = import_string(f"{settings.SESSION_ENGINE}.SessionStore")()
    store[SESSION_KEY] = str(user.pk)
    # The backend that signs people in (the first entry, axes, only refuses locked accounts):
    # a session naming a backend the site no longer lists is treated as signed out.
    store[BACKEND_SESSION_KEY] = settings.AUTHENTICATION_BACKENDS[-1]
    store[HASH_SESSION_KEY] = user.get_session_auth_hash()
    store.save()
    return store.session_key


def action_path(case) -> list[dict]:
    """The expert's actions and decisions through the case, without the final commit: each one
    checked through the engine, so every post of the path is an accepted action."""
    from cases.engine.scoring import expert_events
    from cases.engine.state import apply, start

    events = [e for e in expert_events(case) if e["type"] in ("take_action", "choose_decision")]
    state = start(case)
    for event in events:
        state = apply(case, state, event)  # raises EventRejected if the path is not accepted
    return events


def form_field(event: dict) -> str:
    """The form field the play page's buttons post for this event (see cases/forms.py)."""
    name = "decision" if event["type"] == "choose_decision" else "action"
    return f"{name}={event['action']}"


def setup(args) -> dict:
    from django.core.management import call_command
    from django.urls import reverse

    from cases.models import Case
    from cases.selectors import parsed_case
    from cases.services import record_event, start_attempt
    from edu.accounts.models import Role, User
    from edu.cohorts.models import Cohort, Enrolment
    from edu.lessons.models import Lesson

    call_command("seed_demo", learners=args.learners, cohorts=1, verbosity=0)
    learner = User.objects.get(username="learner")
    instructor = User.objects.get(username="instructor")
    admin = User.objects.get(username="admin", role=Role.PROGRAM_ADMIN)
    cohort = Cohort.objects.get(code="demo-clerkship")
    enrolled = Enrolment.objects.filter(cohort=cohort).count()
    if enrolled < args.learners:
        raise SystemExit(f"the grid cohort has {enrolled} learners, not {args.learners}")

    case = Case.objects.select_related("current_version").get(slug=args.case, is_active=True)
    definition = parsed_case(case.current_version)
    path = action_path(definition)

    def walk(user, n: int):
        attempt = start_attempt(user=user, case=case, mode="training")
        for event in path[attempt.event_count : n]:
            outcome = record_event(
                attempt=attempt, user=user, event=event, expected_seq=attempt.event_count
            )
            if not outcome.recorded:
                raise SystemExit(f"seeding {args.case}: {outcome.message}")
            attempt = outcome.attempt
        return attempt

    played = walk(learner, PLAY_PAGE_EVENTS)
    capture_user, _ = User.objects.get_or_create(
        username=CAPTURE_LEARNER, defaults={"role": Role.LEARNER, "password": "!unusable"}
    )
    capture = walk(capture_user, len(path) // 2)  # the action measured is one mid-case
    lesson = Lesson.objects.filter(is_active=True).select_related("topic").order_by("pk").first()
    csrf = secrets.token_hex(16)  # 32 characters: Django's unmasked CSRF secret, cookie and header
    state = {
        "case": args.case,
        "csrf": csrf,
        "grid_learners": enrolled,
        "path": [form_field(e) for e in path],
        "sessions": {
            "learner": make_session(learner),
            "instructor": make_session(instructor),
            "admin": make_session(admin),
            "capture": make_session(capture_user),
        },
        "urls": {
            "lesson": reverse("lessons:lesson", args=[lesson.topic.slug, lesson.slug]),
            "play": reverse("cases:play", args=[played.pk]),
            "grid": reverse("cohorts:progress", args=[cohort.pk]),
            "analytics": reverse("analytics:index") + f"?cohort={cohort.pk}",
        },
        "capture": {
            "url": reverse("cases:act", args=[capture.pk]),
            "play_url": reverse("cases:play", args=[capture.pk]),
            "seq": capture.event_count,
            "field": form_field(path[capture.event_count]),
        },
        "learners": {},
    }
    args.state.write_text(json.dumps(state, indent=1))
    return {"path": len(path), "grid_learners": enrolled, **state["urls"]}


def bench_events() -> int:
    from cases.models import AttemptEvent

    return (
        AttemptEvent.objects.filter(attempt__user__username__startswith=LEARNER_PREFIX)
        .exclude(event__type="commit")
        .count()
    )


def count() -> dict:
    from django.db.models import Count, F

    from cases.models import Attempt, Status

    gaps = (
        Attempt.objects.filter(user__username__startswith=LEARNER_PREFIX)
        .annotate(n=Count("events"))
        .exclude(n=F("event_count"))
        .count()
    )
    capture = (
        Attempt.objects.filter(user__username=CAPTURE_LEARNER, status=Status.IN_PROGRESS)
        .values_list("event_count", flat=True)
        .first()
    )
    return {"events": bench_events(), "attempts_with_gaps": gaps, "capture_seq": capture}


def verify(expected_file: Path) -> dict:
    """How many attempts do not stand where the answers say: an answer that was 2xx but not an
    accepted action leaves its attempt behind (and every later post for it is then stale)."""
    from cases.models import Attempt

    expected = {}
    for line in expected_file.read_text().splitlines():
        attempt, seq, inflight = line.split()
        expected[int(attempt)] = (int(seq), inflight == "1")
    stored = dict(Attempt.objects.filter(pk__in=expected).values_list("pk", "event_count"))
    wrong = [
        f"attempt {pk}: {stored.get(pk)} events, the answers say {seq}"
        for pk, (seq, inflight) in sorted(expected.items())
        if stored.get(pk) not in ((seq, seq + 1) if inflight else (seq,))
    ]
    return {
        "attempts": len(expected),
        "wrong": len(wrong),
        "examples": wrong[:5],
        "events": bench_events(),
    }


def plan(args) -> dict:
    from django.contrib.auth.hashers import make_password
    from django.db import transaction

    from cases.models import Attempt, Case, Status
    from cases.selectors import parsed_case
    from cases.services import record_event, start_attempt
    from edu.accounts.models import Role, User

    before = count()
    state = json.loads(args.state.read_text())
    path_length = len(state["path"])
    case = Case.objects.select_related("current_version").get(slug=state["case"])
    definition = parsed_case(case.current_version)
    commit = {
        "type": "commit",
        "level": definition.localization.answer,
        "diagnosis": definition.diagnosis.answer,
        "confidence": "high",
    }
    # Enough learners that every connection has its share of the actions and some to spare.
    per_connection = -(-args.actions // args.connections) + 2 * path_length
    wanted = args.connections * -(-per_connection // path_length)
    sessions: dict[str, str] = state["learners"]
    with transaction.atomic():
        have = User.objects.filter(username__startswith=LEARNER_PREFIX).count()
        if have < wanted:
            password = make_password(None)  # unusable: bench learners only have sessions
            User.objects.bulk_create(
                User(username=f"{LEARNER_PREFIX}{i:05d}", role=Role.LEARNER, password=password)
                for i in range(have, wanted)
            )
        learners = list(
            User.objects.filter(username__startswith=LEARNER_PREFIX).order_by("username")
        )
        for user in learners:
            if user.username not in sessions:
                sessions[user.username] = make_session(user)
        open_attempts = {
            a.user_id: a
            for a in Attempt.objects.filter(
                user__in=learners, case=case, mode="training", status=Status.IN_PROGRESS
            )
        }
        entries = []
        for user in learners:
            attempt = open_attempts.get(user.pk)
            if attempt is not None and attempt.event_count >= path_length:
                outcome = record_event(
                    attempt=attempt, user=user, event=commit, expected_seq=attempt.event_count
                )
                if not outcome.finished:
                    raise SystemExit(f"could not finish bench attempt {attempt.pk}")
                attempt = None
            if attempt is None:
                attempt = start_attempt(user=user, case=case, mode="training")
            entries.append((attempt.pk, attempt.event_count, sessions[user.username]))
    args.state.write_text(json.dumps(state, indent=1))
    lines, shares = [], [0] * args.connections
    for i, (attempt_id, seq, session) in enumerate(entries):
        connection = i % args.connections
        shares[connection] += path_length - seq
        lines.append(f"{connection} {attempt_id} {seq} {session}")
    args.plan.write_text("\n".join(lines) + "\n")
    return {**before, "learners": len(entries), "fewest_actions_per_connection": min(shares)}


if __name__ == "__main__":
    sys.exit(main())
