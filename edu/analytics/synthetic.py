"""SYNTHETIC program-scale data, for measuring the analytics pages: never real learners.

Builds thousands of learners in cohorts with case attempts, their events and quiz sittings in
bulk inserts, fast enough for 5,000 learners, 200,000 attempts and 4 million events in
minutes. Everything it makes is marked: usernames start `synthetic-`, cohorts are called
"Synthetic cohort NN" with codes `synthetic-NN`, and `clear_synthetic` removes it all.

The rows are still true to the engine. For each case version a few hundred paths are played
through the real engine (the expert's route, and random walks of available actions), each
ending in a committed level: right for an able learner, else the level next to it on the
pathway (the usual confusion) or another. An attempt takes one path, padded with working
localization pauses to its length; its summary row holds that path's real scores, so its
events replay to exactly what the row says. Quiz sittings answer right with a probability set
by the learner's ability against the question's difficulty, so item statistics look like a
real bank's: most items discriminate, a few do not.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import math
import random
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

from django.db import connection, transaction
from django.utils import timezone

from cases.engine.levels import LEVEL_IDS
from cases.engine.schema import Case as CaseDefinition
from cases.engine.scoring import expert_events, score
from cases.engine.state import (
    AttemptState,
    EventRejected,
    apply,
    available_actions,
    available_decisions,
    replay,
    start,
)
from cases.models import Attempt, AttemptEvent, Case, Status
from cases.selectors import parsed_case
from edu.accounts.models import Role, User
from edu.cohorts.models import Cohort, Enrolment
from edu.quizzes.models import Answer, Option, QuizAttempt, QuizDefinition, QuizItem
from edu.quizzes.selectors import eligible_questions
from edu.quizzes.services import spread_draw

from .models import CaseAttemptSummary
from .summaries import summary_fields

PREFIX = "synthetic-"
PATHS_PER_CASE = 300
BATCH = 5000
UNUSABLE_PASSWORD = "!synthetic-account-cannot-sign-in"  # noqa: S105 (not a hash: no sign-in)


@dataclass(frozen=True)
class Path:
    """A played-through attempt: its events and every field its Attempt row will hold."""

    events: tuple[dict, ...]
    fields: dict[str, Any]
    summary: dict[str, Any]
    skill: float  # 0..1, how able a learner takes this path


def _commit_level(case: CaseDefinition, rng: random.Random, able: bool) -> str:
    answer = case.localization.answer
    if able:
        return answer
    i = LEVEL_IDS.index(answer) if answer in LEVEL_IDS else 0
    near = [LEVEL_IDS[j] for j in (i - 1, i + 1) if 0 <= j < len(LEVEL_IDS)]
    return rng.choice(near) if near and rng.random() < 0.75 else rng.choice(LEVEL_IDS)


def _finished_fields(case: CaseDefinition, state: AttemptState, n_events: int) -> dict[str, Any]:
    result = score(case, state)
    answer = state.answer
    unit = lambda v: min(1.0, max(0.0, float(v)))  # noqa: E731
    working = state.current_localization
    return {
        "status": Status.FINISHED,
        "event_count": n_events,
        "minutes": state.minute,
        "cost": state.cost,
        "stage": state.stage,
        "working_level": working.level if working else "",
        "chosen_level": answer.level,
        "correct_level": case.localization.answer,
        "diagnosis": answer.diagnosis,
        "diagnosis_correct": (
            answer.diagnosis == case.diagnosis.answer if answer.diagnosis else None
        ),
        "confidence": answer.confidence,
        "score_localization": unit(result.localization),
        "score_thoroughness": unit(result.thoroughness),
        "score_efficiency": unit(result.efficiency),
        "score_safety": unit(result.safety),
        "score_diagnosis": unit(result.diagnosis),
        "score_overall": unit(result.overall),
        "missed_critical": [a.id for a in result.missed_critical_actions],
        "harmful_taken": [a.id for a in result.harmful_actions_taken],
    }


def _walk(case: CaseDefinition, rng: random.Random, skill: float) -> list[dict]:
    """Random available actions (a few decisions among them) until a final stage or enough."""
    state = start(case)
    events: list[dict] = []
    for _ in range(rng.randint(3, 14)):
        actions = list(available_actions(case, state))
        decisions = list(available_decisions(case, state))
        if skill > 0.5:  # abler learners keep to pertinent work
            actions = [a for a in actions if not a.is_harmful] or actions
        pool = actions + (decisions if rng.random() < 0.25 or not actions else [])
        if not pool:
            break
        action = rng.choice(pool)
        event = {
            "type": "choose_decision" if action.is_decision else "take_action",
            "action": action.id,
        }
        try:
            state = apply(case, state, event)
        except EventRejected:
            continue
        events.append(event)
    return events


def case_paths(case: CaseDefinition, rng: random.Random, n: int = PATHS_PER_CASE) -> list[Path]:
    """`n` engine-checked paths through one case version, from expert to weak."""
    paths = []
    expert = [e for e in expert_events(case) if e["type"] != "commit"]
    for k in range(n):
        skill = rng.random()
        body = expert if k % 5 == 0 else _walk(case, rng, skill)
        able = rng.random() < 0.35 + 0.6 * skill
        confidence = rng.choice(("high", "high", "medium") if able else ("low", "medium", "high"))
        diagnosis = case.diagnosis.answer if able and rng.random() < 0.8 else ""
        if not diagnosis and case.diagnosis.options and rng.random() < 0.5:
            diagnosis = rng.choice(case.diagnosis.options).id
        commit = {
            "type": "commit",
            "level": _commit_level(case, rng, able),
            "diagnosis": diagnosis,
            "confidence": confidence,
        }
        state = start(case)
        events = []
        try:
            for event in (*body, commit):
                state = apply(case, state, event)
                events.append(event)
        except EventRejected:
            continue
        paths.append(
            Path(
                events=tuple(events),
                fields=_finished_fields(case, state, len(events)),
                summary=summary_fields(case, state),
                skill=skill,
            )
        )
    return paths


def _padded(path: Path, length: int, rng: random.Random, finished: bool) -> list[dict]:
    """The path's events with working-localization pauses added until `length` (pauses change
    no score), or cut before the commit for an attempt still in progress."""
    body, commit = list(path.events[:-1]), path.events[-1]
    while len(body) + (1 if finished else 0) < length:
        body.insert(
            rng.randint(0, len(body)), {"type": "record_localization", "level": commit["level"]}
        )
    return [*body, commit] if finished else body[: max(1, length)]


@dataclass
class Plan:
    learners: int = 5000
    cohorts: int = 50
    attempts: int = 200_000
    events: int = 4_000_000  # at least this many, in all
    sittings: int = 30_000
    weeks: int = 52
    seed: int = 2026


def clear_synthetic() -> int:
    """Delete every synthetic account (their work goes with them) and synthetic cohort."""
    users = User.objects.filter(username__startswith=PREFIX)
    ids = list(users.values_list("id", flat=True))
    for start_at in range(0, len(ids), BATCH):
        chunk = ids[start_at : start_at + BATCH]
        AttemptEvent.objects.filter(attempt__user_id__in=chunk).delete()
        CaseAttemptSummary.objects.filter(user_id__in=chunk).delete()
        Attempt.objects.filter(user_id__in=chunk).delete()
        Answer.objects.filter(user_id__in=chunk).delete()
        QuizItem.objects.filter(attempt__user_id__in=chunk).delete()
        QuizAttempt.objects.filter(user_id__in=chunk).delete()
    Cohort.objects.filter(code__startswith=PREFIX).delete()
    users.delete()
    return len(ids)


@contextlib.contextmanager
def _own_timestamps(model, *names: str) -> Iterator[None]:
    """Let bulk inserts keep the times we give, not "now" (auto_now / auto_now_add fields)."""
    fields = [model._meta.get_field(name) for name in names]
    saved = [(f.auto_now, f.auto_now_add) for f in fields]
    for f in fields:
        f.auto_now = f.auto_now_add = False
    try:
        yield
    finally:
        for f, (now, now_add) in zip(fields, saved, strict=True):
            f.auto_now, f.auto_now_add = now, now_add


def _bulk(model, rows, *, batch: int = BATCH) -> list:
    made = []
    for i in range(0, len(rows), batch):
        made.extend(model.objects.bulk_create(rows[i : i + batch], batch_size=batch))
    return made


def _insert_events(rows: list[tuple[int, int, dict, dt.datetime]]) -> None:
    """(attempt id, seq, event, time) rows into AttemptEvent. On PostgreSQL by COPY, several
    times faster than multi-row INSERTs for millions of rows; elsewhere by bulk_create."""
    if connection.vendor == "postgresql":
        table = AttemptEvent._meta.db_table
        with connection.cursor() as cursor:
            raw = cursor.cursor  # psycopg's own cursor, for COPY
            with raw.copy(
                f"COPY {table} (attempt_id, seq, event, created_at) FROM STDIN"  # noqa: S608
            ) as copy:
                for attempt_id, seq, event, at in rows:
                    copy.write_row((attempt_id, seq, json.dumps(event), at))
        return
    AttemptEvent.objects.bulk_create(
        [AttemptEvent(attempt_id=a, seq=n, event=e, created_at=at) for a, n, e, at in rows],
        batch_size=BATCH,
    )


def seed(plan: Plan, *, say: Callable[[str], None] = lambda _: None) -> dict[str, int]:
    """Build the plan's synthetic program; returns what it made."""
    rng = random.Random(plan.seed)
    now = timezone.now()
    cases = list(Case.objects.filter(is_active=True).select_related("current_version"))
    cases = [c for c in cases if c.current_version_id]
    if not cases:
        raise ValueError("No cases are loaded: run `manage.py load_content` first.")

    say("learners and cohorts")
    with transaction.atomic():
        users = _bulk(
            User,
            [
                User(
                    username=f"{PREFIX}{i:05d}",
                    first_name="Synthetic",
                    last_name=f"learner {i:05d}",
                    email=f"{PREFIX}{i:05d}@example.invalid",
                    role=Role.LEARNER,
                    password=UNUSABLE_PASSWORD,
                )
                for i in range(plan.learners)
            ],
        )
        cohorts = _bulk(
            Cohort,
            [
                Cohort(name=f"Synthetic cohort {k + 1:02d}", code=f"{PREFIX}{k + 1:02d}")
                for k in range(plan.cohorts)
            ],
        )
        _bulk(
            Enrolment,
            [Enrolment(cohort=cohorts[i % len(cohorts)], learner=u) for i, u in enumerate(users)],
        )
    ability = {u.pk: rng.betavariate(2.5, 2) for u in users}

    say("paths through each case, played by the engine")
    definitions = {case.pk: parsed_case(case.current_version) for case in cases}
    paths = {pk: case_paths(definition, rng) for pk, definition in definitions.items()}
    by_skill = {pk: sorted(p, key=lambda path: path.skill) for pk, p in paths.items()}

    say(f"{plan.attempts} case attempts and at least {plan.events} events")
    span = dt.timedelta(weeks=plan.weeks)
    open_keys: set[tuple[int, int, str]] = set()
    made = {"attempts": 0, "events": 0}
    events_left, attempts_left = plan.events, plan.attempts
    began = time.perf_counter()
    for first in range(0, plan.attempts, BATCH):
        size = min(BATCH, plan.attempts - first)
        rows, chosen = [], []
        for _ in range(size):
            user = rng.choice(users)
            case = rng.choice(cases)
            mode = "assessment" if rng.random() < 0.3 else "training"
            finished = rng.random() < 0.9 or (user.pk, case.pk, mode) in open_keys
            if not finished:
                open_keys.add((user.pk, case.pk, mode))
            options = by_skill[case.pk]
            skill = ability[user.pk]
            path = options[min(len(options) - 1, int(abs(rng.gauss(skill, 0.15)) * len(options)))]
            # Aim at what is left to make, so paths longer than the mean are made up for and
            # the total reaches the plan; the last attempt takes whatever is still missing.
            mean = events_left / attempts_left
            length = max(len(path.events), 1, round(rng.gauss(mean, 4)))
            if attempts_left == 1:
                length = max(length, events_left)
            events = _padded(path, length, rng, finished)
            events_left -= len(events)
            attempts_left -= 1
            started = now - span * rng.random() ** 0.8
            seconds = 120 + 25 * len(events) + rng.randint(0, 900)
            fields = dict(path.fields) if finished else {"status": Status.IN_PROGRESS}
            fields["event_count"] = len(events)
            if not finished:  # where the engine leaves the cut-off path
                state = replay(definitions[case.pk], events)
                working = state.current_localization
                fields.update(
                    correct_level=path.fields["correct_level"],
                    stage=state.stage,
                    minutes=state.minute,
                    cost=state.cost,
                    working_level=working.level if working else "",
                )
            finished_at = started + dt.timedelta(seconds=seconds) if finished else None
            attempt = Attempt(
                user=user,
                case=case,
                case_version_id=case.current_version_id,
                mode=mode,
                state={},  # a cache: unreadable, so the engine replays the events when asked
                started_at=started,
                updated_at=finished_at or started,
                finished_at=finished_at,
                **fields,
            )
            rows.append(attempt)
            chosen.append((events, started, seconds, path if finished else None))
        with (
            transaction.atomic(),
            _own_timestamps(Attempt, "started_at", "updated_at"),
            _own_timestamps(AttemptEvent, "created_at"),
        ):
            saved = Attempt.objects.bulk_create(rows, batch_size=BATCH)
            events_rows, summaries = [], []
            for attempt, (events, started, seconds, path) in zip(saved, chosen, strict=True):
                step = dt.timedelta(seconds=seconds / max(1, len(events)))
                for seq, event in enumerate(events, start=1):
                    events_rows.append((attempt.pk, seq, event, started + step * seq))
                if path is not None:
                    summaries.append(
                        CaseAttemptSummary(
                            attempt=attempt,
                            user_id=attempt.user_id,
                            case_id=attempt.case_id,
                            case_version_id=attempt.case_version_id,
                            finished_at=attempt.finished_at,
                            real_seconds=seconds,
                            **path.summary,
                        )
                    )
            _insert_events(events_rows)
            CaseAttemptSummary.objects.bulk_create(summaries, batch_size=BATCH)
        made["attempts"] += len(saved)
        made["events"] += len(events_rows)
        seconds = time.perf_counter() - began
        say(
            f"  {made['attempts']:,} of {plan.attempts:,} attempts, {made['events']:,} events "
            f"({seconds:.0f} s, about {seconds * (plan.attempts / made['attempts'] - 1):.0f} s "
            "to go)"
        )
    made["sittings"] = _sittings(plan, users, ability, rng, now, say)
    made["learners"], made["cohorts"] = len(users), len(cohorts)
    return made


