"""Parses a plain-text copy of a web article into a `Document`.

A copied page has no markup, so structure is read from layout:

- the first line is the page title (the source title, not a section);
- a heading is a short line without end punctuation, alone between blank lines, with content
  after it;
- the article starts at the first heading once furniture is gone, and ends at the references
  heading; what lies outside is dropped with a notice;
- a heading is top-level (a section, one lesson) or a sub-heading by structure: a heading with no
  content of its own, or only an introductory sentence ending in a colon, opens a section whose
  following headings are its sub-headings; after that, each heading joins whichever group
  (sections or sub-headings) its shape resembles more (word count, linking words such as "of"),
  staying a sub-heading on a tie.

Lists are bullets (•, -, * and friends) or numbers, nested by indentation; lines of tab-separated
cells become a table.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .document import (
    Block,
    Document,
    ListBlock,
    Paragraph,
    Section,
    SubHeading,
    Table,
    title_from_path,
    with_lead,
)
from .errors import ImportFailed, Notice
from .furniture import dropped_notices, is_references_heading, remove_furniture, updated_date
from .inline import escape_plain, is_prose, plain_to_markdown, split_term, to_plain
from .layouts import Layout, detect_layout, rules_for
from .lists import FlatItem, nest
from .references import parse_plain_list, resolve_author_year, strip_back_links

_BULLET = re.compile(r"^(?P<indent>[ \t]*)[•◦▪▫‣⁃∙·●○■□►▸✓✔*+–—-][ \t]+(?P<text>\S.*)$")
_NUMBER = re.compile(r"^(?P<indent>[ \t]*)(?P<number>\d{1,3})[.)][ \t]+(?P<text>\S.*)$")
_NUMBER_ALONE = re.compile(r"\d{1,3}[.)]")
_CONTENTS_BOX = re.compile(
    r"^[ \t]*Contents[ \t]*\n"
    r"(?:[ \t]*(?:hide|show|\(?Top\)?|\d+(?:\.\d+)*[ \t]+[^\n]*)[ \t]*(?:\n|$))+",
    re.IGNORECASE | re.MULTILINE,
)
_CONTENTS_ENTRY = re.compile(r"^[ \t]*(\d+(?:\.\d+)*)[ \t]+([^\n]+?)[ \t]*$", re.MULTILINE)
_SENTENCE_END = re.compile(r"[.!?][\"'”’)]?$")
_TRAILING_MARKS = re.compile(r"(?:\s*\[[^\]]{1,40}\])+$|\s+\d{1,3}(?:,\s*\d{1,3})*$")
_MOST_SHORT_LINE_WORDS = 8
_FEWEST_SHORT_LINES = 3

_LONGEST_HEADING_CHARS = 90
_MOST_HEADING_WORDS = 12
# A heading may be a short question ("What is MND?"); a longer one is a sentence.
_MOST_QUESTION_WORDS = 5
_LONGEST_TITLE_CHARS = 200
_MOST_PARAGRAPH_TERM_WORDS = 4
_MOST_ITEM_TERM_WORDS = 8
_LINKING_WORDS = frozenset({"of", "by", "in", "for", "to", "and", "with", "on", "at", "from", "vs"})


@dataclass(frozen=True)
class _Heading:
    text: str
    line: int


def parse_plain(text: str, path: str, layout: Layout | None = None) -> Document:
    """The document in `text` (already decoded); raises `ImportFailed` if it has no sections."""
    layout = layout or detect_layout(text).layout
    cleaned = remove_furniture(text, rules_for(layout))
    lines = [line.rstrip() for line in cleaned.text.split("\n")]
    marked = frozenset(line - 1 for line in cleaned.heading_lines)
    notices: list[Notice] = []
    first_line = _first_content_line(lines, len(lines))
    title_index = next((i for i, line in enumerate(lines) if line.strip()), 0)
    title = _take_title(lines) or title_from_path(path)
    end = _references_heading(lines)
    if layout.line_blocks:
        _mark_list_lines(lines, marked, end)
    start = next((i for i in range(end) if _is_heading(lines, i, end, marked)), None)
    if start is None:
        raise ImportFailed(
            path,
            first_line,
            "no sections found: expected headings (short lines without end punctuation, "
            "between blank lines, followed by text)",
        )
    references: tuple = ()
    if end < len(lines):
        listed = _reference_lines(lines, end + 1)
        found = parse_plain_list(listed)
        references = found.references
        if found.rest_index is not None:
            first_line = listed[found.rest_index][0]
            notices.extend(
                dropped_notices(lines, first_line - 1, len(lines), path, "after the references")
            )
    resolve_author_year(lines, 0, end, references, path, notices)
    lead, lead_lines = _lead(lines, title_index + 1, start, path, notices, layout.line_blocks)
    groups = _groups(_tokens(lines, start, end, marked, layout.line_blocks))
    sections = with_lead(_sections(groups, path, notices, contents_depths(text)), lead)
    updated = updated_date(cleaned, path, notices)
    return Document(
        path,
        title,
        updated,
        tuple(sections),
        references,
        tuple(notices),
        cleaned.removals,
        layout.name,
        lead_lines,
    )


def _lead(
    lines: list[str], start: int, end: int, path: str, notices: list[Notice], single: bool
) -> tuple[list[Block], tuple[int, ...]]:
    """The prose between the title and the first section; anything else there is dropped
    with a notice (an unlisted banner, a stray button label)."""
    lead: list[Block] = []
    kept: list[int] = []
    for token in _tokens(lines, start, end, frozenset(), single):
        if isinstance(token, Paragraph) and is_prose(to_plain(token.text)):
            lead.append(token)
            kept.append(token.line)
    skip = set()
    for line in kept:
        index = line - 1
        while index < end and lines[index].strip():
            skip.add(index)
            index += 1
            if single:
                break
    notices.extend(dropped_notices(lines, start, end, path, "before the first section", skip))
    return lead, tuple(kept)


def _reference_lines(lines: list[str], start: int) -> list[tuple[int, str]]:
    """The non-blank lines after the references heading, each entry on one line: a number
    alone on its line joins the entry under it, and back-linked entries ("^ a b ...") get
    their position as their number."""
    listed: list[tuple[int, str]] = []
    pending_number: tuple[int, str] | None = None
    position = 0
    for index in range(start, len(lines)):
        text = lines[index].strip()
        if not text:
            continue
        if _NUMBER_ALONE.fullmatch(text):
            pending_number = (index + 1, text.rstrip(".)"))
            continue
        if pending_number is not None:
            listed.append((pending_number[0], f"{pending_number[1]}. {text}"))
            pending_number = None
            continue
        if text.startswith("^"):
            position += 1
            listed.append((index + 1, f"{position}. {strip_back_links(text)}"))
            continue
        listed.append((index + 1, text))
    return listed


# Lines ---------------------------------------------------------------------------------------


def _indent(line: str) -> int:
    return len(line.expandtabs(4)) - len(line.expandtabs(4).lstrip())


def _is_list_line(line: str) -> bool:
    return bool(_BULLET.match(line) or _NUMBER.match(line))


def _mark_list_lines(lines: list[str], marked: frozenset[int], end: int) -> None:
    """In a layout that copies one block per line, gives a bullet to the lines that were list
    items on the page (line numbers stay as they were):

    - the lines after an introduction ending in a colon, up to the first full sentence;
    - two or more "Term: explanation" lines in a row;
    - three or more short lines in a row with no end punctuation.
    """
    index = 0
    while index < end:
        if not lines[index].strip() or index in marked:
            index += 1
            continue
        run = [index]
        while run[-1] + 1 < end and lines[run[-1] + 1].strip() and run[-1] + 1 not in marked:
            run.append(run[-1] + 1)
        index = run[-1] + 1
        if len(run) < 2:
            continue
        items: set[int] = set()
        for position, line in enumerate(run):
            if _bare(lines[line]).endswith(":") and position + 1 < len(run):
                for later in run[position + 1 :]:
                    if _SENTENCE_END.search(_bare(lines[later])):
                        break
                    items.add(later)
        for group in _consecutive(run, lambda i: _is_term_line(lines[i])):
            if len(group) >= 2:
                items.update(group)
        for group in _consecutive(run, lambda i: _is_short_line(lines[i])):
            if len(group) >= _FEWEST_SHORT_LINES:
                items.update(group)
        for line in items:
            if not _is_list_line(lines[line]):
                lines[line] = "• " + lines[line].strip()


def _bare(line: str) -> str:
    """The line without its trailing citations ("[1][2]", "[Meyer, 2018]", " 2, 3")."""
    return _TRAILING_MARKS.sub("", line.strip()).rstrip()


def _is_term_line(line: str) -> bool:
    term, rest = split_term(line.strip(), max_words=_MOST_ITEM_TERM_WORDS, allow_label=False)
    return term is not None and bool(rest)


def _is_short_line(line: str) -> bool:
    bare = _bare(line)
    return (
        0 < len(bare.split()) <= _MOST_SHORT_LINE_WORDS
        and not re.search(r"[.!?:;,]$", bare)
        and not _is_list_line(line)
    )


def _consecutive(run: list[int], test) -> list[list[int]]:
    groups: list[list[int]] = []
    for line in run:
        if test(line):
            if groups and groups[-1][-1] == line - 1:
                groups[-1].append(line)
            else:
                groups.append([line])
    return groups


def _is_table_line(line: str) -> bool:
    return len([cell for cell in line.strip().split("\t") if cell.strip()]) >= 2


def _heading_shaped(text: str) -> bool:
    stripped = text.strip()
    return (
        bool(stripped)
        and text == text.lstrip()
        and len(stripped) <= _LONGEST_HEADING_CHARS
        and len(stripped.split()) <= _MOST_HEADING_WORDS
        and _bare(stripped)[-1:] not in ".:;,!"
        and not (stripped.endswith("?") and len(stripped.split()) > _MOST_QUESTION_WORDS)
        and (stripped[0].isupper() or stripped[0].isdigit())
        and "\t" not in stripped
        and not _is_list_line(text)
    )


def _is_heading(
    lines: list[str], index: int, end: int, marked: frozenset[int] = frozenset()
) -> bool:
    """A short line, alone between blank lines (or just above a list), with content after it;
    or a line the layout marked as a heading (an "[edit]" marker, a "Go to:" line above)."""
    if index in marked:
        text = lines[index].strip()
        return (
            bool(text)
            and len(text) <= _LONGEST_HEADING_CHARS
            and any(line.strip() for line in lines[index + 1 : end])
        )
    if not _heading_shaped(lines[index]):
        return False
    if index > 0 and lines[index - 1].strip():
        return False
    if index + 1 >= end:
        return False
    following = lines[index + 1]
    if following.strip() and not _is_list_line(following):
        return False
    return any(line.strip() for line in lines[index + 1 : end])


def _take_title(lines: list[str]) -> str | None:
    """Blanks and returns the page title: the first line of a copied page.

    A copy always starts with the page's title, often a question; a document without one
    loses its first heading to the title, and the text under it is reported as dropped.
    """
    first = next((i for i, line in enumerate(lines) if line.strip()), None)
    if first is None:
        return None
    text = lines[first].strip()
    if _is_list_line(lines[first]) or len(text) > _LONGEST_TITLE_CHARS:
        return None
    lines[first] = ""
    return text


def _references_heading(lines: list[str]) -> int:
    for index, line in enumerate(lines):
        previous_blank = index == 0 or not lines[index - 1].strip()
        if previous_blank and line == line.lstrip() and is_references_heading(line):
            return index
    return len(lines)


def _first_content_line(lines: list[str], end: int) -> int:
    return next((i + 1 for i in range(end) if lines[i].strip()), 1)


# Blocks --------------------------------------------------------------------------------------


def _tokens(
    lines: list[str],
    start: int,
    end: int,
    marked: frozenset[int] = frozenset(),
    single: bool = False,
) -> list[_Heading | Block]:
    tokens: list[_Heading | Block] = []
    index = start
    while index < end:
        line = lines[index]
        if not line.strip():
            index += 1
        elif _is_heading(lines, index, end, marked):
            tokens.append(_Heading(line.strip(), index + 1))
            index += 1
        elif _is_list_line(line):
            blocks, index = _list(lines, index, end)
            tokens.extend(blocks)
        elif _is_table_line(line) and index + 1 < end and _is_table_line(lines[index + 1]):
            table, index = _table(lines, index, end)
            tokens.extend(table)
        else:
            paragraph, index = _paragraph(lines, index, end, marked, single)
            tokens.append(paragraph)
    return tokens


def _inline(raw_lines: list[str], *, item: bool) -> tuple[str | None, str]:
    """The term (if the first line is "Term: explanation") and the text, as Markdown."""
    first, *rest = [line.strip() for line in raw_lines]
    most_words = _MOST_ITEM_TERM_WORDS if item else _MOST_PARAGRAPH_TERM_WORDS
    term, first = split_term(first, max_words=most_words, allow_label=item)
    texts = [plain_to_markdown(line) for line in [first, *rest] if line]
    return (escape_plain(term) if term else None), " ".join(text for text in texts if text)


def _paragraph(
    lines: list[str],
    index: int,
    end: int,
    marked: frozenset[int] = frozenset(),
    single: bool = False,
) -> tuple[Block, int]:
    first = index
    while (
        index < end
        and lines[index].strip()
        and (index == first or not (_is_list_line(lines[index]) or index in marked or single))
    ):
        index += 1
    term, text = _inline(lines[first:index], item=False)
    return Paragraph(text, first + 1, term), index


def _list(lines: list[str], index: int, end: int) -> tuple[list[ListBlock], int]:
    raw: list[tuple[int, bool, int, int, list[str]]] = []
    while index < end:
        line = lines[index]
        if not line.strip():
            following = next((i for i in range(index, end) if lines[i].strip()), end)
            if following < end and (
                _is_list_line(lines[following]) or _indent(lines[following]) > 0
            ):
                index = following
                continue
            break
        bullet, number = _BULLET.match(line), _NUMBER.match(line)
        if number:
            raw.append((_indent(line), True, int(number["number"]), index + 1, [number["text"]]))
        elif bullet:
            raw.append((_indent(line), False, 1, index + 1, [bullet["text"]]))
        elif _indent(line) > 0 and raw:
            raw[-1][4].append(line.strip())
        else:
            break
        index += 1
    flat: list[FlatItem] = []
    for indent, ordered, number, line_number, texts in raw:
        term, text = _inline(texts, item=True)
        flat.append(FlatItem(indent, ordered, number, text, line_number, term))
    return nest(flat), index


def _table(lines: list[str], index: int, end: int) -> tuple[list[Block], int]:
    first = index
    rows: list[tuple[str, ...]] = []
    while index < end and _is_table_line(lines[index]):
        cells = [cell.strip() for cell in lines[index].strip().split("\t") if cell.strip()]
        rows.append(tuple(plain_to_markdown(cell, trailing_citations=False) for cell in cells))
        index += 1
    if len({len(row) for row in rows}) != 1:
        # Ragged rows are not a table: keep each line as prose rather than guess at columns.
        return [
            Paragraph(" ".join(row), first + 1 + offset) for offset, row in enumerate(rows)
        ], index
    return [Table(tuple(rows), first + 1)], index


# Sections ------------------------------------------------------------------------------------


def _groups(tokens: list[_Heading | Block]) -> list[tuple[_Heading, list[Block]]]:
    groups: list[tuple[_Heading, list[Block]]] = []
    for token in tokens:
        if isinstance(token, _Heading):
            groups.append((token, []))
        elif groups:
            groups[-1][1].append(token)
    return groups


def _shape(text: str) -> tuple[int, bool]:
    words = text.lower().split()
    return len(words), any(word in _LINKING_WORDS for word in words)


def _distance(text: str, others: list[str]) -> float:
    words, linked = _shape(text)
    total = 0.0
    for other in others:
        other_words, other_linked = _shape(other)
        total += abs(words - other_words) + (2 if linked != other_linked else 0)
    return total / len(others)


def _opens_section(blocks: list[Block], has_next: bool) -> bool:
    """No content of its own, or only an introduction ending in a colon, then more headings."""
    if not has_next:
        return False
    if not blocks:
        return True
    only = blocks[0]
    return len(blocks) == 1 and isinstance(only, Paragraph) and only.text.rstrip().endswith(":")


def heading_levels(groups: list[tuple[str, list[Block]]]) -> list[bool]:
    """For each (heading, content) in order: True if it is a section, False if a sub-heading."""
    levels: list[bool] = []
    sections: list[str] = []
    subheadings: list[str] = []
    parent_open = False
    just_opened = False
    for position, (heading, blocks) in enumerate(groups):
        opens = _opens_section(blocks, position + 1 < len(groups))
        if not parent_open:
            top = True
        elif just_opened:
            top = False
        elif opens:
            top = True
        else:
            top = not subheadings or _distance(heading, sections) < _distance(heading, subheadings)
        just_opened = False
        if top:
            parent_open = just_opened = opens
            sections.append(heading)
        else:
            subheadings.append(heading)
        levels.append(top)
    return levels


def contents_depths(text: str) -> dict[str, int]:
    """Heading -> depth from a page's contents box ("3<tab>Diagnosis", "3.1<tab>Lumbar
    puncture"), which knows the levels a plain copy has lost; empty if there is none."""
    box = _CONTENTS_BOX.search(text)
    if not box:
        return {}
    depths: dict[str, int] = {}
    for number, heading in _CONTENTS_ENTRY.findall(box.group()):
        depths.setdefault(heading.strip().casefold(), number.count(".") + 1)
    return depths


