"""Saved web pages, PDFs and Word files, turned into Markdown for the Markdown parser.

The type is read from the bytes, never the file name (`sniff`). Each format becomes Markdown
text, then goes through the same path as a `.md` document, so layouts, furniture, the lead and
citations work alike everywhere:

- HTML: scripts, styles, event handlers, frames, forms and images are removed
  (lxml_html_clean), readability-lxml keeps the main content, and `html_to_markdown` keeps
  headings, lists, tables, emphasis and http(s) links;
- DOCX: refused if it is not a plain zip of sane size (zip bombs, password-protected files),
  then mammoth turns Word's styles into HTML and the same HTML path follows;
- PDF: pdfplumber gives each line with its font size and weight; larger or bold lines become
  headings, lines repeated at the top or bottom of most pages (running headers and footers)
  and page numbers are dropped, and words hyphenated at a line end are joined again.

What a conversion drops is returned as `Removal`s so the author sees it. Every failure is an
`ImportFailed`; `sandbox.convert` runs these converters in a child process with time and memory
limits, so a hostile file cannot hang or exhaust the site.
"""

from __future__ import annotations

import io
import re
import statistics
import zipfile
from collections import Counter
from dataclasses import dataclass

from .errors import ImportFailed
from .furniture import Removal

MOST_BYTES = 10 * 1024 * 1024
MOST_PDF_PAGES = 200
MOST_UNZIPPED_BYTES = 40 * 1024 * 1024
MOST_ZIP_ENTRIES = 1000
MOST_ZIP_RATIO = 100
MOST_TEXT_CHARS = 2_000_000

_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_HTML_START = re.compile(
    rb"^\s*(?:<!--.*?-->\s*)*<(?:!doctype\s+html|html|head|body|meta|h[1-6]|p|div)\b",
    re.IGNORECASE | re.DOTALL,
)


@dataclass(frozen=True)
class Converted:
    """A document as Markdown, with what the conversion dropped."""

    markdown: str
    removals: tuple[Removal, ...] = ()


def sniff(data: bytes, shown: str = "document") -> str:
    """ "pdf", "docx", "html" or "text", from the bytes alone; raises `ImportFailed` for other
    binary formats (an old .doc, a password-protected Word file, an image...)."""
    head = data[:1024]
    if head.lstrip()[:5] == b"%PDF-":
        return "pdf"
    if head.startswith(b"PK\x03\x04"):
        return "docx"
    if head.startswith(_OLE_MAGIC):
        raise ImportFailed(
            shown,
            None,
            "this is an old-style .doc or a password-protected Word file: save it as an "
            "unprotected .docx",
        )
    if _HTML_START.match(head.removeprefix(b"\xef\xbb\xbf")):
        return "html"
    return "text"


def _too_big(shown: str, data: bytes) -> None:
    if len(data) > MOST_BYTES:
        raise ImportFailed(
            shown, None, f"the file is {len(data) // (1024 * 1024)} MB; the limit is 10 MB"
        )


# HTML -----------------------------------------------------------------------------------------


def html_to_markdown_document(data: bytes, shown: str) -> Converted:
    """A saved web page: sanitised, main content kept, as Markdown."""
    _too_big(shown, data)
    from lxml import etree, html
    from lxml_html_clean import Cleaner
    from readability import Document as Readable

    text = _decode_html(data, shown)
    removals: list[Removal] = []
    try:
        page = html.document_fromstring(text)
        removals.extend(_active_content(page))
        cleaned = _cleaner(Cleaner).clean_html(page)
        main = Readable(etree.tostring(cleaned, encoding="unicode")).summary(html_partial=True)
        tree = html.fragment_fromstring(main, create_parent="div")
        removals.extend(_outside_main(cleaned, tree))
    except (etree.ParserError, etree.XMLSyntaxError, ValueError) as exc:
        raise ImportFailed(shown, None, f"cannot read this web page: {exc}") from None
    except Exception as exc:  # readability raises its own Unparseable and others
        raise ImportFailed(
            shown, None, f"cannot read this web page: {exc.__class__.__name__}"
        ) from None
    markdown = html_to_markdown(tree)
    if not markdown.strip():
        raise ImportFailed(shown, None, "this web page has no text to import")
    return Converted(markdown, tuple(removals))


