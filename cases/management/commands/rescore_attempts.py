"""`manage.py rescore_attempts`: score stored finished attempts again under the current rules.

Prints each attempt's old and new overall and localization scores side by side. Without
--dry-run the attempt rows take the new scores and the old ones are kept in ScoreRevision rows
for audit; attempts stay on the case version they were played on.
"""

from django.core.management.base import BaseCommand, CommandError

from cases.engine.scoring import SCORING_VERSION
from cases.models import Attempt, Status
from cases.services import rescore_attempt


def _percent(value: float | None) -> str:
    return "-" if value is None else f"{round(value * 100)}%"


class Command(BaseCommand):
    help = "Re-score finished case attempts under the current scoring rules, old beside new."

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="show, change nothing")
        parser.add_argument("--case", help="only attempts at the case with this slug")
        parser.add_argument(
            "--all",
            action="store_true",
            help="also show attempts already scored under the current rules",
        )

    def handle(self, *args, dry_run: bool, case: str | None, all: bool, **options):
        attempts = Attempt.objects.filter(status=Status.FINISHED).select_related("case", "user")
        if case:
            attempts = attempts.filter(case__slug=case)
            if not attempts.exists() and not Attempt.objects.filter(case__slug=case).exists():
                raise CommandError(f"No attempts at a case called '{case}'.")
        if not all:
            attempts = attempts.filter(scoring_version__lt=SCORING_VERSION)
        header = (
            f"{'attempt':>7}  {'case':<24} {'learner':<16} "
            f"{'overall old -> new':>20}  {'localization old -> new':>24}"
        )
        self.stdout.write(header)
        changed = shown = 0
        # Read up front: the rows are written to as the loop goes.
        for attempt in list(attempts.defer("state").order_by("pk")):
            result = rescore_attempt(attempt=attempt, dry_run=dry_run)
            changed += result.revision is not None
            shown += 1
            overall = f"{_percent(result.old['overall'])} -> {_percent(result.new['overall'])}"
            place = (
                f"{_percent(result.old['localization'])} -> {_percent(result.new['localization'])}"
            )
            self.stdout.write(
                f"{attempt.pk:>7}  {attempt.case.slug:<24} {attempt.user.get_username():<16} "
                f"{overall:>20}  {place:>24}"
            )
        verb = "would be re-scored" if dry_run else "re-scored"
        count = shown if dry_run else changed
        self.stdout.write(
            self.style.SUCCESS(
                f"{count} attempt(s) {verb} under scoring v{SCORING_VERSION}; "
                "old scores are kept in score revisions."
            )
        )
