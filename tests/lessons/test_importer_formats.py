"""Saved web pages, PDFs and Word files: what they import into, what is kept safe, and how a
broken or hostile file is refused. The PDF and Word samples are built from text by the tests
(tests/lessons/documents.py); nothing binary is committed."""

from __future__ import annotations

import io
import time
import zipfile

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from edu.lessons.importer import ImportFailed, plan_import, sandbox
from edu.lessons.importer.pipeline import plan_import_bytes
from edu.lessons.importer.sandbox import WALL_SECONDS
from tests.lessons.documents import LAYOUTS, build_docx, build_pdf, sample
from tests.lessons.importer_expected import assert_matches_expected


@pytest.fixture(scope="module")
def pdf_bytes() -> bytes:
    return build_pdf(sample("pdf-sample.txt"))


@pytest.fixture(scope="module")
def docx_bytes() -> bytes:
    return build_docx(sample("docx-sample.txt"))


def html_bytes() -> bytes:
    return (LAYOUTS / "encyclopedia.html").read_bytes()


def everything_written(plan) -> str:
    return "\n".join(file.text for file in plan.files)


# What each format imports into ----------------------------------------------------------------


def test_a_saved_encyclopedia_page_imports_into_its_expected_lessons():
    plan = plan_import(LAYOUTS / "encyclopedia.html", topic="lems")
    assert plan.kind == "html"
    assert_matches_expected(plan, "encyclopedia.html")


def test_a_pdf_imports_into_its_expected_lessons(pdf_bytes):
    plan = plan_import_bytes(pdf_bytes, name="myasthenia.pdf", topic="myasthenia")
    assert plan.kind == "pdf"
    assert_matches_expected(plan, "pdf-sample.pdf")


def test_a_word_file_imports_into_its_expected_lessons(docx_bytes):
    plan = plan_import_bytes(docx_bytes, name="mnd.docx", topic="mnd")
    assert plan.kind == "docx"
    assert_matches_expected(plan, "docx-sample.docx")


# The lead and side-by-side citations, in every format ----------------------------------------


def _format_plans(pdf_bytes, docx_bytes):
    return {
        "txt": plan_import(LAYOUTS / "reference-page.txt", topic="t"),
        "md": plan_import(LAYOUTS / "reference-layout.md", topic="t"),
        "html": plan_import(LAYOUTS / "encyclopedia.html", topic="t"),
        "pdf": plan_import_bytes(pdf_bytes, name="a.pdf", topic="t"),
        "docx": plan_import_bytes(docx_bytes, name="a.docx", topic="t"),
    }


LEADS = {
    "txt": "Proximal weakness means the shoulder and hip girdles",
    "md": "Proximal weakness, with the hip and shoulder girdles",
    "html": "is an autoimmune disease in which antibodies against calcium channels",
    "pdf": "Myasthenia gravis is an autoimmune disease of the neuromuscular junction",
    "docx": "Motor neurone disease (MND) is a condition in which the nerve cells",
}


@pytest.mark.parametrize("kind", sorted(LEADS))
def test_the_lead_opens_the_first_lesson_with_both_side_by_side_citations(
    kind, pdf_bytes, docx_bytes
):
    plan = _format_plans(pdf_bytes, docx_bytes)[kind]
    first = plan.lessons[0].text.split("+++", 2)[2]
    lead_start = first.index(LEADS[kind])
    lead = first[lead_start : first.index("\n", lead_start)]
    assert "[^1][^2]" in lead
    assert "\n[^1]: " in first and "\n[^2]: " in first
    assert all("dropped text before the first section: 'Prox" not in str(n) for n in plan.notices)


# Safety --------------------------------------------------------------------------------------


def test_nothing_active_from_a_saved_page_reaches_the_lessons():
    written = everything_written(plan_import(LAYOUTS / "encyclopedia.html", topic="lems"))
    for trace in (
        "script",
        "alert(",
        "onclick",
        "onload",
        "iframe",
        "ads.example",
        "images.example",
        "javascript:",
        "tracker",
        "font-family",
        "<",
    ):
        assert trace not in written