def _sections(
    groups: list[tuple[_Heading, list[Block]]],
    path: str,
    notices: list[Notice],
    depths: dict[str, int] | None = None,
) -> list[Section]:
    levels = heading_levels([(heading.text, blocks) for heading, blocks in groups])
    if depths:
        # The page's own contents box outranks the guess from the headings' shapes.
        levels = [
            depths.get(heading.text.casefold(), 1 if top else 2) == 1 or position == 0
            for position, ((heading, _), top) in enumerate(zip(groups, levels, strict=True))
        ]
    built: list[tuple[_Heading, list[Block]]] = []
    for (heading, blocks), top in zip(groups, levels, strict=True):
        if top:
            built.append((heading, list(blocks)))
        else:
            built[-1][1].append(SubHeading(escape_plain(heading.text), heading.line))
            built[-1][1].extend(blocks)
    sections: list[Section] = []
    for heading, blocks in built:
        # Only headings and no text under any of them: page chrome shaped like headings (a
        # sponsor line, a site name) before the article, not a section to teach.
        if all(isinstance(block, SubHeading) for block in blocks):
            notices.append(
                Notice(
                    path,
                    heading.line,
                    f"section '{heading.text}' has no content; no lesson written for it",
                )
            )
            continue
        sections.append(Section(escape_plain(heading.text), heading.line, tuple(blocks)))
    return sections
