"""`manage.py seed_demo [--learners N] [--cohorts M]`: demo accounts (one per role), demo cohorts
of learners with assignments, and realistic activity.

All activity walks the same services a learner's clicks do (joining, reading, quizzes answered
one by one, cases played event by event through the engine), with the clock set back so work
spreads over the past three weeks: strong, middling and weak learners, the usual confusions
(root for nerve, junction for muscle and back), some work late, some left unfinished, and
review cards that are due. Safe to run any number of times: accounts, cohorts and assignments
are never duplicated, and a learner who already has activity gets none added.

The default (`make run`) is one cohort of twelve learners, so an instructor sees a filled grid
at first start; `--learners 300 --cohorts 3` builds a rotation-sized demo. `--program-scale`
adds, in bulk inserts, the SYNTHETIC program the analytics pages are measured at (5,000
learners, 50 cohorts, 200,000 case attempts, at least 4 million events, 30,000 quiz sittings;
`manage.py seed_synthetic`, which also sizes and removes it).
"""

from __future__ import annotations

import contextlib
import itertools
import random
import time
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta
from unittest import mock

from django.contrib.auth.hashers import make_password
from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone

from cases.engine.scoring import expert_events
from cases.models import Attempt, Case
from cases.selectors import parsed_case
from cases.services import record_event
from cases.services import start_attempt as start_case
from edu.accounts.models import Role, User
from edu.accounts.services import ensure_account
from edu.analytics import synthetic
from edu.cohorts.models import Assignment, Cohort, Kind
from edu.cohorts.services import create_assignment, ensure_cohort, join_cohort
from edu.lessons.models import Lesson, LessonProgress
from edu.lessons.services import mark_lesson_read
from edu.quizzes.models import Option, QuizAttempt, QuizDefinition
from edu.quizzes.services import answer_item, submit_attempt
from edu.quizzes.services import start_attempt as start_quiz

DEMO_ACCOUNTS = [
    ("learner", "learn-motor-unit", Role.LEARNER, "Lee", "Learner"),
    ("instructor", "teach-motor-unit", Role.INSTRUCTOR, "Ida", "Instructor"),
    ("admin", "admin-motor-unit", Role.PROGRAM_ADMIN, "Ada", "Admin"),
]
DEMO_LEARNER_PASSWORD = DEMO_ACCOUNTS[0][1]  # every generated demo learner signs in with it
# (case slug, mode, level committed instead of the answer: None = the right level)
DEMO_CASES = [
    ("gbs-ascending", "training", None),
    ("cervical-radiculopathy", "assessment", "peripheral-nerve"),
]
FIRST_NAMES = (
    *("Amara", "Ben", "Chloe", "Dev", "Elif", "Femi", "Grace", "Hugo", "Ines", "Jon", "Kiri"),
    *("Lena", "Malik", "Nora", "Omar", "Priya", "Quinn", "Rosa", "Sami", "Tara", "Umar"),
    *("Vera", "Wes", "Xin", "Yara", "Zane"),
)
LAST_NAMES = (
    *("Adeyemi", "Brandt", "Costa", "Dubois", "Eriksen", "Fischer", "Garcia", "Haddad", "Ito"),
    *("Jensen", "Kowalski", "Larsen", "Moreau", "Nakamura", "Okafor", "Patel", "Quist"),
    *("Rossi", "Silva", "Tanaka", "Ueda", "Varga", "Weber", "Young", "Zielinski"),
)

# The confusions learners typically make, by true level.
CONFUSIONS = {
    "nerve-root": "peripheral-nerve",
    "peripheral-nerve": "nerve-root",
    "neuromuscular-junction": "muscle",
    "muscle": "neuromuscular-junction",
    "anterior-horn-cell": "nerve-root",
    "upper-motor-neuron": "anterior-horn-cell",
    "not-weakness": "muscle",
}


@dataclass(frozen=True)
class Profile:
    name: str
    does: float  # chance of doing an assignment at all
    finishes: float  # chance of finishing what they start
    right_level: float  # chance a case is committed at the right level
    right_answer: float  # chance a question is answered right
    thorough: float  # share of the expert's work-up they do
    late: float  # chance work comes after the due date


PROFILES = (
    Profile("strong", 0.97, 0.97, 0.9, 0.88, 1.0, 0.05),
    Profile("middling", 0.85, 0.85, 0.65, 0.68, 0.7, 0.2),
    Profile("weak", 0.65, 0.65, 0.35, 0.45, 0.45, 0.4),
)