_ACTIVE = {
    "script": "script",
    "style": "style sheet",
    "link": "linked style or resource",
    "iframe": "frame",
    "frame": "frame",
    "object": "embedded object",
    "embed": "embedded object",
    "form": "form",
    "img": "image",
    "picture": "image",
    "svg": "drawing",
    "video": "video",
    "audio": "audio",
}
_TEXT_BLOCKS = ("p", "li", "h1", "h2", "h3", "h4", "h5", "h6", "td", "th", "dt", "dd", "caption")
_MOST_REPORTED_BLOCKS = 60


def _active_content(page) -> list[Removal]:
    """One removal per kind of active or embedded content, with how many there were."""
    counts = Counter(_ACTIVE[element.tag] for element in page.iter() if element.tag in _ACTIVE)
    handlers = sum(
        1 for element in page.iter() for name in element.attrib if name.lower().startswith("on")
    )
    found = [
        Removal(0, f"{what} removed", 0, f"{count} on the page") for what, count in counts.items()
    ]
    if handlers:
        found.append(Removal(0, "event handlers removed", 0, f"{handlers} on the page"))
    return found


def _block_texts(tree) -> list[str]:
    texts = []
    for element in tree.iter(*_TEXT_BLOCKS):
        text = " ".join(element.text_content().split())
        if text:
            texts.append(text)
    return texts


def _outside_main(cleaned, main) -> list[Removal]:
    """The text blocks readability left out of the main content (navigation, footers)."""
    kept = set(_block_texts(main))
    dropped = [text for text in dict.fromkeys(_block_texts(cleaned)) if text not in kept]
    return [
        Removal(0, "outside the main content", 0, text if len(text) <= 60 else text[:57] + "...")
        for text in dropped[:_MOST_REPORTED_BLOCKS]
    ]


def _decode_html(data: bytes, shown: str) -> str:
    data = data.removeprefix(b"\xef\xbb\xbf")
    if b"\x00" in data:
        raise ImportFailed(shown, None, "binary data in a web page (a NUL byte)")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="replace")


def _cleaner(cleaner_class):
    return cleaner_class(
        scripts=True,
        javascript=True,
        comments=True,
        style=True,
        inline_style=True,
        links=True,
        meta=True,
        page_structure=False,
        processing_instructions=True,
        embedded=True,
        frames=True,
        forms=True,
        annoying_tags=True,
        remove_tags=(),
        kill_tags=("img", "picture", "svg", "video", "audio", "canvas", "noscript", "template"),
        safe_attrs_only=True,
        safe_attrs=frozenset({"href", "colspan", "rowspan", "start"}),
    )


_BLOCKS = {
    "p",
    "div",
    "section",
    "article",
    "main",
    "header",
    "footer",
    "aside",
    "figure",
    "figcaption",
    "caption",
    "dl",
    "dd",
    "dt",
    "address",
    "center",
    "body",
}
_HEADINGS = {"h1": 1, "h2": 2, "h3": 3, "h4": 4, "h5": 5, "h6": 6}
_INLINE_ESCAPE = re.compile(r"([\\`*_<>|])")


def html_to_markdown(root) -> str:
    """Markdown for an lxml tree of (already sanitised) HTML."""
    blocks: list[str] = []
    _block(root, blocks)
    return "\n\n".join(block for block in blocks if block.strip()) + "\n"


def _block(element, blocks: list[str]) -> None:
    tag = element.tag if isinstance(element.tag, str) else ""
    if tag in _HEADINGS:
        text = _inline(element).strip()
        if text:
            blocks.append("#" * _HEADINGS[tag] + " " + text)
        return
    if tag in ("ul", "ol"):
        lines = _list_lines(element, 0)
        if lines:
            blocks.append("\n".join(lines))
        return
    if tag == "table":
        table = _table(element)
        if table:
            blocks.append(table)
        return
    if tag == "pre":
        blocks.append("```\n" + element.text_content().replace("```", "'''") + "\n```")
        return
    if tag == "blockquote":
        inner: list[str] = []
        for child in element:
            _block(child, inner)
        text = "\n\n".join(inner) or _inline(element).strip()
        if text:
            blocks.append("\n".join("> " + line for line in text.split("\n")))
        return
    if tag == "hr":
        return
    # A container: inline runs between child blocks become paragraphs.
    run: list[str] = [_text(element.text)]
    for child in element:
        child_tag = child.tag if isinstance(child.tag, str) else ""
        if (
            child_tag in _BLOCKS
            or child_tag in _HEADINGS
            or child_tag in ("ul", "ol", "table", "pre", "blockquote", "hr", "li")
        ):
            _flush(run, blocks)
            run = []
            if child_tag == "li":
                text = _inline(child).strip()
                if text:
                    blocks.append("- " + text)
            else:
                _block(child, blocks)
            run.append(_text(child.tail))
        else:
            run.append(_inline_child(child))
            run.append(_text(child.tail))
    _flush(run, blocks)


