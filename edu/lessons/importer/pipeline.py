"""Imports a document: parse, build every output in memory, then write what changed.

Nothing is written until the whole document has parsed and every lesson and draft question has
been built, so a failed import leaves the content folder exactly as it was. Each file is written
atomically (a temporary file, then `os.replace`) and only when its text differs, so importing
the same document twice reports every file "unchanged".
"""

from __future__ import annotations

import os
import re
import tempfile
from dataclasses import dataclass, replace
from pathlib import Path, PurePosixPath

from .decoding import decode_source
from .document import Document
from .drafts import DraftQuestion, draft_questions, render_drafts
from .errors import ImportFailed, Notice
from .formats import MOST_BYTES, sniff
from .furniture import Removal
from .inline import slugify
from .layouts import by_name
from .lessons import Lesson, build_lessons
from .markdown_source import parse_markdown
from .plaintext import parse_plain
from .sandbox import convert

PARSERS = {
    ".txt": parse_plain,
    ".text": parse_plain,
    ".md": parse_markdown,
    ".markdown": parse_markdown,
}
# How the command and the site tell what a file is: by its bytes (see formats.sniff).
_TOPIC = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
_TYPES = "import a web-page copy (.txt), Markdown (.md), a saved web page (.html), a PDF or a .docx"
_MARKDOWN_HEADING = re.compile(r"^#{1,6} \S", re.MULTILINE)


@dataclass(frozen=True)
class PlannedFile:
    """A file to write, relative to the content folder (`lessons/<topic>/01-x.md`)."""

    path: PurePosixPath
    text: str


@dataclass(frozen=True)
class ImportPlan:
    """Everything an import would write, built before anything is written."""

    source: str
    topic: str
    document: Document
    lessons: tuple[Lesson, ...]
    questions: tuple[DraftQuestion, ...]
    files: tuple[PlannedFile, ...]
    notices: tuple[Notice, ...]
    kind: str = "text"
    source_text: str = ""

    @property
    def resolved_citations(self) -> int:
        return sum(c.resolved for lesson in self.lessons for c in lesson.citations)

    @property
    def unresolved_citations(self) -> tuple[int, ...]:
        """Each unresolved citation marker's number, once per marker."""
        return tuple(
            c.number for lesson in self.lessons for c in lesson.citations if not c.resolved
        )


@dataclass(frozen=True)
class WrittenFile:
    path: Path
    outcome: str  # "written" or "unchanged"


@dataclass(frozen=True)
class ImportReport:
    """What an import found and did."""

    plan: ImportPlan
    files: tuple[WrittenFile, ...]
    stale: tuple[Path, ...]


def plan_import(
    source: Path,
    *,
    topic: str | None = None,
    shown: str | None = None,
    isolated: bool = True,
) -> ImportPlan:
    """Parses `source` and builds every output in memory; raises `ImportFailed`."""
    shown = shown or str(source)
    try:
        data = source.read_bytes()
    except IsADirectoryError:
        raise ImportFailed(shown, None, "is a folder, not a document") from None
    except OSError as exc:
        reason = exc.strerror or exc.__class__.__name__
        raise ImportFailed(shown, None, f"cannot read the document: {reason}") from None
    return plan_import_bytes(
        data,
        name=source.name,
        topic=topic if topic is not None else slugify(source.stem),
        shown=shown,
        isolated=isolated,
    )


def plan_import_bytes(
    data: bytes, *, name: str, topic: str, shown: str | None = None, isolated: bool = True
) -> ImportPlan:
    """`plan_import` for bytes already in memory (an upload); the type comes from the bytes,
    the name only tells Markdown from plain text."""
    shown = shown or name
    if not _TOPIC.fullmatch(topic):
        raise ImportFailed(
            shown,
            None,
            f"topic '{topic}' must be a lowercase slug such as 'neuromuscular-weakness'",
        )
    if len(data) > MOST_BYTES:
        raise ImportFailed(
            shown, None, f"the file is {len(data) // (1024 * 1024)} MB; the limit is 10 MB"
        )
    kind = sniff(data, shown) if data else "text"
    removals: tuple[Removal, ...] = ()
    if kind == "text":
        suffix = PurePosixPath(name).suffix.lower()
        if suffix in (".pdf", ".docx", ".html", ".htm"):
            raise ImportFailed(
                shown, None, f"the file is named {suffix} but its content is not: {_TYPES}"
            )
        if suffix not in PARSERS and suffix:
            raise ImportFailed(shown, None, f"unsupported document type '{suffix}': {_TYPES}")
        text = decode_source(data, shown)
        parser = PARSERS.get(suffix) or (
            parse_markdown if _MARKDOWN_HEADING.search(text) else parse_plain
        )
        source_text = text
        document = parser(text, shown)
        kind = "markdown" if parser is parse_markdown else "text"
    else:
        converted = convert(kind, data, shown, isolated=isolated)
        removals = converted.removals
        source_text = converted.markdown
        document = parse_markdown(converted.markdown, shown)
    if removals:
        document = replace(document, furniture=(*removals, *document.furniture))
    lessons, lesson_notices = build_lessons(document, topic)
    questions, question_notices = draft_questions(document, lessons, topic)
    files = [
        PlannedFile(PurePosixPath("lessons", topic, lesson.filename), lesson.text)
        for lesson in lessons
    ]
    if questions:
        files.append(
            PlannedFile(
                PurePosixPath("questions", f"{topic}-drafts.toml"),
                render_drafts(questions, topic, name),
            )
        )
    notices = sorted(
        (*document.notices, *lesson_notices, *question_notices), key=lambda notice: notice.line
    )
    return ImportPlan(
        shown, topic, document, lessons, questions, tuple(files), tuple(notices), kind, source_text
    )


