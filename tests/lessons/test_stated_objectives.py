"""An author's own objectives, written under an "Objectives" sub-heading, become the lesson's
objectives word for word and leave the body; documents without them keep the drafted ones."""

import tomllib

from edu.lessons.importer import import_document

SOURCE = """# Weakness

## Reflexes

### Objectives

- Grade a tendon reflex from absent to brisk with clonus
- Name the root of the knee and ankle jerks

A reflex tests the whole arc from muscle spindle to muscle.

## Tone

- **Spasticity:** a catch on quick stretch
"""


def lesson_front_and_body(path):
    front, body = path.read_text(encoding="utf-8").split("+++\n", 2)[1:]
    return tomllib.loads(front), body


def test_stated_objectives_are_kept_and_leave_the_body(tmp_path):
    source = tmp_path / "weakness.md"
    source.write_text(SOURCE, encoding="utf-8")
    import_document(source, root=tmp_path / "out", topic="weakness", shown=str(source))
    front, body = lesson_front_and_body(tmp_path / "out/lessons/weakness/01-reflexes.md")
    assert front["objectives"] == [
        "Grade a tendon reflex from absent to brisk with clonus",
        "Name the root of the knee and ankle jerks",
    ]
    assert "Objectives" not in body and "Grade a tendon reflex" not in body
    assert "A reflex tests the whole arc" in body


def test_a_section_without_stated_objectives_keeps_the_drafted_ones(tmp_path):
    source = tmp_path / "weakness.md"
    source.write_text(SOURCE, encoding="utf-8")
    import_document(source, root=tmp_path / "out", topic="weakness", shown=str(source))
    front, _ = lesson_front_and_body(tmp_path / "out/lessons/weakness/02-tone.md")
    assert front["objectives"] == ["Explain spasticity"]
