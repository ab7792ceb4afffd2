"""`manage.py import_document SOURCE`: a source document in, lessons and draft questions out.

A thin shell around `edu.lessons.importer`: it picks the content folder (or `--out`), turns an
`ImportFailed` into a one-line `CommandError` (Django prints it without a traceback and exits
with status 1) and prints the importer's summary. `--explain` prints every input line with
what it became and writes nothing.
"""

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from edu.lessons.importer import ImportFailed, plan_import, summary_lines, write_plan
from edu.lessons.importer.explain import explain_lines


class Command(BaseCommand):
    help = (
        "Import a source document (a .txt web-page copy, Markdown, a saved web page, a PDF or a "
        "Word .docx; the type is read from the content) into one Markdown lesson per section "
        "under content/lessons/<topic>/, plus draft questions in "
        "content/questions/<topic>-drafts.toml. Files are written only when they change."
    )

    def add_arguments(self, parser):
        parser.add_argument("source", type=Path, help="the document to import")
        parser.add_argument(
            "--topic",
            help="topic slug for the lessons (default: the source file name without extension)",
        )
        parser.add_argument(
            "--out",
            type=Path,
            help="write lessons/ and questions/ under this folder instead of content/",
        )
        parser.add_argument(
            "--explain",
            action="store_true",
            help="print each input line with what it became (heading, body, list item, "
            "reference, citation, furniture dropped and by which rule); writes nothing",
        )

    def handle(
        self,
        *args,
        source: Path,
        topic: str | None,
        out: Path | None,
        explain: bool = False,
        **options,
    ):
        root = out if out is not None else Path(settings.CONTENT_DIR)
        try:
            plan = plan_import(source, topic=topic, shown=str(source))
            if explain:
                for line in explain_lines(plan):
                    self.stdout.write(line)
                self.stdout.write("nothing written (--explain)")
                return
            report = write_plan(plan, root)
        except ImportFailed as failure:
            raise CommandError(str(failure)) from None
        for line in summary_lines(report, relative_to=Path.cwd()):
            self.stdout.write(line)
