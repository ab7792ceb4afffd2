"""`manage.py import_document SOURCE`: a source document in, lessons and draft questions out.

A thin shell around `edu.lessons.importer`: it picks the content folder (or `--out`), turns an
`ImportFailed` into a one-line `CommandError` (Django prints it without a traceback and exits
with status 1) and prints the importer's summary.
"""

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from edu.lessons.importer import ImportFailed, import_document, summary_lines


class Command(BaseCommand):
    help = (
        "Import a source document (.txt web-page copy or .md) into one Markdown lesson per "
        "section under content/lessons/<topic>/, plus draft questions in "
        "content/questions/<topic>-drafts.toml. Files are written only when they change."
    )

    def add_arguments(self, parser):
        parser.add_argument("source", type=Path, help="the .txt or .md document to import")
        parser.add_argument(
            "--topic",
            help="topic slug for the lessons (default: the source file name without extension)",
        )
        parser.add_argument(
            "--out",
            type=Path,
            help="write lessons/ and questions/ under this folder instead of content/",
        )

    def handle(self, *args, source: Path, topic: str | None, out: Path | None, **options):
        root = out if out is not None else Path(settings.CONTENT_DIR)
        try:
            report = import_document(source, root=root, topic=topic, shown=str(source))
        except ImportFailed as failure:
            raise CommandError(str(failure)) from None
        for line in summary_lines(report, relative_to=Path.cwd()):
            self.stdout.write(line)
