"""Committed expected results of importing the sample documents, and how to compare with them.

An expected result is the lessons an import writes (front matter, body, footnotes) under a
header of figures: the layout detected, sections, references, citations resolved and
unresolved, and furniture blocks dropped. Draft questions are left out: the drafter changes on
its own schedule and has its own tests. Run with `EDU_UPDATE_EXPECTED=1` to rewrite the files
after a deliberate change, then read the diff before committing it.
"""

from __future__ import annotations

import os
from pathlib import Path

from edu.lessons.importer import ImportPlan

EXPECTED = Path(__file__).parent / "fixtures" / "layouts" / "expected"


def rendered(plan: ImportPlan) -> str:
    document = plan.document
    header = [
        f"layout: {document.layout}",
        f"sections: {len(document.sections)}",
        f"references: {len(document.references)}",
        f"citations resolved: {plan.resolved_citations}",
        f"citations unresolved: {len(plan.unresolved_citations)}",
        f"furniture dropped: {len(document.furniture)}",
        f"lead paragraphs kept: {len(document.lead_lines)}",
    ]
    parts = ["\n".join(header)]
    for lesson in plan.lessons:
        parts.append(f"=== {lesson.filename} ===\n{lesson.text}")
    return "\n\n".join(parts)


def assert_matches_expected(plan: ImportPlan, name: str) -> None:
    path = EXPECTED / f"{name.replace('.', '-')}.txt"
    actual = rendered(plan)
    if os.environ.get("EDU_UPDATE_EXPECTED"):
        path.write_text(actual, encoding="utf-8")
    assert path.exists(), f"no expected result {path}: run with EDU_UPDATE_EXPECTED=1"
    assert actual == path.read_text(encoding="utf-8")
