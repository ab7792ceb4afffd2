"""`manage.py load_content`: sync content/ into the database, idempotently.

Everything is validated first and nothing is written if any file has a fault. Loading creates
and updates; it never deletes learner work (a removed lesson or question is withdrawn, a changed
case gets a new version and old attempts stay pinned to theirs).
"""

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from edu.authoring.registry import CONTENT_KINDS, LoadReport


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
        self.stdout.write(self.style.SUCCESS("Content loaded."))