def _flush(run: list[str], blocks: list[str]) -> None:
    text = re.sub(r"[ \t\r\n]+", " ", "".join(run)).strip()
    if text:
        if re.match(r"[#>+=-]|\d+[.)]\s", text):
            text = "\\" + text
        blocks.append(text)


def _text(text: str | None) -> str:
    if not text:
        return ""
    return _INLINE_ESCAPE.sub(r"\\\1", text)


def _inline(element, skip: tuple = ()) -> str:
    """An element's content as inline Markdown (children in `skip` left out)."""
    parts: list[str] = [_text(element.text)]
    for child in element:
        if child not in skip:
            parts.append(_inline_child(child))
        parts.append(_text(child.tail))
    return re.sub(r"[ \t\r\n]+", " ", "".join(parts))


def _inline_child(child) -> str:
    tag = child.tag if isinstance(child.tag, str) else ""
    inner = _inline(child)
    if tag in ("b", "strong") and inner.strip():
        return f"**{inner.strip()}**"
    if tag in ("i", "em", "cite") and inner.strip():
        return f"*{inner.strip()}*"
    if tag == "a":
        href = (child.get("href") or "").strip()
        if re.match(r"(?:https?://|mailto:)", href, re.IGNORECASE) and inner.strip():
            return f"[{inner.strip()}]({href.replace(')', '%29').replace(' ', '%20')})"
        return inner
    if tag in ("br", "ul", "ol", "table"):
        return " "
    return inner


def _list_lines(element, depth: int) -> list[str]:
    lines: list[str] = []
    ordered = element.tag == "ol"
    start = element.get("start") or "1"
    number = int(start) if start.isdigit() else 1
    for child in element:
        if not isinstance(child.tag, str) or child.tag != "li":
            continue
        nested = tuple(sub for sub in child if isinstance(sub.tag, str) and sub.tag in ("ul", "ol"))
        text = _inline(child, nested).strip()
        marker = f"{number}." if ordered else "-"
        number += 1
        lines.append(f"{'    ' * depth}{marker} {text}".rstrip())
        for sub in nested:
            lines.extend(_list_lines(sub, depth + 1))
    return lines


def _table(element) -> str:
    rows: list[list[str]] = []
    for row in element.iter("tr"):
        cells = [
            _inline(cell).strip().replace("|", "\\|")
            for cell in row
            if isinstance(cell.tag, str) and cell.tag in ("td", "th")
        ]
        if any(cells):
            rows.append(cells)
    if not rows:
        return ""
    width = max(len(row) for row in rows)
    rows = [row + [""] * (width - len(row)) for row in rows]
    lines = ["| " + " | ".join(rows[0]) + " |", "| " + " | ".join("---" for _ in rows[0]) + " |"]
    lines.extend("| " + " | ".join(row) + " |" for row in rows[1:])
    return "\n".join(lines)


# DOCX -----------------------------------------------------------------------------------------


def docx_to_markdown_document(data: bytes, shown: str) -> Converted:
    """A Word file: zip checked first, then mammoth's HTML through the HTML path."""
    _too_big(shown, data)
    _check_zip(data, shown)
    import mammoth
    from lxml import html

    try:
        result = mammoth.convert_to_html(
            io.BytesIO(data),
            convert_image=mammoth.images.img_element(lambda image: {}),
            style_map=_WORD_STYLES,
        )
    except Exception as exc:  # mammoth and the zip/XML layers raise many kinds
        raise ImportFailed(
            shown, None, f"cannot read this Word file ({exc.__class__.__name__})"
        ) from None
    if not result.value.strip():
        raise ImportFailed(shown, None, "this Word file has no text to import")
    try:
        tree = html.fragment_fromstring(result.value, create_parent="div")
    except Exception as exc:
        raise ImportFailed(shown, None, f"cannot read this Word file ({exc})") from None
    from lxml_html_clean import Cleaner

    removals = _active_content(tree)
    cleaned = _cleaner(Cleaner).clean_html(tree)
    return Converted(html_to_markdown(cleaned), tuple(removals))


