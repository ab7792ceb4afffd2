"""Parses a Markdown source document into a `Document`.

Headings carry the structure: a single `#` title over `##` sections makes the `##` headings the
sections (deeper ones become sub-headings); several `#` headings are sections themselves. A
heading such as `## References` opens the reference list and ends the article. Lists (`-`, `*`,
`+`, `1.`) nest by indentation, tables stay tables, and `[1]`-style citations become footnote
markers. Furniture (see `furniture.py`) is removed here too, so a pasted page can be tidied in
Markdown and imported as it is.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .document import (
    Block,
    Document,
    ListBlock,
    Paragraph,
    Reference,
    Section,
    SubHeading,
    Table,
    Verbatim,
    title_from_path,
    with_lead,
)
from .errors import ImportFailed, Notice
from .furniture import dropped_notices, is_references_heading, remove_furniture, updated_date
from .inline import is_prose, markdown_citations, split_term, to_plain
from .layouts import Layout, detect_layout, rules_for
from .lists import FlatItem, nest
from .references import numbered_entry, parse_entry, resolve_author_year

_ATX = re.compile(r"^ {0,3}(?P<hashes>#{1,6})[ \t]+(?P<text>.*?)(?:[ \t]+#+)?[ \t]*$")
_SETEXT_UNDERLINE = re.compile(r"^ {0,3}(?P<mark>=+|-+)[ \t]*$")
_ITEM = re.compile(
    r"^(?P<indent>[ \t]*)(?:(?P<bullet>[-*+])|(?P<number>\d{1,9})[.)])[ \t]+(?P<text>.*)$"
)
_RULE = re.compile(r"^ {0,3}([-*_])(?:[ \t]*\1){2,}[ \t]*$")
_FENCE = re.compile(r"^ {0,3}(?P<fence>`{3,}|~{3,})")
_FOOTNOTE_DEFINITION = re.compile(r"^\[\^(?P<number>\d{1,3})\]:[ \t]*(?P<text>.*)$")
_LINK_DEFINITION = re.compile(r"^ {0,3}\[[^\]^]+\]:[ \t]*\S")

_MOST_PARAGRAPH_TERM_WORDS = 4
_MOST_ITEM_TERM_WORDS = 8


@dataclass(frozen=True)
class _Heading:
    index: int
    level: int
    text: str


def parse_markdown(text: str, path: str, layout: Layout | None = None) -> Document:
    """The document in `text` (already decoded); raises `ImportFailed` if it has no sections."""
    layout = layout or detect_layout(text).layout
    cleaned = remove_furniture(text, rules_for(layout))
    lines = [line.rstrip() for line in cleaned.text.split("\n")]
    fenced = _fenced_lines(lines)
    notices: list[Notice] = []
    headings = _headings(lines, fenced)
    references_at = next(
        (
            position
            for position, heading in enumerate(headings)
            if is_references_heading(heading.text)
        ),
        None,
    )
    article = headings if references_at is None else headings[:references_at]
    title, section_level = _title_and_section_level(article)
    section_headings = [heading for heading in article if heading.level == section_level]
    if not section_headings:
        raise ImportFailed(
            path,
            next((i + 1 for i, line in enumerate(lines) if line.strip()), 1),
            "no sections found: expected Markdown headings ('# Title' over '## Section', or "
            "'# Section')",
        )
    title_lines = _heading_lines(lines, title) if title else set()
    first_section = section_headings[0].index
    article_end = headings[references_at].index if references_at is not None else len(lines)
    references: list[tuple[int, str, int]] = []
    closing = len(lines)
    if references_at is not None:
        heading = headings[references_at]
        closing = next(
            (
                later.index
                for later in headings[references_at + 1 :]
                if later.level <= heading.level
            ),
            len(lines),
        )
        references.extend(_reference_entries(lines, heading.index + 1, closing))
    references.extend(_footnote_definitions(lines, fenced, article_end))
    listed = _numbered(references, path, notices)
    resolve_author_year(lines, 0, article_end, listed, path, notices)
    lead_start = max(title_lines) + 1 if title_lines else 0
    lead = [
        block
        for block in _blocks(lines, fenced, lead_start, first_section)
        if isinstance(block, Paragraph) and is_prose(to_plain(block.text))
    ]
    skip = set(title_lines)
    for block in lead:
        index = block.line - 1
        while index < first_section and lines[index].strip():
            skip.add(index)
            index += 1
    notices.extend(dropped_notices(lines, 0, first_section, path, "before the first section", skip))
    sections = _sections(lines, fenced, article, section_level, article_end, path, notices)
    sections = with_lead(sections, list(lead))
    if references_at is not None:
        notices.extend(dropped_notices(lines, closing, len(lines), path, "after the references"))
    updated = updated_date(cleaned, path, notices)
    document_title = to_plain(title.text) if title else title_from_path(path)
    return Document(
        path,
        document_title,
        updated,
        tuple(sections),
        listed,
        tuple(sorted(notices, key=lambda notice: notice.line)),
        cleaned.removals,
        layout.name,
        tuple(block.line for block in lead),
    )


# Headings ------------------------------------------------------------------------------------


def _fenced_lines(lines: list[str]) -> set[int]:
    fenced: set[int] = set()
    opening: str | None = None
    for index, line in enumerate(lines):
        match = _FENCE.match(line)
        if opening is None and match:
            opening = match.group("fence")
            fenced.add(index)
        elif opening is not None:
            fenced.add(index)
            if line.strip().startswith(opening[0] * len(opening)) and not line.strip().strip(
                opening[0]
            ):
                opening = None
    return fenced


def _headings(lines: list[str], fenced: set[int]) -> list[_Heading]:
    headings: list[_Heading] = []
    for index, line in enumerate(lines):
        if index in fenced:
            continue
        atx = _ATX.match(line)
        if atx and atx.group("text").strip():
            headings.append(_Heading(index, len(atx.group("hashes")), atx.group("text").strip()))
            continue
        underline = _SETEXT_UNDERLINE.match(lines[index + 1]) if index + 1 < len(lines) else None
        if (
            underline
            and index + 1 not in fenced
            and line.strip()
            and (index == 0 or not lines[index - 1].strip())
            and not _ITEM.match(line)
            and not _ATX.match(line)
            and not line.lstrip().startswith(("|", ">"))
        ):
            level = 1 if underline.group("mark").startswith("=") else 2
            headings.append(_Heading(index, level, line.strip()))
    return headings


def _title_and_section_level(headings: list[_Heading]) -> tuple[_Heading | None, int]:
    """A lone top heading above deeper ones is the title; the next level down are sections."""
    if not headings:
        return None, 0
    top = min(heading.level for heading in headings)
    at_top = [heading for heading in headings if heading.level == top]
    deeper = [heading.level for heading in headings if heading.level > top]
    if len(at_top) == 1 and at_top[0] is headings[0] and deeper:
        return at_top[0], min(deeper)
    return None, top


def _heading_lines(lines: list[str], heading: _Heading) -> set[int]:
    """The lines a heading occupies (two for an underlined heading)."""
    if _ATX.match(lines[heading.index]):
        return {heading.index}
    return {heading.index, heading.index + 1}


# Sections ------------------------------------------------------------------------------------


def _sections(
    lines: list[str],
    fenced: set[int],
    article: list[_Heading],
    section_level: int,
    article_end: int,
    path: str,
    notices: list[Notice],
) -> list[Section]:
    sections: list[Section] = []
    in_section = [heading for heading in article if heading.level >= section_level]
    first_section = next(i for i, h in enumerate(in_section) if h.level == section_level)
    in_section = in_section[first_section:]
    current: tuple[_Heading, list[Block]] | None = None
    for position, heading in enumerate(in_section):
        end = in_section[position + 1].index if position + 1 < len(in_section) else article_end
        body_start = max(_heading_lines(lines, heading)) + 1
        blocks = _blocks(lines, fenced, body_start, end)
        if heading.level == section_level:
            if current is not None:
                sections.extend(_finish(current, path, notices))
            current = (heading, blocks)
        elif current is not None:
            depth = min(heading.level - section_level, 2)
            current[1].append(
                SubHeading(markdown_citations(heading.text), heading.index + 1, depth)
            )
            current[1].extend(blocks)
    if current is not None:
        sections.extend(_finish(current, path, notices))
    return sections


def _finish(
    current: tuple[_Heading, list[Block]], path: str, notices: list[Notice]
) -> list[Section]:
    heading, blocks = current
    if not any(not isinstance(block, SubHeading) for block in blocks):
        notices.append(
            Notice(
                path,
                heading.index + 1,
                f"section '{heading.text}' has no content; no lesson written for it",
            )
        )
        return []
    return [Section(heading.text, heading.index + 1, tuple(blocks))]


def _blocks(lines: list[str], fenced: set[int], start: int, end: int) -> list[Block]:
    blocks: list[Block] = []
    index = start
    while index < end:
        line = lines[index]
        stripped = line.strip()
        if not stripped or _RULE.match(line) or _FOOTNOTE_DEFINITION.match(stripped):
            index += 1
        elif index in fenced:
            first = index
            while index < end and index in fenced:
                index += 1
            blocks.append(Verbatim("\n".join(lines[first:index]), first + 1))
        elif stripped.startswith("|"):
            first = index
            while index < end and lines[index].strip().startswith("|"):
                index += 1
            blocks.append(_table(lines[first:index], first + 1))
        elif stripped.startswith(">") or _LINK_DEFINITION.match(line):
            first = index
            while index < end and lines[index].strip() and index not in fenced:
                index += 1
            blocks.append(Verbatim(markdown_citations("\n".join(lines[first:index])), first + 1))
        elif _ITEM.match(line):
            found, index = _list(lines, fenced, index, end)
            blocks.extend(found)
        else:
            first = index
            while index < end and _continues_paragraph(lines, fenced, index, first):
                index += 1
            text = " ".join(part.strip() for part in lines[first:index])
            term, text = split_term(text, max_words=_MOST_PARAGRAPH_TERM_WORDS, allow_label=False)
            blocks.append(Paragraph(markdown_citations(text), first + 1, term))
    return blocks


def _continues_paragraph(lines: list[str], fenced: set[int], index: int, first: int) -> bool:
    line = lines[index]
    if not line.strip() or index in fenced:
        return False
    if index == first:
        return True
    return not (_ITEM.match(line) or line.strip().startswith(("|", ">")) or _RULE.match(line))


def _list(lines: list[str], fenced: set[int], index: int, end: int) -> tuple[list[ListBlock], int]:
    raw: list[tuple[int, bool, int, int, list[str]]] = []
    previous_blank = False
    while index < end and index not in fenced:
        line = lines[index]
        if not line.strip():
            following = next((i for i in range(index, end) if lines[i].strip()), end)
            if (
                following < end
                and following not in fenced
                and (_ITEM.match(lines[following]) or lines[following].startswith(("  ", "\t")))
            ):
                index, previous_blank = following, True
                continue
            break
        item = _ITEM.match(line)
        if item and not _RULE.match(line):
            indent = len(item.group("indent").expandtabs(4))
            number = item.group("number")
            ordered = number is not None
            raw.append((indent, ordered, int(number) if ordered else 1, index + 1, [item["text"]]))
        elif (
            raw
            and (line.startswith(("  ", "\t")) or not previous_blank)
            and not (line.strip().startswith("|") or _RULE.match(line))
        ):
            raw[-1][4].append(line.strip())
        else:
            break
        previous_blank = False
        index += 1
    flat: list[FlatItem] = []
    for indent, ordered, number, line_number, texts in raw:
        text = " ".join(part for part in texts if part)
        term, text = split_term(text, max_words=_MOST_ITEM_TERM_WORDS, allow_label=True)
        flat.append(
            FlatItem(
                indent,
                ordered,
                number,
                markdown_citations(text),
                line_number,
                markdown_citations(term) if term else None,
            )
        )
    return nest(flat), index


def _table(rows: list[str], line: int) -> Block:
    parsed: list[tuple[str, ...]] = []
    for row in rows:
        inner = row.strip()
        inner = inner[1:] if inner.startswith("|") else inner
        inner = inner[:-1] if inner.endswith("|") and not inner.endswith("\\|") else inner
        cells = tuple(cell.strip() for cell in re.split(r"(?<!\\)\|", inner))
        if all(re.fullmatch(r":?-+:?", cell) for cell in cells):
            continue
        parsed.append(tuple(markdown_citations(cell) for cell in cells))
    if not parsed:
        return Verbatim("\n".join(rows), line)
    width = max(len(row) for row in parsed)
    return Table(tuple(row + ("",) * (width - len(row)) for row in parsed), line)


# References ----------------------------------------------------------------------------------


def _reference_entries(lines: list[str], start: int, end: int) -> list[tuple[int, str, int]]:
    """(number or 0, text, line) for each entry of the references section."""
    entries: list[tuple[int, str, int]] = []
    for index in range(start, end):
        stripped = lines[index].strip()
        if not stripped:
            continue
        item = _ITEM.match(stripped)
        number, text = numbered_entry(stripped)
        footnote = _FOOTNOTE_DEFINITION.match(stripped)
        if footnote:  # "[^2]: ..." under the heading: one entry each, never a continuation
            entries.append((int(footnote["number"]), footnote["text"], index + 1))
        elif item:
            entries.append((int(item["number"]) if item["number"] else 0, item["text"], index + 1))
        elif number is not None:
            entries.append((number, text, index + 1))
        elif entries and lines[index - 1].strip():
            previous_number, previous_text, previous_line = entries[-1]
            entries[-1] = (previous_number, f"{previous_text} {stripped}", previous_line)
        else:
            entries.append((0, stripped, index + 1))
    return entries


def _footnote_definitions(
    lines: list[str], fenced: set[int], end: int
) -> list[tuple[int, str, int]]:
    definitions: list[tuple[int, str, int]] = []
    for index in range(end):
        match = _FOOTNOTE_DEFINITION.match(lines[index])
        if match and index not in fenced:
            definitions.append((int(match["number"]), match["text"], index + 1))
    return definitions


def _numbered(
    entries: list[tuple[int, str, int]], path: str, notices: list[Notice]
) -> tuple[Reference, ...]:
    """Entries as references, numbered by position unless they carry a number.

    An entry with neither a year nor an italic title is prose (an introduction to the list,
    say), not a reference; the first entry for a number wins.
    """
    references: dict[int, Reference] = {}
    for position, (number, text, line) in enumerate(entries, start=1):
        inner_number, text = numbered_entry(text)
        number = inner_number or number or position
        reference = parse_entry(text, number, line)
        if not reference.year and "*" not in text and "_" not in text:
            notices.append(
                Notice(
                    path,
                    line,
                    f"not read as a reference (no year, no italic title): '{to_plain(text)[:60]}'",
                )
            )
        elif number in references:
            notices.append(
                Notice(
                    path,
                    line,
                    f"reference {number} is listed twice; the first "
                    f"entry (line {references[number].line}) is kept",
                )
            )
        else:
            references[number] = reference
    return tuple(references.values())
