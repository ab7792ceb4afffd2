"""`manage.py seed_demo`: demo accounts (one per role) and a demo cohort; safe to run twice."""

from django.core.management.base import BaseCommand

from edu.accounts.models import Role
from edu.accounts.services import ensure_account
from edu.cohorts.services import ensure_cohort, join_cohort

DEMO_ACCOUNTS = [
    ("learner", "learn-motor-unit", Role.LEARNER, "Lee", "Learner"),
    ("instructor", "teach-motor-unit", Role.INSTRUCTOR, "Ida", "Instructor"),
    ("admin", "admin-motor-unit", Role.PROGRAM_ADMIN, "Ada", "Admin"),
]


class Command(BaseCommand):
    help = "Create the demo learner, instructor and program admin, and a demo cohort."

    def handle(self, *args, **options):
        users = {}
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
        self.stdout.write(
            self.style.SUCCESS(f"Demo cohort '{cohort.name}' (join code {cohort.code}).")
        )
