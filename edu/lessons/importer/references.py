"""Reads reference lists: the entries that citation numbers point at.

Web copies put each reference over several lines (its type, its title, then "source, year");
Markdown documents write one entry per line, e.g.
`1. Guideline. *Guideline directed topic overview*. Some source, 2025.`
Both end up as `Reference(number, kind, title, source, year)`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .document import Reference
from .inline import to_plain

_NUMBERED = re.compile(r"^(?:\[(?P<bracket>\d{1,3})\]|(?P<plain>\d{1,3})[.)])\s+(?P<text>\S.*)$")
_ENDS_WITH_YEAR = re.compile(r"[,.]?\s*\(?(?P<year>(?:19|20)\d{2})\)?[.;,]?\s*$")
_ANY_YEAR = re.compile(r"\b(?:19|20)\d{2}\b")
# A sentence break in a one-line reference; "Dr.Oracle" and initials ("J. Smith") are not.
_SENTENCE_BREAK = re.compile(r"(?<=[^\s.A-Z])\.\s+|(?<=[a-z]{2}[A-Z])\.\s+")

# A reference spread over more lines than this without a "source, year" line is not a reference.
_MOST_LINES_PER_ENTRY = 4


@dataclass(frozen=True)
class ReferenceList:
    """The entries read, and the line index where text that is not a reference begins."""

    references: tuple[Reference, ...]
    rest_index: int | None


def numbered_entry(text: str) -> tuple[int | None, str]:
    """(3, "Guideline. ...") from "3. Guideline. ..." or "[3] Guideline. ..."."""
    match = _NUMBERED.match(text.strip())
    if not match:
        return None, text.strip()
    return int(match.group("bracket") or match.group("plain")), match.group("text")


def parse_entry(text: str, number: int, line: int) -> Reference:
    """One reference written on one line (Markdown may italicise the title)."""
    italic = re.search(r"(?<!\*)\*(?!\*)(?P<title>[^*]+)\*|_(?P<under>[^_]+)_", text)
    if italic:
        kind = to_plain(text[: italic.start()]).strip(" .:-–—")
        title = to_plain(italic.group("title") or italic.group("under") or "")
        rest = to_plain(text[italic.end() :])
    else:
        parts = [part.strip() for part in _SENTENCE_BREAK.split(to_plain(text)) if part.strip()]
        kind = parts[0] if len(parts) >= 3 and _is_kind(parts[0]) else ""
        body = parts[1:] if kind else parts
        title = body[0] if body else ""
        rest = ". ".join(body[1:])
    source, year = _split_year(rest.strip(" .,:"))
    if not year:
        title, year = _split_year(title)
    return Reference(number, kind, title.strip(" ."), source, year, line)


def parse_plain_list(lines: list[tuple[int, str]]) -> ReferenceList:
    """References from the non-blank lines after a "References" heading in a web copy.

    `lines` holds (line number, text) pairs; `rest_index` is the position in `lines` where the
    entries stop (a footer the furniture list does not know, say).
    """
    references: list[Reference] = []
    pending: list[tuple[int, str]] = []
    for index, (line, raw) in enumerate(lines):
        text = raw.strip()
        number, body = numbered_entry(text)
        if number is not None:
            if pending:
                return ReferenceList(tuple(references), index - len(pending))
            references.append(parse_entry(body, number, line))
            continue
        pending.append((line, text))
        if _ENDS_WITH_YEAR.search(text):
            references.append(_from_lines(pending, len(references) + 1))
            pending = []
        elif len(pending) > _MOST_LINES_PER_ENTRY:
            return ReferenceList(tuple(references), index - len(pending) + 1)
    rest = len(lines) - len(pending) if pending else None
    return ReferenceList(tuple(references), rest)


def _from_lines(entry: list[tuple[int, str]], number: int) -> Reference:
    line = entry[0][0]
    if len(entry) == 1:
        return parse_entry(entry[0][1], number, line)
    texts = [text for _, text in entry]
    kind = texts[0] if len(texts) >= 3 and _is_kind(texts[0]) else ""
    title_lines = texts[1:-1] if kind else texts[:-1]
    source, year = _split_year(texts[-1])
    return Reference(number, kind, " ".join(title_lines).strip(" ."), source, year, line)


def _is_kind(text: str) -> bool:
    """A reference type such as "Guideline", "Research" or "Systematic review"."""
    return len(text.split()) <= 3 and not re.search(r"[\d,:;]", text)


def _split_year(text: str) -> tuple[str, str]:
    match = _ENDS_WITH_YEAR.search(text)
    if match:
        return text[: match.start()].strip(" .,"), match.group("year")
    years = _ANY_YEAR.findall(text)
    return text.strip(" ."), years[-1] if years else ""
