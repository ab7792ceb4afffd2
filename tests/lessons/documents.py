"""Builds the PDF and Word sample documents from their text, so no binary is committed.

A sample is plain lines: `#`, `##`, `###` headings, `**a bold line**` (bold at body size),
`- ` bullets, `1. ` numbered lines, a blank line between paragraphs and `@page` for a page
break. The PDF puts each line on a line of
its own (so a word can be hyphenated across two lines, as typesetting does), with a running
header and footer and page numbers on every page; the Word file uses Word's own heading and
list styles, as an author's document would.
"""

from __future__ import annotations

import io
from pathlib import Path

LAYOUTS = Path(__file__).parent / "fixtures" / "layouts"
HEADER = "Teaching Notes in Neurology"
FOOTER = "Example Teaching Trust - for teaching use"


def sample(name: str) -> str:
    return (LAYOUTS / name).read_text(encoding="utf-8")


def build_pdf(text: str, *, header: str = HEADER, footer: str = FOOTER) -> bytes:
    from fpdf import FPDF

    class Notes(FPDF):
        def header(self):
            self.set_font("Helvetica", size=8)
            self.cell(0, 8, header, align="C")
            self.ln(14)

        def footer(self):
            self.set_y(-14)
            self.set_font("Helvetica", size=8)
            self.cell(0, 5, footer, align="L")
            self.cell(0, 5, str(self.page_no()), align="R")

    pdf = Notes(format="A4")
    pdf.set_auto_page_break(auto=True, margin=22)
    pdf.add_page()
    sizes = {"# ": 20, "## ": 15, "### ": 12.5}
    for line in text.split("\n"):
        if line == "@page":
            pdf.add_page()
            continue
        if not line.strip():
            pdf.ln(4)
            continue
        marker = next((m for m in ("### ", "## ", "# ") if line.startswith(m)), None)
        if marker:
            pdf.set_font("Helvetica", style="B", size=sizes[marker])
            pdf.multi_cell(
                0, sizes[marker] * 0.55, line[len(marker) :], new_x="LMARGIN", new_y="NEXT"
            )
            pdf.ln(2)
            continue
        bold = line.startswith("**") and line.endswith("**")
        pdf.set_font("Helvetica", style="B" if bold else "", size=10.5)
        pdf.multi_cell(0, 5.2, line.strip("*") if bold else line, new_x="LMARGIN", new_y="NEXT")
    return bytes(pdf.output())


def build_docx(text: str) -> bytes:
    from docx import Document

    document = Document()
    paragraph: list[str] = []

    def flush():
        if paragraph:
            document.add_paragraph(" ".join(paragraph))
            paragraph.clear()

    for line in text.split("\n"):
        if not line.strip():
            flush()
            continue
        if line.startswith("#"):
            flush()
            level = len(line) - len(line.lstrip("#"))
            document.add_heading(line.lstrip("#").strip(), level=level - 1 if level > 1 else 0)
        elif line.startswith("- "):
            flush()
            document.add_paragraph(line[2:], style="List Bullet")
        elif line[:3].rstrip(" ").rstrip(".").isdigit() and ". " in line[:4]:
            flush()
            document.add_paragraph(line.split(". ", 1)[1], style="List Number")
        else:
            paragraph.append(line)
    flush()
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()
