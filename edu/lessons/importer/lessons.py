"""Writes one Markdown lesson per section: TOML front matter, the body, then its footnotes.

Every citation marker in a lesson gets a footnote definition at the end of that lesson: the
parsed reference (type, title, source, year), or, for a number the reference list lacks, a
footnote that says so, so that an unresolved citation stays visible instead of vanishing. The
Markdown is kept to what Python-Markdown renders well with the `footnotes`, `tables`, `toc` and
`sane_lists` extensions: blank lines between blocks and four spaces per level of list nesting.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import tomli_w

from .document import (
    Block,
    Document,
    ListBlock,
    ListItem,
    Paragraph,
    Reference,
    Section,
    SubHeading,
    Table,
    Verbatim,
    walk_items,
)
from .errors import Notice
from .inline import MARKER, Vocabulary, escape_plain, slugify, to_plain, vocabulary
from .objectives import key_terms_for, objectives_for, without_stated_objectives

_NESTING = "    "
_LINKING_WORDS = frozenset({"of", "in", "for", "about", "on"})
_TITLE_STOP_WORDS = frozenset({"what", "is", "are", "the", "a", "an", "of", "how", "why", "to"})


@dataclass(frozen=True)
class Citation:
    """One footnote marker in a lesson, and whether the reference list has its number."""

    number: int
    line: int
    resolved: bool


@dataclass(frozen=True)
class Lesson:
    """A lesson ready to write: its file name, its text, and what it cites."""

    order: int
    slug: str
    title: str
    filename: str
    text: str
    objectives: tuple[str, ...]
    key_terms: tuple[str, ...]
    citations: tuple[Citation, ...]


def build_lessons(document: Document, topic: str) -> tuple[tuple[Lesson, ...], tuple[Notice, ...]]:
    """One lesson per section, in order, with notices for unresolved citations."""
    by_number = {reference.number: reference for reference in document.references}
    known = document_vocabulary(document)
    topical = _topical_words(document.title, topic)
    width = max(2, len(str(len(document.sections))))
    lessons: list[Lesson] = []
    notices: list[Notice] = []
    used: set[str] = set()
    for order, section in enumerate(document.sections, start=1):
        wanted = section_slug(to_plain(section.heading), topical) or f"section-{order}"
        slug = _unique(wanted, used)
        if slug != wanted:
            notices.append(
                Notice(
                    document.path,
                    section.line,
                    f"two sections share the slug '{wanted}'; this one's lesson is '{slug}'",
                )
            )
        citations = _citations(section, by_number)
        for citation in citations:
            if not citation.resolved:
                notices.append(
                    Notice(
                        document.path,
                        citation.line,
                        f"citation {citation.number} has no "
                        "matching reference; kept as an unresolved footnote",
                    )
                )
        objectives = objectives_for(section, known)
        shown = without_stated_objectives(section)
        key_terms = key_terms_for(shown, known)
        front = {
            "title": to_plain(section.heading),
            "slug": slug,
            "order": order,
            "topic": topic,
            "source_title": document.title,
            **({"source_updated": document.updated} if document.updated else {}),
            "objectives": list(objectives),
            "key_terms": list(key_terms),
        }
        body = render_blocks(shown.blocks)
        footnotes = _footnotes(body, by_number)
        text = f"+++\n{tomli_w.dumps(front)}+++\n\n{body}\n"
        if footnotes:
            text += "\n" + "\n".join(footnotes) + "\n"
        lessons.append(
            Lesson(
                order,
                slug,
                front["title"],
                f"{order:0{width}d}-{slug}.md",
                text,
                objectives,
                key_terms,
                citations,
            )
        )
    cited = {citation.number for lesson in lessons for citation in lesson.citations}
    for reference in document.references:
        if reference.number not in cited:
            notices.append(
                Notice(
                    document.path,
                    reference.line,
                    f"reference {reference.number} is listed but never cited",
                )
            )
    return tuple(lessons), tuple(notices)


def section_slug(heading: str, topical: frozenset[str]) -> str:
    """The heading as a slug, without a closing phrase that only repeats the document's topic:
    "Definition of Neuromuscular Weakness" -> "definition"."""
    words = heading.split()
    for cut in range(1, len(words)):
        tail = [word.lower().strip(",.") for word in words[cut:]]
        if tail[0] in _LINKING_WORDS and all(word in topical for word in tail[1:]) and tail[1:]:
            return slugify(" ".join(words[:cut]))
    return slugify(heading)


def _topical_words(title: str, topic: str) -> frozenset[str]:
    words = set(re.findall(r"[a-z]+", title.lower())) | set(topic.split("-"))
    return frozenset(words - _TITLE_STOP_WORDS)


def _unique(slug: str, used: set[str]) -> str:
    candidate, suffix = slug, 2
    while candidate in used:
        candidate, suffix = f"{slug}-{suffix}", suffix + 1
    used.add(candidate)
    return candidate


def document_vocabulary(document: Document) -> Vocabulary:
    """The lower-case words of the document's text (see `inline.vocabulary`)."""
    return vocabulary(_texts(document))


