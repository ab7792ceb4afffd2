"""`manage.py seed_demo`: demo accounts (one per role), a demo cohort, and some learner activity.

The activity walks the same services a learner's clicks do (reading, a practice quiz, two
cases), so the demo shows real progress, scores and debriefs. Safe to run any number of times:
accounts are never duplicated and activity is added only once.
"""

import random

from django.core.management.base import BaseCommand

from cases.engine.scoring import expert_events
from cases.models import Attempt, Case
from cases.selectors import parsed_case
from cases.services import record_event
from cases.services import start_attempt as start_case
from edu.accounts.models import Role
from edu.accounts.services import ensure_account
from edu.cohorts.services import ensure_cohort, join_cohort
from edu.lessons.models import Lesson
from edu.lessons.services import mark_lesson_read
from edu.quizzes.models import Option, QuizDefinition
from edu.quizzes.services import answer_item
from edu.quizzes.services import start_attempt as start_quiz

DEMO_ACCOUNTS = [
    ("learner", "learn-motor-unit", Role.LEARNER, "Lee", "Learner"),
    ("instructor", "teach-motor-unit", Role.INSTRUCTOR, "Ida", "Instructor"),
    ("admin", "admin-motor-unit", Role.PROGRAM_ADMIN, "Ada", "Admin"),
]
# (case slug, mode, level committed instead of the answer: None = the right level)
DEMO_CASES = [
    ("gbs-ascending", "training", None),
    ("cervical-radiculopathy", "assessment", "peripheral-nerve"),
]


class Command(BaseCommand):
    help = "Create the demo learner, instructor and program admin, a demo cohort and activity."

    def handle(self, *args, **options):
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
        cohort = ensure_cohort(
            name="Neurology clerkship (demo)",
            code="demo-clerkship",
            instructors=[users[Role.INSTRUCTOR]],
        )
        join_cohort(cohort=cohort, learner=users[Role.LEARNER])
        self.stdout.write(f"Demo cohort '{cohort.name}' (join code {cohort.code}).")
        self.stdout.write(seed_activity(users[Role.LEARNER]))


def seed_activity(learner) -> str:
    """Give the demo learner some history, once. Returns a line saying what happened."""
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
        attempt = start_quiz(user=learner, definition=definition, mode="practice", rng=rng)
        for item in attempt.items.all():
            options = list(Option.objects.filter(pk__in=item.option_order))
            # Mostly right, sometimes wrong, so progress and review both have something to show.
            options.sort(key=lambda o: (o.is_correct != (item.position % 3 != 0), o.position))
            answer_item(attempt=attempt, position=item.position, option_id=options[0].pk)
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
