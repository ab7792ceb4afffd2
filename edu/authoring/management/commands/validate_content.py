"""`manage.py validate_content`: check every authored file and list each fault."""

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from edu.authoring.registry import CONTENT_KINDS


class Command(BaseCommand):
    help = "Check lessons, cases and questions under content/; print each fault; exit 1 on any."

    def add_arguments(self, parser):
        parser.add_argument("--content-dir", type=Path, default=settings.CONTENT_DIR)

    def handle(self, *args, content_dir: Path, **options):
        if not content_dir.is_dir():
            raise CommandError(f"{content_dir}: no such content folder")
        faults = []
        for kind in CONTENT_KINDS:
            found = kind.validate(content_dir)
            faults.extend(found)
            self.stdout.write(f"{kind.name}: {len(found)} fault(s)")
        for fault in faults:
            self.stderr.write(str(fault))
        if faults:
            raise CommandError(f"{len(faults)} fault(s) in {content_dir}")
        self.stdout.write(self.style.SUCCESS("All content is valid."))