def _texts(document: Document) -> list[str]:
    texts: list[str] = []
    for section in document.sections:
        for block in section.blocks:
            if isinstance(block, Paragraph):
                texts.append(to_plain(block.text))
            elif isinstance(block, ListBlock):
                texts.extend(to_plain(item.text) for item in walk_items(block))
            elif isinstance(block, Table):
                texts.extend(to_plain(cell) for row in block.rows for cell in row)
    return texts


def _citations(section: Section, by_number: dict[int, Reference]) -> tuple[Citation, ...]:
    found: list[Citation] = []
    for text, line in _marked_texts(section.blocks):
        for match in MARKER.finditer(text):
            number = int(match.group(1))
            found.append(Citation(number, line, number in by_number))
    return tuple(found)


def _marked_texts(blocks: tuple[Block, ...]) -> list[tuple[str, int]]:
    texts: list[tuple[str, int]] = []
    for block in blocks:
        if isinstance(block, Paragraph | SubHeading | Verbatim):
            texts.append((block.text, block.line))
        elif isinstance(block, ListBlock):
            texts.extend(
                (f"{item.term or ''} {item.text}", item.line) for item in walk_items(block)
            )
        elif isinstance(block, Table):
            texts.extend((cell, block.line) for row in block.rows for cell in row)
    return texts


# Rendering -----------------------------------------------------------------------------------


def render_blocks(blocks: tuple[Block, ...]) -> str:
    """The section's blocks as Markdown, separated by blank lines."""
    parts: list[str] = []
    for block in blocks:
        if isinstance(block, Paragraph):
            parts.append(_with_term(block.term, block.text))
        elif isinstance(block, SubHeading):
            parts.append("#" * (block.depth + 1) + " " + block.text)
        elif isinstance(block, ListBlock):
            parts.append("\n".join(_list_lines(block, 0)))
        elif isinstance(block, Table):
            parts.append(_table(block))
        else:
            parts.append(block.text)
    return "\n\n".join(part for part in parts if part.strip())


def _with_term(term: str | None, text: str) -> str:
    if not term:
        return text
    return f"**{term}:** {text}".rstrip()


def _list_lines(block: ListBlock, depth: int) -> list[str]:
    lines: list[str] = []
    for offset, item in enumerate(block.items):
        marker = f"{block.start + offset}." if block.ordered else "-"
        lines.append(f"{_NESTING * depth}{marker} {_item_text(item)}".rstrip())
        for child in item.children:
            lines.extend(_list_lines(child, depth + 1))
    return lines


def _item_text(item: ListItem) -> str:
    return _with_term(item.term, item.text)


def _table(table: Table) -> str:
    def row(cells: tuple[str, ...]) -> str:
        return (
            "| "
            + " | ".join(cell.replace("|", "\\|").replace("\\\\|", "\\|") or " " for cell in cells)
            + " |"
        )

    header, *body = table.rows
    lines = [row(header), "| " + " | ".join("---" for _ in header) + " |"]
    lines.extend(row(cells) for cells in body)
    return "\n".join(lines)


def _footnotes(body: str, by_number: dict[int, Reference]) -> list[str]:
    numbers = list(dict.fromkeys(int(number) for number in MARKER.findall(body)))
    return [f"[^{number}]: {_footnote_text(number, by_number.get(number))}" for number in numbers]


def _footnote_text(number: int, reference: Reference | None) -> str:
    if reference is None:
        return f"Reference {number} is cited by the source but not listed in its references."
    parts: list[str] = []
    if reference.authors:
        parts.append(f"{escape_plain(reference.authors)}.")
    if reference.kind:
        parts.append(f"{escape_plain(reference.kind)}.")
    if reference.title:
        parts.append(f"*{escape_plain(reference.title)}*.")
    year = reference.year if reference.year not in reference.source else ""
    source = ", ".join(part for part in (reference.source, year) if part)
    if source:
        parts.append(f"{escape_plain(source)}.")
    if reference.identifier:
        parts.append(f"{escape_plain(reference.identifier)}.")
    return " ".join(parts) or f"Reference {number}."
