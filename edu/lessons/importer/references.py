"""Reads reference lists: the entries that citation numbers point at.

Web copies put each reference over several lines (its type, its title, then "source, year");
Markdown documents write one entry per line, e.g.
`1. Guideline. *Guideline directed topic overview*. Some source, 2025.`
Both end up as `Reference(number, kind, title, source, year)`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

from .document import Reference
from .errors import Notice
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


# Identifiers a reference book appends: "[PubMed: 12345]", "PMID: 12345".
_IDENTIFIER = re.compile(r"\s*\[?(?:PubMed|PMID):?\s*(?P<id>\d{4,9})\]?\.?")
# An encyclopedia's back-link letters before an entry: "^ a b c".
_BACK_LINKS = re.compile(r"^\^(?:[ \t]+[a-z]{1,2}(?=[ \t]))*[ \t]*")
# Vancouver style: "Ruiz A, Berg T. Title. Journal. 2021;14(2):101-9."
_VANCOUVER = re.compile(
    r"^(?P<authors>[A-Z][\w'’-]+(?: [A-Z][\w'’-]+)? [A-Z]{1,3}"
    r"(?:, [A-Z][\w'’-]+(?: [A-Z][\w'’-]+)? [A-Z]{1,3})*(?:,? et al)?)\.\s+(?P<rest>\S.*)$"
)
# Author-date style: 'Hale, R.; Moreno, S. (2015). "Title". Journal. 12 (3): 45-52.'
_AUTHOR_DATE = re.compile(
    r"^(?P<authors>[^()\n]{2,200}?)\s*\((?P<year>(?:19|20)\d{2})[a-z]?\)\.?\s+"
    r"(?:[\"“](?P<quoted>[^\"”]+)[\"”]|(?P<title>[^.]+))\.?\s+(?P<source>\S.*)$"
)


def strip_back_links(text: str) -> str:
    """'^ a b Hale (2015) ...' -> 'Hale (2015) ...'."""
    return _BACK_LINKS.sub("", text.strip(), count=1)


def parse_entry(text: str, number: int, line: int) -> Reference:
    """One reference written on one line (Markdown may italicise the title)."""
    identifier = ""
    found = _IDENTIFIER.search(text)
    if found:
        identifier = f"PubMed {found.group('id')}"
        text = (text[: found.start()] + text[found.end() :]).strip()
    text = strip_back_links(text)
    styled = _styled(to_plain(text), number, line, identifier)
    if styled is not None:
        return styled
    reference = _generic_entry(text, number, line)
    return replace(reference, identifier=identifier) if identifier else reference


def _styled(text: str, number: int, line: int, identifier: str) -> Reference | None:
    """A Vancouver or author-date entry, with its authors kept apart; None if neither."""
    author_date = _AUTHOR_DATE.match(text)
    if author_date:
        return Reference(
            number,
            "",
            (author_date["quoted"] or author_date["title"]).strip(" ."),
            author_date["source"].strip(" ."),
            author_date["year"],
            line,
            author_date["authors"].strip(" ."),
            identifier,
        )
    vancouver = _VANCOUVER.match(text)
    if vancouver:
        title, _, source = vancouver["rest"].partition(". ")
        years = _ANY_YEAR.findall(source or title)
        return Reference(
            number,
            "",
            title.strip(" ."),
            source.strip(" ."),
            years[0] if years else "",
            line,
            vancouver["authors"],
            identifier,
        )
    return None


def _generic_entry(text: str, number: int, line: int) -> Reference:
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


# "[Okafor et al, 2019]", "[Meyer, 2018]", "[NICE 2019]": author-date citations in the text.
AUTHOR_YEAR = re.compile(
    r"\[(?P<name>[A-Z][\w'’-]+(?: [A-Z][\w'’-]+)?)(?: et al\.?)?,? (?P<year>(?:19|20)\d{2})[a-z]?\]"
)


def resolve_author_year(
    lines: list[str],
    start: int,
    end: int,
    references: tuple[Reference, ...],
    path: str,
    notices: list[Notice],
) -> None:
    """Turns author-date citations in `lines[start:end]` into the number of the reference with
    that first author (or body) and year, in place; one that matches none stays as written,
    with a notice naming its line."""

    def number_for(name: str, year: str) -> int | None:
        for reference in references:
            who = reference.authors or reference.kind or reference.title
            if who.casefold().startswith(name.casefold()) and reference.year == year:
                return reference.number
        return None

    for index in range(start, end):
        line = lines[index]
        if "[" not in line:
            continue

        def replace(match: re.Match[str], index: int = index) -> str:
            number = number_for(match["name"], match["year"])
            if number is None:
                notices.append(
                    Notice(
                        path,
                        index + 1,
                        f"citation '{match.group()}' matches no reference; kept as written",
                    )
                )
                return match.group()
            return f"[{number}]"

        lines[index] = AUTHOR_YEAR.sub(replace, line)