def write_plan(plan: ImportPlan, root: Path) -> ImportReport:
    """Writes the planned files under `root`, each only if its text changed."""
    written: list[WrittenFile] = []
    for planned in plan.files:
        target = root.joinpath(*planned.path.parts)
        if _current_text(target) == planned.text:
            written.append(WrittenFile(target, "unchanged"))
            continue
        _write_atomically(target, planned.text)
        written.append(WrittenFile(target, "written"))
    lesson_dir = root / "lessons" / plan.topic
    planned_paths = {file.path for file in written}
    stale = tuple(sorted(path for path in lesson_dir.glob("*.md") if path not in planned_paths))
    return ImportReport(plan, tuple(written), stale)


def import_document(
    source: Path, *, root: Path, topic: str | None = None, shown: str | None = None
) -> ImportReport:
    """Plans and writes an import; raises `ImportFailed` before writing anything if it fails."""
    return write_plan(plan_import(source, topic=topic, shown=shown), root)


def _current_text(path: Path) -> str | None:
    try:
        return path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return None


def _write_atomically(path: Path, text: str) -> None:
    temporary: str | None = None
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        descriptor, temporary = tempfile.mkstemp(
            dir=path.parent, prefix=f".{path.name}.", suffix=".tmp"
        )
        with os.fdopen(descriptor, "w", encoding="utf-8", newline="\n") as handle:
            handle.write(text)
        os.replace(temporary, path)
        temporary = None
    except OSError as exc:
        raise ImportFailed(str(path), None, f"cannot write: {exc.strerror or exc}") from None
    finally:
        if temporary is not None and os.path.exists(temporary):
            os.unlink(temporary)


KIND_LABELS = {
    "text": "plain text (a web-page copy)",
    "markdown": "Markdown",
    "html": "a saved web page (HTML)",
    "pdf": "PDF",
    "docx": "a Word file (.docx)",
}


def layout_label(name: str) -> str:
    try:
        return by_name(name).label
    except KeyError:
        return name


def summary_lines(report: ImportReport, *, relative_to: Path | None = None) -> list[str]:
    """The report as lines for a terminal."""
    plan = report.plan
    document = plan.document

    def shown(path: Path) -> str:
        if relative_to is not None:
            try:
                return str(path.resolve().relative_to(relative_to.resolve()))
            except ValueError:
                pass
        return str(path)

    unresolved = plan.unresolved_citations
    unresolved_numbers = ", ".join(str(n) for n in sorted(set(unresolved)))
    outcomes = [file.outcome for file in report.files]
    lines = [
        f"Imported {plan.source} as topic '{plan.topic}'",
        f"  source: {document.title}"
        + (f" (last updated {document.updated})" if document.updated else ""),
        f"  read as {KIND_LABELS.get(plan.kind, plan.kind)}; "
        f"layout: {layout_label(document.layout)}",
        f"  lead: {len(document.lead_lines)} paragraph(s) kept at the start of the first lesson",
        f"  furniture removed: {len(document.furniture)} block(s)"
        + (
            f" ({', '.join(dict.fromkeys(r.why for r in document.furniture))})"
            if document.furniture
            else ""
        ),
        f"  sections: {len(document.sections)}; lessons: {len(plan.lessons)}",
        f"  references: {len(document.references)}",
        f"  citations: {plan.resolved_citations} resolved, {len(unresolved)} unresolved"
        + (f" (cited but not listed: {unresolved_numbers})" if unresolved else ""),
        f"  questions drafted: {len(plan.questions)}",
        f"  warnings: {len(plan.notices)}",
        *(f"    {notice}" for notice in plan.notices),
        f"  files: {outcomes.count('written')} written, {outcomes.count('unchanged')} unchanged",
        *(f"    {file.outcome:<9} {shown(file.path)}" for file in report.files),
    ]
    if report.stale:
        lines.append(
            f"  not from this import (left in place; delete if the section is gone): "
            f"{len(report.stale)}"
        )
        lines.extend(f"    {shown(path)}" for path in report.stale)
    return lines