BATCH = 25

# (kind, item, mode, opens days ago, due in days (negative: past), attempts limit)
ASSIGNMENTS = (
    ("lesson", 0, "training", 21, -14, None),
    ("case", "gbs-ascending", "training", 20, -10, None),
    ("quiz", 0, "training", 14, -7, None),
    ("case", "myasthenic-crisis", "assessment", 10, -3, 1),
    ("case", "cervical-radiculopathy", "assessment", 5, 2, 1),
    ("case", "dermatomyositis", "training", 2, 7, None),
)


@contextlib.contextmanager
def clock(at: datetime) -> Iterator[None]:
    """Run services as if it were `at`: every timezone.now() they (and Django's auto dates)
    read comes from a clock that starts there and ticks on a few seconds a call."""
    ticks = itertools.count()
    with mock.patch(
        "django.utils.timezone.now", side_effect=lambda: at + timedelta(seconds=7 * next(ticks))
    ):
        yield


class Command(BaseCommand):
    help = "Create demo accounts, demo cohorts of learners with assignments, and activity."

    def add_arguments(self, parser):
        parser.add_argument("--learners", type=int, default=12, help="Demo learners (12).")
        parser.add_argument("--cohorts", type=int, default=1, help="Cohorts to spread them in.")
        parser.add_argument(
            "--program-scale",
            action="store_true",
            help="Also build the SYNTHETIC program-scale data (seed_synthetic's defaults).",
        )

    def handle(self, *args, **options):
        started = time.perf_counter()
        n_learners, n_cohorts = max(0, options["learners"]), max(1, options["cohorts"])
        users = {}
        self.stdout.write("Demo accounts:")
        for username, password, role, first, last in DEMO_ACCOUNTS:
            extra = {"is_staff": True, "is_superuser": True} if role == Role.PROGRAM_ADMIN else {}
            user, created = ensure_account(
                username=username,
                password=password,
                role=role,
                first_name=first,
                last_name=last,
                **extra,
            )
            users[role] = user
            state = "created" if created else "exists"
            self.stdout.write(
                f"  {role.label:<14} username {username:<11} password {password}  ({state})"
            )
        instructor = users[Role.INSTRUCTOR]
        cohorts = [
            ensure_cohort(
                name="Neurology clerkship (demo)", code="demo-clerkship", instructors=[instructor]
            )
        ] + [
            ensure_cohort(
                name=f"Neurology clerkship, block {i} (demo)",
                code=f"demo-block-{i}",
                instructors=[instructor],
            )
            for i in range(2, n_cohorts + 1)
        ]
        join_cohort(cohort=cohorts[0], learner=users[Role.LEARNER])
        learners = ensure_learners(n_learners)
        with transaction.atomic():  # one commit (one disk sync on SQLite) for all the joins
            for i, learner in enumerate(learners):
                join_cohort(cohort=cohorts[i % len(cohorts)], learner=learner)
        for cohort in cohorts:
            self.stdout.write(f"Demo cohort '{cohort.name}' (join code {cohort.code}).")
        with transaction.atomic():
            self.stdout.write(seed_activity(users[Role.LEARNER]))
        if not Case.objects.filter(is_active=True).exists():
            self.stdout.write("Cohort activity: skipped (no content loaded; run load_content).")
            return
        now = timezone.now()
        with transaction.atomic():
            assignments = {cohort.pk: ensure_assignments(cohort, now) for cohort in cohorts}
        busy = set(Attempt.objects.filter(user__in=learners).values_list("user_id", flat=True))
        busy |= set(QuizAttempt.objects.filter(user__in=learners).values_list("user_id", flat=True))
        busy |= set(
            LessonProgress.objects.filter(user__in=learners).values_list("user_id", flat=True)
        )
        todo = [(i, learner) for i, learner in enumerate(learners) if learner.pk not in busy]
        # A transaction per batch of learners: on SQLite each commit is a disk sync.
        for start in range(0, len(todo), BATCH):
            with transaction.atomic():
                for i, learner in todo[start : start + BATCH]:
                    rng = random.Random(learner.username)  # the same demo every time
                    profile = PROFILES[0 if i % 5 in (0, 1) else 1 if i % 5 in (2, 3) else 2]
                    cohort = cohorts[i % len(cohorts)]
                    play_learner(learner, assignments[cohort.pk], profile, rng, now)
        seeded = len(todo)
        self.stdout.write(
            f"Cohort activity: {seeded} learners given activity, {len(learners) - seeded} "
            f"already had some ({time.perf_counter() - started:.1f} s)."
        )
        if options["program_scale"]:
            self.program_scale()

    def program_scale(self) -> None:
        """The synthetic program for the analytics pages, made once (run again: left alone)."""
        if User.objects.filter(username__startswith=synthetic.PREFIX).exists():
            self.stdout.write(
                "Program scale: synthetic data already present "
                "(`manage.py seed_synthetic --replace` makes it again)."
            )
            return
        call_command("seed_synthetic", stdout=self.stdout, stderr=self.stderr)


