"""Turns the bytes of a source document into text, refusing what is not a text document.

Web-page copies arrive as UTF-8, often with a byte-order mark; anything else (UTF-16, Latin-1,
binary data that is not a PDF or Word file) is refused with the line and byte where reading
went wrong. PDFs, Word files and web pages are recognised before this, by `formats.sniff`.
"""

from __future__ import annotations

import codecs
import re

from .errors import ImportFailed

# Control characters a text editor would never write (tab, newline, carriage return, form feed
# and vertical tab are fine); finding one means the file is binary.
_BINARY_CONTROL = re.compile(r"[\x00-\x08\x0e-\x1f\x7f-\x9f]")


def decode_source(data: bytes, shown: str) -> str:
    """Decodes UTF-8 (with or without a byte-order mark); raises `ImportFailed` otherwise."""
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        raise ImportFailed(shown, 1, "UTF-16 text is not supported: save the document as UTF-8")
    offset = len(codecs.BOM_UTF8) if data.startswith(codecs.BOM_UTF8) else 0
    nul = data.find(b"\x00")
    if nul >= 0:
        raise ImportFailed(
            shown,
            _line_at(data, nul),
            f"binary data (a NUL byte at byte {nul}): expected a .txt or .md text document",
        )
    try:
        text = data[offset:].decode("utf-8")
    except UnicodeDecodeError as exc:
        position = offset + exc.start
        raise ImportFailed(
            shown,
            _line_at(data, position),
            f"not UTF-8 text: byte 0x{data[position]:02x} at byte {position} cannot be decoded; "
            "save the document as UTF-8",
        ) from None
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    control = _BINARY_CONTROL.search(text)
    if control:
        raise ImportFailed(
            shown,
            text.count("\n", 0, control.start()) + 1,
            f"binary data (control character U+{ord(control.group()):04X}): "
            "expected a .txt or .md text document",
        )
    # Page breaks are layout, not text; dropping them keeps line numbers as an editor shows them.
    text = text.replace("\f", "").replace("\v", "")
    if not text.strip():
        raise ImportFailed(shown, 1, "the document is empty")
    return text


def _line_at(data: bytes, position: int) -> int:
    return data.count(b"\n", 0, position) + 1
