"""`manage.py import_document`: where it writes, what it prints, and how it fails."""

from __future__ import annotations

import os
import subprocess
import sys
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from tests.lessons.test_importer import PAGE_COPY

BASE_DIR = Path(__file__).resolve().parents[2]
SOURCE = BASE_DIR / "content" / "sources" / "neuromuscular-weakness.md"


@pytest.fixture
def page_copy(tmp_path) -> Path:
    path = tmp_path / "localization.txt"
    path.write_text(PAGE_COPY, encoding="utf-8")
    return path


@pytest.fixture
def content_dir(tmp_path, settings) -> Path:
    settings.CONTENT_DIR = tmp_path / "content"
    return settings.CONTENT_DIR


def run(*args: str) -> str:
    out = StringIO()
    call_command("import_document", *args, stdout=out)
    return out.getvalue()


def files_under(folder: Path) -> dict[str, bytes]:
    return {
        str(path.relative_to(folder)): path.read_bytes()
        for path in sorted(folder.rglob("*"))
        if path.is_file()
    }


def test_writes_lessons_and_drafts_into_the_content_folder(page_copy, content_dir):
    run(str(page_copy))
    assert sorted(files_under(content_dir)) == [
        "lessons/localization/01-overview.md",
        "lessons/localization/02-bedside-clues-to-the-level.md",
        "lessons/localization/03-levels-of-the-motor-pathway.md",
        "lessons/localization/04-common-pitfalls.md",
        "questions/localization-drafts.toml",
    ]


def test_out_puts_everything_elsewhere_and_leaves_content_alone(page_copy, content_dir, tmp_path):
    run(str(page_copy), "--out", str(tmp_path / "build"), "--topic", "bedside")
    assert not content_dir.exists()
    written = files_under(tmp_path / "build")
    assert "lessons/bedside/01-overview-of-localization.md" in written
    assert "questions/bedside-drafts.toml" in written


def test_summary_reports_counts_warnings_and_files(page_copy, content_dir):
    summary = run(str(page_copy))
    assert "sections: 4; lessons: 4" in summary
    assert "references: 3" in summary
    assert "unresolved (cited but not listed: 4, 5)" in summary
    assert f"{page_copy}:37: citation 4 has no matching reference" in summary
    assert "files: 5 written, 0 unchanged" in summary


def test_second_import_of_the_same_document_changes_nothing(page_copy, content_dir):
    run(str(page_copy))
    before = {path: path.stat().st_mtime_ns for path in content_dir.rglob("*.*")}
    summary = run(str(page_copy))
    assert "files: 0 written, 5 unchanged" in summary
    assert {path: path.stat().st_mtime_ns for path in content_dir.rglob("*.*")} == before


def test_bad_document_is_a_command_error_naming_file_and_line(tmp_path, content_dir):
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    with pytest.raises(CommandError, match=rf"^{empty}:1: the document is empty$"):
        run(str(empty))
    assert not content_dir.exists()


def test_invalid_topic_is_refused(page_copy, content_dir):
    with pytest.raises(CommandError, match="topic 'Not A Slug' must be a lowercase slug"):
        run(str(page_copy), "--topic", "Not A Slug")


def test_manage_py_exits_1_with_one_line_and_no_traceback(tmp_path):
    binary = tmp_path / "binary.txt"
    binary.write_bytes(b"Title\n\x00\x01\x02")
    result = subprocess.run(
        [sys.executable, "manage.py", "import_document", str(binary), "--out", str(tmp_path)],
        cwd=BASE_DIR,
        env={**os.environ, "DJANGO_SETTINGS_MODULE": "edu.settings.test"},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 1
    assert result.stderr.strip().splitlines() == [
        f"CommandError: {binary}:2: binary data (a NUL byte at byte 6): expected a .txt or .md "
        "text document"
    ]
    assert "Traceback" not in result.stderr


def test_committed_lessons_are_what_the_committed_source_imports_to(tmp_path):
    run(str(SOURCE), "--out", str(tmp_path))
    imported = files_under(tmp_path)
    committed = {name: (BASE_DIR / "content" / name).read_bytes() for name in imported}
    assert imported == committed
    assert len([name for name in imported if name.startswith("lessons/")]) == 6


LAYOUT_SAMPLES = BASE_DIR / "tests" / "lessons" / "fixtures" / "layouts"


def test_explain_names_what_each_line_became_and_writes_nothing(content_dir):
    output = run(str(LAYOUT_SAMPLES / "medical-book.txt"), "--explain")
    lines = {line.split("|")[0].strip(): line for line in output.splitlines() if "|" in line}
    assert "furniture dropped (section navigation ('Go to:'))" in lines["13"]
    assert "heading: lesson 1 'introduction'" in lines["19"]
    assert "cites [1], [2], [3]" in lines["20"]
    assert "list item" in lines["29"]
    assert "UNRESOLVED [6]" in lines["43"]
    assert "reference 1" in lines["52"]
    assert "furniture dropped (licence)" in lines["69"]
    assert "medical-book.txt:43: citation 6 has no matching reference" in output
    assert output.rstrip().endswith("nothing written (--explain)")
    assert not content_dir.exists()


def test_explain_leaves_no_line_unaccounted_for(content_dir):
    source = LAYOUT_SAMPLES / "encyclopedia.txt"
    output = run(str(source), "--explain")
    explained = [line for line in output.splitlines() if "|" in line]
    text_lines = [line for line in source.read_text(encoding="utf-8").splitlines() if line.strip()]
    assert len(explained) == len(text_lines)
    assert not [line for line in explained if "| not read" in line]


def test_explain_shows_what_a_pdf_lost_before_its_text_was_read(tmp_path, content_dir):
    from tests.lessons.documents import build_pdf, sample

    pdf = tmp_path / "notes.pdf"
    pdf.write_bytes(build_pdf(sample("pdf-sample.txt")))
    output = run(str(pdf), "--explain")
    assert "read as PDF" in output
    assert "running header or footer (page 2): 'Teaching Notes in Neurology'" in output