def test_a_saved_page_keeps_headings_lists_tables_emphasis_and_web_links():
    written = everything_written(plan_import(LAYOUTS / "encyclopedia.html", topic="lems"))
    assert "**Lambert–Eaton myasthenic syndrome** (LEMS)" in written
    assert "- drooping eyelids, milder than in myasthenia gravis" in written
    assert "| Calcium channel antibodies | Positive |" in written
    assert "[amifampridine](https://example.org/amifampridine)" in written
    assert "and this trap." in written  # a javascript: link keeps its words only


def test_pdf_running_headers_footers_and_page_numbers_are_dropped_and_reported(pdf_bytes):
    plan = plan_import_bytes(pdf_bytes, name="a.pdf", topic="t")
    written = everything_written(plan)
    assert "Teaching Notes in Neurology" not in written
    assert "for teaching use" not in written
    dropped = [removal.why for removal in plan.document.furniture]
    assert sum("running header or footer" in why for why in dropped) == 4
    assert "sets it apart from a neuropathy or" in written  # "neuro-" + "pathy" joined again


def test_a_bold_line_at_body_size_is_a_heading_below_the_larger_ones():
    text = (
        "# Weakness notes\n\n## Bedside tests\n\nThe examination comes first in every patient.\n\n"
        "**Reflexes**\n\nAbsent ankle jerks point to a nerve or root lesion.\n"
    )
    plan = plan_import_bytes(build_pdf(text), name="a.pdf", topic="t")
    assert [lesson.title for lesson in plan.lessons] == ["Bedside tests"]
    assert "## Reflexes" in plan.lessons[0].text


def test_a_pdf_of_too_many_pages_is_refused():
    text = "\n@page\n".join(f"## Part {n}\n\nSome text about weakness." for n in range(201))
    with pytest.raises(ImportFailed, match="the PDF has 201 pages; the limit is 200"):
        plan_import_bytes(build_pdf("# Long\n\n" + text), name="a.pdf", topic="t")


def test_the_type_comes_from_the_content_not_the_name(pdf_bytes):
    assert plan_import_bytes(pdf_bytes, name="notes.txt", topic="t").kind == "pdf"
    with pytest.raises(ImportFailed, match="named .pdf but its content is not"):
        plan_import_bytes(b"Title\n\nPlain text.\n", name="paper.pdf", topic="t")


def _zip_bomb() -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", b"<w:document>" + b" " * 60_000_000)
    return out.getvalue()


def _encrypted_pdf() -> bytes:
    from fpdf import FPDF

    pdf = FPDF()
    pdf.set_encryption(owner_password="owner", user_password="secret")
    pdf.add_page()
    pdf.set_font("Helvetica", size=12)
    pdf.cell(0, 10, "Secret notes on weakness")
    return bytes(pdf.output())


REFUSED = {
    "malformed pdf": (
        b"%PDF-1.7\n1 0 obj << /Type /Catalog /Pages 2 0 R >>\nendobj\n" * 3,
        "cannot read this PDF|no text layer",
    ),
    "encrypted pdf": (None, "encrypted or password-protected"),
    "zip bomb": (None, "zip bomb"),
    "not a zip": (b"PK\x03\x04" + b"\x00" * 200, "not a readable Word file"),
    "old word file": (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600, "old-style .doc"),
    "huge": (b"%PDF-1.4\n" + b"0" * (11 * 1024 * 1024), "the limit is 10 MB"),
}


@pytest.mark.parametrize("case", sorted(REFUSED))
def test_a_broken_or_hostile_file_is_refused_quickly_with_a_message(case):
    data, message = REFUSED[case]
    if case == "encrypted pdf":
        data = _encrypted_pdf()
    elif case == "zip bomb":
        data = _zip_bomb()
    started = time.monotonic()
    with pytest.raises(ImportFailed, match=message):
        plan_import_bytes(data, name="upload", topic="t")
    assert time.monotonic() - started < WALL_SECONDS


