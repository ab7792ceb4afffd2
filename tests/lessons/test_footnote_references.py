"""Markdown sources that write their references as footnote definitions (`[^1]: ...`).

Many Markdown editors cite with `[^1]` and list the works as `[^1]: ...` definitions, with or
without a "References" heading above them. Such a source must import with every citation
resolved to its reference, not with "cited but not listed" placeholders.
"""

from __future__ import annotations

import markdown
import pytest

from edu.lessons.importer import plan_import

BODY = """\
# Localizing weakness

## Overview

Localization names the level of the lesion[^1].

## Bedside clues

- **Brisk reflexes:** an upper motor neuron sign[^2]
- **Absent reflexes:** a nerve or root sign[^1][^3]
"""

DEFINITIONS = """\
[^1]: Guideline. *Localization Handbook*. Example Neurology Society, 2024.
[^2]: Research. *Reflexes in Neuromuscular Disease*. Journal of Example Neurology, 2019.
[^3]: Review. *Respiratory Monitoring in Weakness*. Example Critical Care Review, 2022.
"""

LAYOUTS = {
    "definitions at the end": BODY + "\n" + DEFINITIONS,
    "definitions under a references heading": BODY + "\n## References\n\n" + DEFINITIONS,
}

PLACEHOLDER = "cited by the source but not listed"


@pytest.fixture(params=sorted(LAYOUTS))
def plan(request, tmp_path):
    path = tmp_path / "localizing.md"
    path.write_text(LAYOUTS[request.param], encoding="utf-8")
    return plan_import(path)


def lesson(plan, slug: str) -> str:
    return next(lesson.text for lesson in plan.lessons if lesson.slug == slug)


def test_every_citation_resolves_to_its_footnote_definition(plan):
    assert plan.unresolved_citations == ()
    assert plan.resolved_citations == 4  # [^1] in Overview; [^2], [^1], [^3] in Bedside clues
    assert [reference.number for reference in plan.document.references] == [1, 2, 3]


def test_each_lesson_carries_the_definitions_it_cites(plan):
    overview = lesson(plan, "overview")
    assert "[^1]: Guideline. *Localization Handbook*. Example Neurology Society, 2024." in overview
    assert "[^2]:" not in overview
    bedside = lesson(plan, "bedside-clues")
    for number, title in ((1, "Localization Handbook"), (2, "Reflexes in"), (3, "Respiratory")):
        assert f"[^{number}]: " in bedside and title in bedside
    assert PLACEHOLDER not in overview + bedside


def test_no_notice_says_a_citation_or_a_reference_is_unmatched(plan):
    unmatched = [
        str(notice)
        for notice in plan.notices
        if "no matching reference" in str(notice) or "never cited" in str(notice)
    ]
    assert unmatched == []


def test_the_definitions_are_not_copied_into_a_lesson_as_text(plan):
    bedside = lesson(plan, "bedside-clues")
    assert bedside.count("Localization Handbook") == 1


def test_the_lesson_renders_each_citation_as_a_linked_footnote(plan):
    body = lesson(plan, "bedside-clues").split("+++", 2)[2]
    html = markdown.markdown(body, extensions=["footnotes", "sane_lists"])
    assert html.count('class="footnote-ref"') == 3
    assert "Respiratory Monitoring in Weakness" in html
    assert PLACEHOLDER not in html
