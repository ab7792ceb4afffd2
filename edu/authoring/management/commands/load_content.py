"""`manage.py load_content`: sync content/ into the database, idempotently.

Everything is validated first and nothing is written if any file has a fault. Loading creates
and updates; it never deletes learner work (a removed lesson or question is withdrawn, a changed
case gets a new version and old attempts stay pinned to theirs). It ends by saying how many
questions learners see (approved) and how many still wait for an author's approval (drafts).
"""

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.db.models import Count, Q

from edu.authoring.registry import CONTENT_KINDS, LoadReport
from edu.quizzes.models import Question, Status


class Command(BaseCommand):
    help = "Load lessons, cases and questions from content/ into the database."

    def add_arguments(self, parser):
        parser.add_argument("--content-dir", type=Path, default=settings.CONTENT_DIR)

    def handle(self, *args, content_dir: Path, **options):
        if not content_dir.is_dir():
            raise CommandError(f"{content_dir}: no such content folder")
        faults = [fault for kind in CONTENT_KINDS for fault in kind.validate(content_dir)]
        if faults:
            for fault in faults:
                self.stderr.write(str(fault))
            raise CommandError(f"{len(faults)} fault(s); nothing was loaded. Fix them and retry.")
        report = LoadReport()
        with transaction.atomic():
            for kind in CONTENT_KINDS:
                self.stdout.write(f"Loading {kind.name}…")
                kind.load(content_dir, report)
        for line in report.lines() or ["nothing to load"]:
            self.stdout.write(line)
        self.stdout.write(question_bank_line())
        self.stdout.write(self.style.SUCCESS("Content loaded."))


def question_bank_line() -> str:
    """Approved (seen by learners) and draft questions in the bank, withdrawn ones left out."""
    bank = Question.objects.filter(is_active=True).aggregate(
        approved=Count("pk", filter=Q(status=Status.APPROVED)),
        drafts=Count("pk", filter=Q(status=Status.DRAFT)),
    )
    return (
        f"questions in the bank: {bank['approved']} approved, {bank['drafts']} drafts "
        "(drafts are hidden from learners until approved)"
    )