# Word's Title is the document title; its headings sit one level under it.
_WORD_STYLES = """
p[style-name='Title'] => h1:fresh
p[style-name='Heading 1'] => h2:fresh
p[style-name='Heading 2'] => h3:fresh
p[style-name='Heading 3'] => h4:fresh
"""


def _check_zip(data: bytes, shown: str) -> None:
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        entries = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError, EOFError) as exc:
        raise ImportFailed(shown, None, f"not a readable Word file: {exc}") from None
    if len(entries) > MOST_ZIP_ENTRIES:
        raise ImportFailed(shown, None, f"refused: the Word file holds {len(entries)} parts")
    total = sum(entry.file_size for entry in entries)
    packed = sum(entry.compress_size for entry in entries) or 1
    if total > MOST_UNZIPPED_BYTES or total / packed > MOST_ZIP_RATIO:
        raise ImportFailed(
            shown,
            None,
            "refused: the Word file unpacks to far more than its size (a zip bomb?)",
        )
    if any(entry.flag_bits & 0x1 for entry in entries):
        raise ImportFailed(shown, None, "refused: the Word file is encrypted")
    if "word/document.xml" not in {entry.filename for entry in entries}:
        raise ImportFailed(shown, None, "not a Word document (no word/document.xml inside)")


# PDF ------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Line:
    page: int
    text: str
    size: float
    bold: bool
    top: float
    bottom: float
    height: float
    x0: float = 0.0
    x1: float = 0.0


_PAGE_NUMBER = re.compile(r"(?:page\s*)?\d{1,4}(?:\s*(?:of|/)\s*\d{1,4})?", re.IGNORECASE)
_BULLET_START = re.compile(r"^[•◦▪‣●■–-]\s+")
_BAND = 0.09


def pdf_to_markdown_document(data: bytes, shown: str) -> Converted:
    """A PDF's text layer as Markdown: headings from size and weight, page furniture out."""
    _too_big(shown, data)
    if re.search(rb"/Encrypt\b", data):
        raise ImportFailed(
            shown, None, "this PDF is encrypted or password-protected: save an unprotected copy"
        )
    lines = _pdf_lines(data, shown)
    if not lines:
        raise ImportFailed(shown, None, "this PDF has no text layer (a scan?): nothing to import")
    removals: list[Removal] = []
    lines = _drop_page_furniture(lines, removals)
    return Converted(_pdf_markdown(lines), tuple(removals))


def _pdf_lines(data: bytes, shown: str) -> list[_Line]:
    import pdfplumber

    found: list[_Line] = []
    chars = 0
    try:
        with pdfplumber.open(io.BytesIO(data)) as pdf:
            if len(pdf.pages) > MOST_PDF_PAGES:
                raise ImportFailed(
                    shown,
                    None,
                    f"the PDF has {len(pdf.pages)} pages; the limit is {MOST_PDF_PAGES}",
                )
            for number, page in enumerate(pdf.pages, start=1):
                height = float(page.height or 1) or 1.0
                for line in page.extract_text_lines(return_chars=True, strip=True):
                    text = line["text"].strip()
                    glyphs = [c for c in line.get("chars", []) if c.get("text", "").strip()]
                    if not text or not glyphs:
                        continue
                    chars += len(text)
                    if chars > MOST_TEXT_CHARS:
                        raise ImportFailed(shown, None, "the PDF holds too much text to import")
                    size = statistics.median(float(c.get("size") or 0) for c in glyphs)
                    bold = all("bold" in str(c.get("fontname", "")).lower() for c in glyphs)
                    found.append(
                        _Line(
                            number,
                            text,
                            round(size, 1),
                            bold,
                            line["top"],
                            line["bottom"],
                            height,
                            float(line.get("x0", 0)),
                            float(line.get("x1", 0)),
                        )
                    )
    except ImportFailed:
        raise
    except Exception as exc:  # pdfminer raises a zoo of exception types on broken files
        name = exc.__class__.__name__
        if "Password" in name or "Encrypt" in name:
            raise ImportFailed(shown, None, "this PDF is password-protected") from None
        raise ImportFailed(shown, None, f"cannot read this PDF ({name})") from None
    return found