def ensure_learners(n: int) -> list[User]:
    """Learners demo001…demoNNN, made in one bulk insert (one password hash shared by all)."""
    names = [f"demo{i:03d}" for i in range(1, n + 1)]
    existing = set(User.objects.filter(username__in=names).values_list("username", flat=True))
    missing = [name for name in names if name not in existing]
    if missing:
        password = make_password(DEMO_LEARNER_PASSWORD)
        User.objects.bulk_create(
            User(
                username=name,
                email=f"{name}@example.org",
                first_name=FIRST_NAMES[int(name[4:]) % len(FIRST_NAMES)],
                last_name=LAST_NAMES[(int(name[4:]) * 7) % len(LAST_NAMES)],
                role=Role.LEARNER,
                password=password,
            )
            for name in missing
        )
    return list(User.objects.filter(username__in=names).order_by("username"))


def ensure_assignments(cohort: Cohort, now: datetime) -> list[Assignment]:
    """The demo assignments, made once per cohort (its existing ones are kept as they are)."""
    found = list(Assignment.objects.filter(cohort=cohort).select_related("lesson", "quiz", "case"))
    if found:
        return found
    lessons = list(Lesson.objects.filter(is_active=True).order_by("topic__title", "order"))
    quizzes = list(QuizDefinition.objects.filter(is_active=True, lesson__isnull=False))
    made = []
    for kind, item, mode, opened, due, limit in ASSIGNMENTS:
        if kind == Kind.LESSON:
            target = lessons[item] if len(lessons) > item else None
        elif kind == Kind.QUIZ:
            target = quizzes[item] if len(quizzes) > item else None
        else:
            target = Case.objects.filter(slug=item, is_active=True).first()
        if target is None:
            continue
        made.append(
            create_assignment(
                cohort=cohort,
                kind=kind,
                target=target,
                opens_at=now - timedelta(days=opened),
                due_at=now + timedelta(days=due),
                attempts_limit=limit,
                mode=mode,
            )
        )
    return made


def _when(assignment: Assignment, profile: Profile, rng: random.Random, now: datetime):
    """When this learner does the work: on time, or late if past due (never in the future)."""
    start, due = assignment.opens_at, min(assignment.due_at, now)
    if assignment.due_at < now and rng.random() < profile.late:
        start, due = assignment.due_at, now
    span = max(60.0, (due - start).total_seconds() - 3600)
    return start + timedelta(seconds=rng.uniform(0, span * 0.9))


def play_learner(learner, assignments, profile: Profile, rng: random.Random, now: datetime):
    """Work through the cohort's assignments as this kind of learner would. Everyone has read
    at least the first lesson, so a learner once seeded is never seeded again."""
    did_something = False
    for assignment in assignments:
        if now < assignment.opens_at:
            continue
        # Work not yet due has been done by fewer learners the less of its time has passed.
        window = (assignment.due_at - assignment.opens_at).total_seconds()
        elapsed = min(1.0, (now - assignment.opens_at).total_seconds() / window)
        if rng.random() > profile.does * elapsed:
            continue
        at = _when(assignment, profile, rng, now)
        finish = rng.random() < profile.finishes
        with clock(at):
            if assignment.kind == Kind.LESSON:
                mark_lesson_read(user=learner, lesson=assignment.lesson)
            elif assignment.kind == Kind.QUIZ:
                play_quiz(learner, assignment, profile, rng, finish)
            else:
                play_case(learner, assignment, profile, rng, finish)
        did_something = True
    first_lesson = next((a for a in assignments if a.kind == Kind.LESSON), None)
    if not did_something and first_lesson is not None:
        with clock(_when(first_lesson, profile, rng, now)):
            mark_lesson_read(user=learner, lesson=first_lesson.lesson)


