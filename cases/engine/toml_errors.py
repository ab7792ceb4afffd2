"""Turns tomllib's terse syntax errors into plain words and the line where the author's fault is.

tomllib reports where the parser gave up, which is often not where the mistake was made: an
unclosed string is reported at the end of the document or of the line, an unclosed list at the
next table. A small scan of the text finds the line where the unclosed string or list opened.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_AT_LINE = re.compile(r"\s*\(at line (\d+), column (\d+)\)\s*$")
_AT_END = re.compile(r"\s*\(at end of document\)\s*$")


@dataclass(frozen=True)
class SyntaxFault:
    line: int
    message: str


@dataclass(frozen=True)
class _Open:
    """What the scan found still open at the end of the text (line numbers from 1)."""

    string_line: int = 0  # the line where an unclosed string opened
    string_quote: str = ""
    list_line: int = 0  # the line where an unclosed list opened


def _scan(text: str) -> _Open:
    """Walks the TOML text, tracking strings, comments and value lists (not table headers)."""
    line, index, depth, list_line = 1, 0, 0, 0
    at_line_start = True
    length = len(text)
    while index < length:
        char = text[index]
        if char == "\n":
            line += 1
            index += 1
            at_line_start = True
            continue
        if char in " \t\r":
            index += 1
            continue
        if char == "#":
            while index < length and text[index] != "\n":
                index += 1
            continue
        if char == "[" and at_line_start and depth == 0:
            while index < length and text[index] != "\n":  # a [table] or [[table]] header
                index += 1
            continue
        at_line_start = False
        if char in "\"'":
            quote = text[index : index + 3] if text[index : index + 3] in ('"""', "'''") else char
            opened = line
            index += len(quote)
            closed = False
            while index < length:
                if quote == '"' and text[index] == "\\":
                    index += 2
                    continue
                if text.startswith(quote, index):
                    index += len(quote)
                    closed = True
                    break
                if text[index] == "\n":
                    if len(quote) == 1:
                        break  # a one-line string may not run past its line
                    line += 1
                index += 1
            if not closed:
                return _Open(string_line=opened, string_quote=quote)
            continue
        if char == "[":
            if depth == 0:
                list_line = line
            depth += 1
        elif char == "]" and depth:
            depth -= 1
        index += 1
    return _Open(list_line=list_line if depth else 0)


def _plain(raw: str, line: int, text: str) -> SyntaxFault:
    """The author-facing wording for one tomllib message at `line`."""
    found = _scan(text)
    if found.string_line and (
        raw.startswith("Illegal character '\\n'")
        or raw.startswith("Unterminated string")
        or (raw.startswith("Expected") and found.string_line <= line)
    ):
        quote = found.string_quote
        if len(quote) == 3:
            hint = f"a text opened with {quote} on this line is never closed; end it with {quote}"
        else:
            hint = (
                f"a text opened with {quote} on this line is not closed before the line ends; "
                f'add the closing {quote}, or use """ for text over several lines'
            )
        return SyntaxFault(found.string_line, hint)
    # A list left open swallows the lines after it; the parser trips over one of them later.
    if found.list_line and (raw.startswith("Unclosed array") or found.list_line < line):
        return SyntaxFault(found.list_line, "a list opened with [ on this line is never closed ]")
    if raw.startswith("Invalid value"):
        return SyntaxFault(
            line,
            "the value after '=' is not valid: put text in quotes, lists in [ ], and write "
            "true or false in lower case",
        )
    if raw.startswith("Cannot overwrite a value"):
        return SyntaxFault(line, "this key is already set earlier in the same table")
    if raw.startswith("Cannot declare"):
        return SyntaxFault(line, "this table is declared a second time")
    if raw.startswith("Expected '=' after a key"):
        return SyntaxFault(line, "expected '=' after the key (write: key = value)")
    if raw.startswith("Expected ']' at the end of a table"):
        return SyntaxFault(line, "a table header must end with ']'")
    if raw.startswith("Unescaped '\\' in a string"):
        return SyntaxFault(
            line, "a backslash in \"...\" starts an escape; write \\\\ or use '...' quotes"
        )
    return SyntaxFault(line, raw[:1].lower() + raw[1:])


def explain(message: str, text: str) -> SyntaxFault:
    """The line and plain wording for a tomllib.TOMLDecodeError message about `text`."""
    match = _AT_LINE.search(message)
    if match:
        return _plain(message[: match.start()], int(match.group(1)), text)
    raw = _AT_END.sub("", message)
    return _plain(raw, text.count("\n") + 1, text)
