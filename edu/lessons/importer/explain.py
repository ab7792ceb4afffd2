"""`import_document --explain`: every input line with what the importer made of it.

An author whose section went missing needs to see which line was read as what: the title, a
heading (and which lesson it opened), body text, a list item, a reference, a citation and what
it points at, or furniture dropped and by which rule. Nothing is dropped silently: a line no
rule claimed is shown as "not read" so it cannot hide. For a PDF, Word file or saved web page
the lines are those of the Markdown read from it (shown as the importer saw them), after the
page-level drops listed first.
"""

from __future__ import annotations

from .document import ListBlock, Paragraph, SubHeading, Table, Verbatim, walk_items
from .furniture import is_references_heading
from .inline import to_plain
from .pipeline import KIND_LABELS, ImportPlan

_TEXT_WIDTH = 72


def explain_lines(plan: ImportPlan) -> list[str]:
    """The explanation as lines for a terminal."""
    document = plan.document
    source = plan.source_text.split("\n")
    labels: dict[int, list[str]] = {}

    def label(line: int, text: str) -> None:
        if line > 0:
            labels.setdefault(line, []).append(text)

    out: list[str] = [
        f"{plan.source}: read as {KIND_LABELS.get(plan.kind, plan.kind)}, layout {document.layout}",
    ]
    page_drops = [r for r in document.furniture if r.line == 0]
    if page_drops:
        out.append("dropped before reading the text:")
        out.extend(f"  {r.why}: '{r.excerpt}'" for r in page_drops)
    for removal in document.furniture:
        for line in range(removal.line, max(removal.line, removal.last_line) + 1):
            label(line, f"furniture dropped ({removal.why})")
    title_line = _title_line(source, document.title)
    if title_line:
        label(title_line, "title")
    lead = set(document.lead_lines)
    for order, (section, lesson) in enumerate(
        zip(document.sections, plan.lessons, strict=False), start=1
    ):
        label(section.line, f"heading: lesson {order} '{lesson.slug}'")
        for block in section.blocks:
            if isinstance(block, Paragraph):
                what = "lead: opens lesson 1" if block.line in lead else "body"
                label(block.line, f"{what} (term '{block.term}')" if block.term else what)
            elif isinstance(block, SubHeading):
                label(block.line, "sub-heading")
            elif isinstance(block, ListBlock):
                for item in walk_items(block):
                    label(item.line, "list item")
            elif isinstance(block, Table):
                label(block.line, "table")
            elif isinstance(block, Verbatim):
                label(block.line, "kept as written")
        cited: dict[int, tuple[list[int], list[int]]] = {}
        for citation in lesson.citations:
            resolved, unresolved = cited.setdefault(citation.line, ([], []))
            (resolved if citation.resolved else unresolved).append(citation.number)
        for line, (resolved, unresolved) in cited.items():
            if resolved:
                label(line, "cites " + ", ".join(f"[{n}]" for n in dict.fromkeys(resolved)))
            if unresolved:
                label(
                    line,
                    "UNRESOLVED "
                    + ", ".join(f"[{n}]" for n in dict.fromkeys(unresolved))
                    + " (not in the references)",
                )
    for reference in document.references:
        label(reference.line, f"reference {reference.number}")
    for notice in plan.notices:
        if notice.line and "dropped text" in notice.message:
            label(notice.line, notice.message)
    previous_claimed = False
    for number, text in enumerate(source, start=1):
        if not text.strip():
            previous_claimed = False
            continue
        found = labels.get(number)
        if not found and is_references_heading(text.strip().lstrip("#").strip()):
            found = ["references heading"]
        if not found:
            found = ["  (continues the block above)"] if previous_claimed else ["not read"]
        else:
            previous_claimed = not all(f.startswith("furniture") for f in found)
        excerpt = text.strip()
        if len(excerpt) > _TEXT_WIDTH:
            excerpt = excerpt[: _TEXT_WIDTH - 3] + "..."
        out.append(f"{number:>5} | {'; '.join(dict.fromkeys(found)):<44} | {excerpt}")
    if plan.notices:
        out.append("warnings:")
        out.extend(f"  {notice}" for notice in plan.notices)
    return out


def _title_line(source: list[str], title: str) -> int | None:
    wanted = to_plain(title).casefold()
    for number, text in enumerate(source, start=1):
        if text.strip() and to_plain(text.strip().lstrip("#").strip()).casefold() == wanted:
            return number
    return None
