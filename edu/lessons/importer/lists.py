"""Rebuilds nested lists from items and their indentation, for both source formats.

A parser reports each list item with its indentation; deeper items nest under the item above
them, and a change between bullets and numbers at the same depth starts a new list.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from .document import ListBlock, ListItem


@dataclass(frozen=True)
class FlatItem:
    """A list item as a parser saw it, before nesting."""

    indent: int
    ordered: bool
    number: int
    text: str
    line: int
    term: str | None = None


@dataclass
class _OpenList:
    indent: int
    ordered: bool
    start: int
    line: int
    items: list[_OpenItem] = field(default_factory=list)

    def freeze(self) -> ListBlock:
        return ListBlock(
            ordered=self.ordered,
            items=tuple(item.freeze() for item in self.items),
            line=self.line,
            start=self.start,
        )


@dataclass
class _OpenItem:
    flat: FlatItem
    children: list[_OpenList] = field(default_factory=list)

    def freeze(self) -> ListItem:
        return ListItem(
            text=self.flat.text,
            line=self.flat.line,
            term=self.flat.term,
            children=tuple(child.freeze() for child in self.children),
        )


def nest(flat_items: list[FlatItem]) -> list[ListBlock]:
    """The top-level lists formed by the items, nested by indentation."""
    roots: list[_OpenList] = []
    stack: list[_OpenList] = []
    for flat in flat_items:
        while stack and flat.indent < stack[-1].indent:
            stack.pop()
        if stack and flat.indent > stack[-1].indent and stack[-1].items:
            opened = _open(flat)
            stack[-1].items[-1].children.append(opened)
            stack.append(opened)
        elif not stack or stack[-1].ordered != flat.ordered:
            opened = _open(flat)
            if stack:
                stack.pop()
            if stack:
                stack[-1].items[-1].children.append(opened)
            else:
                roots.append(opened)
            stack.append(opened)
        stack[-1].items.append(_OpenItem(flat))
    return [root.freeze() for root in roots]


def _open(flat: FlatItem) -> _OpenList:
    return _OpenList(flat.indent, flat.ordered, flat.number if flat.ordered else 1, flat.line)
