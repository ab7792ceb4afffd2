"""`manage.py validate_content`: check every authored file, list each fault, and report on cases.

Faults fail the command (exit 1). For each sound case it also prints how the expert belief
plays out (the belief at the end of the expert path, the findings that tell the answer from its
mimic) and warnings an author should read, which do not fail it unless --strict is given.
"""

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from edu.authoring.registry import CONTENT_KINDS


class Command(BaseCommand):
    help = "Check lessons, cases and questions under content/; print each fault; exit 1 on any."

    def add_arguments(self, parser):
        parser.add_argument("--content-dir", type=Path, default=settings.CONTENT_DIR)
        parser.add_argument(
            "--brief", action="store_true", help="faults and warnings only, no case reports"
        )
        parser.add_argument("--strict", action="store_true", help="fail on warnings too")

    def handle(self, *args, content_dir: Path, brief: bool = False, strict: bool = False, **_):
        if not content_dir.is_dir():
            raise CommandError(f"{content_dir}: no such content folder")
        faults = []
        warnings = []
        for kind in CONTENT_KINDS:
            found = kind.validate(content_dir)
            faults.extend(found)
            self.stdout.write(f"{kind.name}: {len(found)} fault(s)")
            for review in kind.review(content_dir):
                if not brief:
                    for line in review.lines():
                        self.stdout.write(f"  {line}")
                warnings.extend(review.warnings)
        for warning in warnings:
            self.stdout.write(self.style.WARNING(str(warning)))
        for fault in faults:
            self.stderr.write(str(fault))
        if faults:
            raise CommandError(f"{len(faults)} fault(s) in {content_dir}")
        if warnings and strict:
            raise CommandError(f"{len(warnings)} warning(s) in {content_dir} (--strict)")
        note = f" ({len(warnings)} warning(s) to read)" if warnings else ""
        self.stdout.write(self.style.SUCCESS(f"All content is valid.{note}"))
