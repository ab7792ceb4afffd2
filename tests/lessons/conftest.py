"""Lesson files written by the tests themselves, and a loader for them."""

from pathlib import Path

import pytest

from edu.authoring.registry import LoadReport
from edu.lessons.content import load_lessons

LESSON = """+++
title = "{title}"
slug = "{slug}"
order = {order}
topic = "{topic}"
source_title = "Weakness, placed"
objectives = ["Name the five sites of the motor unit"]
key_terms = ["Motor unit"]
+++

Intro paragraph about {title} with a citation.[^1]

## First part

- a point
    - a nested point

| site | sign |
|---|---|
| muscle | proximal weakness |

[^1]: Guideline. *A topic overview*. Editors, 2025.
"""


def write_lesson(content_dir: Path, order: int, *, topic="weakness", title=None, body_extra=""):
    slug = f"lesson-{order}"
    folder = content_dir / "lessons" / topic
    folder.mkdir(parents=True, exist_ok=True)
    text = LESSON.format(title=title or f"Lesson {order}", slug=slug, order=order, topic=topic)
    path = folder / f"{order:02d}-{slug}.md"
    path.write_text(text + body_extra, encoding="utf-8")
    return path


@pytest.fixture
def content_dir(tmp_path):
    (tmp_path / "lessons").mkdir()
    return tmp_path


@pytest.fixture
def load(db):
    def run(content_dir: Path) -> dict:
        report = LoadReport()
        load_lessons(content_dir, report)
        return report.counts.get("lessons", {})

    return run