def _sittings(plan, users, ability, rng, now, say) -> int:
    """Quiz sittings over every active quiz, first sittings flagged, answers in bulk."""
    quizzes = list(QuizDefinition.objects.filter(is_active=True))
    if not quizzes or not plan.sittings:
        return 0
    options = list(
        Option.objects.filter(question__is_active=True).values_list(
            "id", "question_id", "is_correct", "text"
        )
    )
    by_question: dict[int, list[tuple[int, bool, str]]] = {}
    for option_id, question_id, correct, text in options:
        by_question.setdefault(question_id, []).append((option_id, correct, text))
    # Each quiz draws as the quiz service does: its eligible questions, spread over lessons.
    pools: dict[int, dict[str, list[int]]] = {}
    for quiz in quizzes:
        lessons: dict[str, list[int]] = {}
        for question_id, lesson_key in eligible_questions(definition=quiz).values_list(
            "id", "lesson_key"
        ):
            if question_id in by_question:
                lessons.setdefault(lesson_key, []).append(question_id)
        if lessons:
            pools[quiz.pk] = lessons
    quizzes = [quiz for quiz in quizzes if quiz.pk in pools]
    bank = sorted(by_question)
    if not bank or not quizzes:
        return 0
    hardness = {q: rng.gauss(0, 1.1) for q in bank}
    # A few items are flawed: they do not discriminate, or the weaker learners do better.
    slope = {q: rng.choice((2.2, 2.0, 1.6, 1.2, 0.2, -0.6)) for q in bank}
    pull = {q: [rng.random() ** 2 for _ in by_question[q]] for q in bank}
    say(f"{plan.sittings} quiz sittings")
    seen: set[tuple[int, int]] = set()
    span = dt.timedelta(weeks=plan.weeks)
    made = 0
    for first in range(0, plan.sittings, BATCH // 5):
        size = min(BATCH // 5, plan.sittings - first)
        attempts, drawn = [], []
        for _ in range(size):
            user = rng.choice(users)
            quiz = rng.choice(quizzes)
            questions = spread_draw(pools[quiz.pk], quiz.question_count or 10, rng)
            answers = []
            theta = (ability[user.pk] - 0.5) * 4
            for q in questions:
                p = 1 / (1 + math.exp(-(slope[q] * (theta - hardness[q]))))
                opts = by_question[q]
                if rng.random() < p:
                    pick = next(o for o in opts if o[1])
                else:
                    wrong = [(o, w) for o, w in zip(opts, pull[q], strict=True) if not o[1]]
                    pick = rng.choices([o for o, _ in wrong], [w for _, w in wrong])[0]
                answers.append((q, pick, [o[0] for o in opts]))
            right = sum(1 for _, pick, _ in answers if pick[1])
            started = now - span * rng.random() ** 0.8
            first_time = (user.pk, quiz.pk) not in seen
            seen.add((user.pk, quiz.pk))
            attempts.append(
                QuizAttempt(
                    user=user,
                    definition=quiz,
                    mode="exam",
                    status="finished",
                    started_at=started,
                    finished_at=started + dt.timedelta(minutes=8),
                    n_items=len(answers),
                    n_answered=len(answers),
                    n_correct=right,
                    score=right / len(answers),
                    is_first_attempt=first_time,
                )
            )
            drawn.append(answers)
        with transaction.atomic():
            saved = QuizAttempt.objects.bulk_create(attempts)
            items = [
                QuizItem(attempt=a, position=i, question_id=q, option_order=order)
                for a, answers in zip(saved, drawn, strict=True)
                for i, (q, _pick, order) in enumerate(answers, start=1)
            ]
            items = QuizItem.objects.bulk_create(items, batch_size=BATCH)
            flat = [
                (a, answer) for a, answers in zip(saved, drawn, strict=True) for answer in answers
            ]
            Answer.objects.bulk_create(
                [
                    Answer(
                        item=item,
                        attempt=a,
                        user_id=a.user_id,
                        question_id=q,
                        option_id=pick[0],
                        option_text=pick[2],
                        is_correct=pick[1],
                        answered_at=a.started_at,
                    )
                    for item, (a, (q, pick, _order)) in zip(items, flat, strict=True)
                ],
                batch_size=BATCH,
            )
        made += len(saved)
        if made % (BATCH * 2) == 0 or made == plan.sittings:
            say(f"  {made:,} of {plan.sittings:,} sittings")
    return made
