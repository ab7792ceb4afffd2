"""Quiz fixtures: a lesson with a small approved bank and quizzes over it, and content folders
written by the tests."""

import random
from pathlib import Path

import pytest

from edu.authoring.registry import LoadReport
from edu.lessons.content import load_lessons
from edu.quizzes.content import load_questions
from tests.quizzes.factories import LessonFactory, QuestionFactory, QuizDefinitionFactory

LESSON = """+++
title = "{title}"
slug = "{slug}"
order = {order}
topic = "neuromuscular-weakness"
+++

Some text about {title}.
"""


def write_lesson(content_dir: Path, order: int, slug: str, title: str) -> Path:
    folder = content_dir / "lessons" / "neuromuscular-weakness"
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{order:02d}-{slug}.md"
    path.write_text(LESSON.format(title=title, slug=slug, order=order), encoding="utf-8")
    return path


def question_toml(
    qid: str,
    *,
    lesson: str = "definition",
    status: str = "approved",
    stem: str = "Where is the lesion?",
    options: tuple[str, ...] = (
        "Neuromuscular junction",
        "Muscle",
        "Peripheral nerve",
        "Nerve root",
    ),
    correct: int = 0,
    level: str | None = "neuromuscular-junction",
) -> str:
    lines = [
        "[[questions]]",
        f'id = "{qid}"',
        f'status = "{status}"',
        'kind = "single-best-answer"',
        f'lesson = "neuromuscular-weakness/{lesson}"',
        *([f'level = "{level}"'] if level else []),
        'difficulty = "medium"',
        f'stem = "{stem}"',
        'explanation = "Fatigable weakness with kept reflexes points to the junction."',
    ]
    for index, text in enumerate(options):
        lines += ["", "[[questions.options]]", f'text = "{text}"']
        if index == correct:
            lines.append("correct = true")
        lines.append(f'why = "Why {text}."')
    return "\n".join(lines) + "\n"


def write_questions(content_dir: Path, name: str, *questions: str) -> Path:
    folder = content_dir / "questions"
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{name}.toml"
    path.write_text('topic = "neuromuscular-weakness"\n\n' + "\n".join(questions), encoding="utf-8")
    return path


@pytest.fixture
def content_dir(tmp_path):
    write_lesson(tmp_path, 1, "definition", "Definition")
    write_lesson(tmp_path, 2, "common-pitfalls", "Common pitfalls")
    return tmp_path


@pytest.fixture
def load(db):
    """Load lessons then questions, as load_content does; returns the report's counts."""

    def run(content_dir: Path) -> dict:
        report = LoadReport()
        load_lessons(content_dir, report)
        load_questions(content_dir, report)
        return report.counts

    return run


@pytest.fixture
def rng():
    return random.Random(7)


@pytest.fixture
def lesson(db):
    return LessonFactory(slug="definition", title="Definition", order=1)


@pytest.fixture
def bank(lesson):
    """Six approved questions on the lesson, at the neuromuscular junction."""
    return [QuestionFactory(lesson=lesson) for _ in range(6)]


@pytest.fixture
def quiz(lesson, bank):
    return QuizDefinitionFactory(lesson=lesson, title="Definition", question_count=4)