def test_a_conversion_that_runs_too_long_is_stopped(monkeypatch, pdf_bytes):
    monkeypatch.setattr(sandbox, "WALL_SECONDS", 0.05)
    with pytest.raises(ImportFailed, match=r"took longer than 0.05 s"):
        plan_import_bytes(pdf_bytes, name="a.pdf", topic="t")


def test_a_conversion_that_needs_too_much_memory_is_stopped(monkeypatch, pdf_bytes):
    monkeypatch.setattr(sandbox, "MEMORY_BYTES", 40 * 1024 * 1024)
    with pytest.raises(ImportFailed, match="ran out of time or memory|out of memory"):
        plan_import_bytes(pdf_bytes, name="a.pdf", topic="t")


# Property tests: random and mutated documents of each format -----------------------------------

FUZZ = settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


def mutated_bytes(original: bytes):
    @st.composite
    def build(draw):
        data = bytearray(original)
        for _ in range(draw(st.integers(1, 8))):
            position = draw(st.integers(0, max(0, len(data) - 1)))
            action = draw(st.sampled_from(["flip", "cut", "insert", "truncate"]))
            if action == "flip" and data:
                data[position] ^= draw(st.integers(1, 255))
            elif action == "cut":
                del data[position : position + draw(st.integers(1, 64))]
            elif action == "insert":
                data[position:position] = draw(st.binary(min_size=1, max_size=32))
            else:
                del data[position:]
        return bytes(data)

    return build()


def only_clear_failures(data: bytes, name: str) -> None:
    try:
        plan_import_bytes(data, name=name, topic="fuzz", isolated=False)
    except ImportFailed as failure:
        assert failure.message.strip()


PDF_SAMPLE = build_pdf(sample("pdf-sample.txt"))
DOCX_SAMPLE = build_docx(sample("docx-sample.txt"))
HTML_SAMPLE = (LAYOUTS / "encyclopedia.html").read_bytes()


@FUZZ
@given(data=mutated_bytes(PDF_SAMPLE))
def test_mutated_pdfs_import_or_fail_clearly(data):
    only_clear_failures(data, "fuzz.pdf")


@FUZZ
@given(data=mutated_bytes(DOCX_SAMPLE))
def test_mutated_word_files_import_or_fail_clearly(data):
    only_clear_failures(data, "fuzz.docx")


@FUZZ
@given(data=mutated_bytes(HTML_SAMPLE))
def test_mutated_web_pages_import_or_fail_clearly(data):
    only_clear_failures(data, "fuzz.html")


@FUZZ
@given(
    prefix=st.sampled_from([b"%PDF-1.4\n", b"PK\x03\x04", b"<!DOCTYPE html><html><body>", b""]),
    data=st.binary(max_size=600),
)
def test_random_bytes_behind_each_formats_signature_fail_clearly(prefix, data):
    only_clear_failures(prefix + data, "fuzz")


def test_a_word_files_pictures_are_dropped_and_reported():
    from docx import Document
    from PIL import Image

    picture = io.BytesIO()
    Image.new("RGB", (8, 8), "red").save(picture, format="PNG")
    picture.seek(0)
    document = Document()
    document.add_heading("Notes on weakness", level=0)
    document.add_heading("Definition", level=1)
    document.add_paragraph("Weakness is a true loss of power measured against resistance.")
    document.add_picture(picture)
    out = io.BytesIO()
    document.save(out)
    plan = plan_import_bytes(out.getvalue(), name="notes.docx", topic="t")
    assert "data:" not in everything_written(plan) and "<img" not in everything_written(plan)
    assert [r.why for r in plan.document.furniture] == ["image removed"]
