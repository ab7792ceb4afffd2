"""The parsed document, the same for plain-text and Markdown sources.

Both parsers produce a `Document`; the lesson writer and the question drafter read only this, so
a new source format needs a parser and nothing else. Text fields hold inline Markdown, with
citations already turned into footnote markers (`[^2]`), so a block renders as it stands.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .errors import Notice
from .furniture import Removal


@dataclass(frozen=True)
class Paragraph:
    """Prose; `term` is set for a "Term: explanation" line."""

    text: str
    line: int
    term: str | None = None


@dataclass(frozen=True)
class SubHeading:
    """A heading inside a section; `depth` 1 renders as `##`, 2 as `###`."""

    text: str
    line: int
    depth: int = 1


@dataclass(frozen=True)
class ListItem:
    """One item: an optional term ("Debility:"), its text, and any lists nested under it."""

    text: str
    line: int
    term: str | None = None
    children: tuple[ListBlock, ...] = ()


@dataclass(frozen=True)
class ListBlock:
    """A bulleted or numbered list; `start` is the first number of a numbered list."""

    ordered: bool
    items: tuple[ListItem, ...]
    line: int
    start: int = 1


@dataclass(frozen=True)
class Table:
    """A table whose first row is the header; cells hold inline Markdown."""

    rows: tuple[tuple[str, ...], ...]
    line: int


@dataclass(frozen=True)
class Verbatim:
    """Markdown kept exactly as written (a code block or a block quote)."""

    text: str
    line: int


Block = Paragraph | SubHeading | ListBlock | Table | Verbatim


@dataclass(frozen=True)
class Section:
    """A top-level section of the article: one lesson."""

    heading: str
    line: int
    blocks: tuple[Block, ...]


@dataclass(frozen=True)
class Reference:
    """An entry of the reference list; `number` is what citations in the text point at."""

    number: int
    kind: str
    title: str
    source: str
    year: str
    line: int
    authors: str = ""
    identifier: str = ""


@dataclass(frozen=True)
class Document:
    """A source document reduced to what lessons are made of."""

    path: str
    title: str
    updated: str | None
    sections: tuple[Section, ...]
    references: tuple[Reference, ...]
    notices: tuple[Notice, ...] = ()
    furniture: tuple[Removal, ...] = ()
    layout: str = "generic"
    lead_lines: tuple[int, ...] = ()


def with_lead(sections: list[Section], lead: list[Block]) -> list[Section]:
    """The lead (the text between the title and the first section) opens the first lesson.

    Not a lesson of its own: a lead is a summary of a few sentences, too short to teach from
    alone, and putting it first keeps every lesson's slug, order and file name what they were.
    """
    if not lead or not sections:
        return sections
    first = sections[0]
    return [Section(first.heading, first.line, (*lead, *first.blocks)), *sections[1:]]


def walk_items(block: ListBlock) -> list[ListItem]:
    """Every item of a list, nested ones included, in reading order."""
    found: list[ListItem] = []
    for item in block.items:
        found.append(item)
        for child in item.children:
            found.extend(walk_items(child))
    return found


def title_from_path(path: str) -> str:
    """A title for a document that has none: "nerve-conduction.md" -> "Nerve conduction"."""
    stem = re.split(r"[\\/]", path)[-1].rsplit(".", 1)[0]
    return re.sub(r"[-_\s]+", " ", stem).strip().capitalize() or "Untitled document"