def play_case(learner, assignment, profile: Profile, rng: random.Random, finish: bool) -> None:
    attempt = start_case(user=learner, case=assignment.case, mode=assignment.mode)
    case = parsed_case(attempt.case_version)
    events = expert_events(case, commit=False)
    keep = max(1, round(len(events) * profile.thorough * rng.uniform(0.8, 1.0)))
    if not finish:
        keep = max(1, keep // 2)
    events = events[:keep]
    if finish:
        level = case.localization.answer
        if rng.random() > profile.right_level:
            level = CONFUSIONS.get(level, level)
        diagnosis = case.diagnosis.answer if level == case.localization.answer else ""
        events.append(
            {
                "type": "commit",
                "level": level,
                "diagnosis": diagnosis,
                "confidence": rng.choice(["low", "medium", "high"]),
            }
        )
    seq = attempt.event_count
    for event in events:
        outcome = record_event(attempt=attempt, user=learner, event=event, expected_seq=seq)
        seq = outcome.attempt.event_count
        if outcome.finished:
            break


def play_quiz(learner, assignment, profile: Profile, rng: random.Random, finish: bool) -> None:
    mode = "exam" if assignment.is_assessment else "practice"
    attempt = start_quiz(
        user=learner, definition=assignment.quiz, mode=mode, rng=random.Random(rng.random())
    )
    items = list(attempt.items.select_related("question"))
    options = {}
    for option in Option.objects.filter(question_id__in=[item.question_id for item in items]):
        options.setdefault(option.question_id, []).append(option)
    stop = len(items) if finish else rng.randint(1, max(1, len(items) - 1))
    for item in items[:stop]:
        choices = options.get(item.question_id, [])
        right = [o for o in choices if o.is_correct]
        wrong = [o for o in choices if not o.is_correct]
        confused = CONFUSIONS.get(item.question.level)
        if rng.random() < profile.right_answer or not wrong:
            chosen = right[0]
        else:
            typical = [o for o in wrong if confused and o.level == confused]
            chosen = typical[0] if typical and rng.random() < 0.7 else rng.choice(wrong)
        answer_item(attempt=attempt, position=item.position, option_id=chosen.pk)
    if finish and attempt.mode == "exam":
        submit_attempt(attempt=attempt)


def seed_activity(learner) -> str:
    """Give the demo learner some history, once. Returns a line saying what happened.

    Their quiz was taken five days ago, so by now some of its questions are due for review.
    """
    if Attempt.objects.filter(user=learner).exists():
        return "Demo activity: already present."
    if not Case.objects.exists():
        return "Demo activity: skipped (no content loaded; run load_content first)."
    lessons = list(Lesson.objects.filter(is_active=True).select_related("topic")[:2])
    for lesson in lessons:
        mark_lesson_read(user=learner, lesson=lesson)
    quizzes = 0
    definition = QuizDefinition.objects.filter(lesson__in=lessons, is_active=True).first()
    if definition is not None:
        rng = random.Random(7)  # the same demo every time
        days_ago = timezone.now() - timedelta(days=5)
        attempt = start_quiz(
            user=learner, definition=definition, mode="practice", rng=rng, now=days_ago
        )
        for item in attempt.items.all():
            options = list(Option.objects.filter(pk__in=item.option_order))
            # Mostly right, sometimes wrong, so progress and review both have something to show.
            options.sort(key=lambda o: (o.is_correct != (item.position % 3 != 0), o.position))
            answer_item(
                attempt=attempt,
                position=item.position,
                option_id=options[0].pk,
                now=days_ago + timedelta(seconds=40 * item.position),
            )
        quizzes = 1
    cases = 0
    for slug, mode, level in DEMO_CASES:
        case = Case.objects.filter(slug=slug, is_active=True).first()
        if case is None:
            continue
        attempt = start_case(user=learner, case=case, mode=mode)
        events = expert_events(parsed_case(attempt.case_version), commit=True)
        if level is not None:
            events[-1] = {**events[-1], "level": level, "confidence": "medium"}
        for seq, event in enumerate(events):
            outcome = record_event(attempt=attempt, user=learner, event=event, expected_seq=seq)
            if not outcome.recorded:
                raise RuntimeError(f"demo case {slug}: {outcome.message}")
        cases += 1
    return (
        f"Demo activity: {len(lessons)} lessons read, {quizzes} practice quiz, "
        f"{cases} cases finished."
    )