def _drop_page_furniture(lines: list[_Line], removals: list[Removal]) -> list[_Line]:
    pages = max(line.page for line in lines)

    def in_band(line: _Line) -> bool:
        return line.top < line.height * _BAND or line.bottom > line.height * (1 - _BAND)

    def shape(text: str) -> str:
        return re.sub(r"\d+", "#", text.lower())

    repeated = Counter(shape(line.text) for line in lines if in_band(line))
    kept: list[_Line] = []
    for line in lines:
        if in_band(line) and _PAGE_NUMBER.fullmatch(line.text):
            removals.append(Removal(0, f"page number (page {line.page})", 0, line.text))
        elif in_band(line) and pages >= 2 and repeated[shape(line.text)] >= max(2, pages / 2):
            removals.append(
                Removal(0, f"running header or footer (page {line.page})", 0, line.text)
            )
        else:
            kept.append(line)
    return kept


def _pdf_markdown(lines: list[_Line]) -> str:
    sizes = Counter()
    for line in lines:
        sizes[line.size] += len(line.text)
    body = sizes.most_common(1)[0][0]
    heading_sizes = sorted({line.size for line in lines if line.size >= body * 1.15}, reverse=True)
    level_of = {size: min(index + 1, 4) for index, size in enumerate(heading_sizes)}
    bold_level = min(len(heading_sizes) + 1, 4)
    blocks: list[str] = []
    paragraph: list[str] = []
    previous: _Line | None = None
    gaps = [
        b.top - a.bottom
        for a, b in zip(lines, lines[1:], strict=False)
        if a.page == b.page and a.size == body and b.size == body and b.top > a.bottom
    ]
    usual_gap = statistics.median(gaps) if gaps else 2.0
    widest = max(line.x1 for line in lines)

    items: list[str] = []

    def flush() -> None:
        if paragraph and _is_item(paragraph[0]):
            blocks.append("\n".join(paragraph))
        elif paragraph:
            blocks.append(_join_lines(paragraph))
        paragraph.clear()

    for line in lines:
        words = len(line.text.split())
        if line.size in level_of and words <= 20:
            flush()
            blocks.append("#" * level_of[line.size] + " " + _escape_line(line.text))
        elif line.bold and words <= 12 and not re.search(r"[.;,]$", line.text):
            flush()
            blocks.append("#" * bold_level + " " + _escape_line(line.text))
        elif _BULLET_START.match(line.text) or re.match(r"^\d{1,3}[.)]\s", line.text):
            if not (paragraph and _is_item(paragraph[0])):
                flush()
            items.append(_BULLET_START.sub("- ", line.text))
            paragraph.append(items[-1])
        elif (
            paragraph
            and _is_item(paragraph[0])
            and previous is not None
            and (re.match(r"[a-z(\[]", line.text) or previous.x1 >= widest * 0.9)
        ):
            # A list item's wrapped second line: it starts in lower case, or the line above
            # ran to the right margin.
            paragraph[-1] = _join_lines([paragraph[-1], line.text])
        else:
            new_block = (
                previous is not None
                and (previous.page != line.page or line.top - previous.bottom > usual_gap * 1.8)
                and not _hyphenated(paragraph)
            )
            if new_block or (paragraph and _is_item(paragraph[0])):
                flush()
            paragraph.append(_escape_line(line.text) if not paragraph else line.text)
        previous = line
    flush()
    return "\n\n".join(blocks) + "\n"


def _is_item(text: str) -> bool:
    return text.startswith("- ") or bool(re.match(r"\d{1,3}[.)]\s", text))


def _hyphenated(paragraph: list[str]) -> bool:
    return bool(paragraph) and bool(re.search(r"[a-z]-$", paragraph[-1]))


def _join_lines(lines: list[str]) -> str:
    text = lines[0]
    for line in lines[1:]:
        if re.search(r"[a-z]-$", text) and re.match(r"[a-z]", line):
            text = text[:-1] + line
        else:
            text = f"{text} {line}"
    return text


def _escape_line(text: str) -> str:
    text = re.sub(r"([\\`*_<>|])", r"\\\1", text)
    if re.match(r"[#>+=]", text):
        text = "\\" + text
    return text
