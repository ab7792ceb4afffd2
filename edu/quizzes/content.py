"""Question files on disk -> Question rows and the quizzes drawn from them.

`load_content` calls `validate_questions` before anything is written, then `load_questions`.
Loading matches questions by their id and never deletes a learner's work: a question removed
from the files is withdrawn (hidden), and each answer keeps a copy of the option it chose.

Two rules protect the author's review in the admin:
- approval given in the admin survives a reload while the file still says "draft";
- text edited in the admin survives until the question's entry in its file changes.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
from pathlib import Path

from django.db.models import F

from cases.engine.faults import Fault

from .models import Option, Question, QuizDefinition
from .question_format import (
    QuestionSpec,
    check_question_files,
    lesson_headings,
    option_level,
    parse_question_file,
    question_paths,
)

LESSON_QUIZ_SIZE = 10
TOPIC_QUIZ_SIZE = 15
TOPIC_QUIZ_ORDER = 1000


def _shown(path: Path, content_dir: Path) -> str:
    try:
        return str(Path("content") / Path(path).relative_to(content_dir))
    except ValueError:
        return str(path)


def _known_lessons(content_dir: Path) -> set[str]:
    from edu.lessons.content import lesson_keys  # lazily: lessons load before questions

    return lesson_keys(content_dir)


def lesson_sections(content_dir: Path) -> dict[str, set[str]]:
    """Each lesson key with the section headings of its body, for the questions' `section`."""
    from edu.lessons.content import read_all  # lazily, as above

    files, _ = read_all(Path(content_dir))
    return {lesson.key: lesson_headings(lesson.body) for lesson in files}


def validate_questions(content_dir: Path) -> list[Fault]:
    """Every fault in `content_dir/questions/*.toml`, lessons checked against the lesson files
    and every approved question's `section` against its lesson's headings."""
    content_dir = Path(content_dir)
    faults = check_question_files(
        question_paths(content_dir), _known_lessons(content_dir), lesson_sections(content_dir)
    )
    return [
        dataclasses.replace(fault, path=_shown(Path(fault.path), content_dir)) for fault in faults
    ]


def spec_hash(spec: QuestionSpec) -> str:
    """Fingerprint of a question's file entry, status aside (status has its own rule)."""
    data = dataclasses.asdict(spec)
    data.pop("status")
    return hashlib.sha256(json.dumps(data, sort_keys=True).encode()).hexdigest()


def load_questions(content_dir: Path, report) -> None:
    content_dir = Path(content_dir)
    known = _known_lessons(content_dir)
    specs: list[tuple[QuestionSpec, str]] = []
    for path in question_paths(content_dir):
        shown = _shown(path, content_dir)
        specs.extend((spec, shown) for spec in parse_question_file(path, known))
    lessons = _lessons_by_key()
    existing = {question.external_id: question for question in Question.objects.all()}
    for spec, shown in specs:
        lesson = lessons.get(spec.lesson)
        question = existing.get(spec.id)
        if question is None:
            _create(spec, shown, lesson)
            report.add("questions", "created")
        elif _update(question, spec, shown, lesson):
            report.add("questions", "updated")
        else:
            report.add("questions", "unchanged")
    in_files = {spec.id for spec, _ in specs}
    for external_id, question in existing.items():
        if external_id not in in_files and question.is_active:
            question.is_active = False
            question.save(update_fields=["is_active", "updated_at"])
            report.add("questions", "withdrawn")
    sync_quiz_definitions(report)


def _lessons_by_key() -> dict:
    from edu.lessons.models import Lesson

    return {lesson.key: lesson for lesson in Lesson.objects.select_related("topic")}


def _question_fields(spec: QuestionSpec) -> dict:
    return {
        "kind": spec.kind,
        "level": spec.level or "",
        "difficulty": spec.difficulty,
        "stem": spec.stem,
        "explanation": spec.explanation,
    }


def _create(spec: QuestionSpec, shown: str, lesson) -> Question:
    question = Question.objects.create(
        external_id=spec.id,
        lesson=lesson,
        lesson_key=spec.lesson,
        file_status=spec.status,
        source_path=shown,
        content_hash=spec_hash(spec),
        **_question_fields(spec),
    )
    Option.objects.bulk_create(
        Option(
            question=question,
            position=position,
            text=option.text,
            is_correct=option.correct,
            why=option.why,
            level=option_level(option, spec.level),
        )
        for position, option in enumerate(spec.options)
    )
    return question


def _update(question: Question, spec: QuestionSpec, shown: str, lesson) -> bool:
    """Bring the row in line with its file entry; False when nothing needed to change."""
    digest = spec_hash(spec)
    text_changed = question.content_hash != digest
    wanted = {
        "lesson_id": lesson.pk if lesson else None,
        "lesson_key": spec.lesson,
        "file_status": spec.status,
        "source_path": shown,
        "is_active": True,
    }
    if text_changed:
        wanted |= _question_fields(spec) | {"content_hash": digest}
    changed = [name for name, value in wanted.items() if getattr(question, name) != value]
    if not changed:
        return False
    for name in changed:
        setattr(question, name, wanted[name])
    question.save()
    if text_changed:
        _sync_options(question, spec)
    return True


def _sync_options(question: Question, spec: QuestionSpec) -> None:
    """Make the options match the file. An option keeps its row (and its answers) when its text
    is unchanged, even if it moved; edited options reuse the remaining rows in order; rows left
    over are deleted, their answers keeping their own copy of the text."""
    # Park every option out of the way first so moves never collide on (question, position)
    # and two options are never correct at once.
    Option.objects.filter(question=question).update(position=F("position") + 1000, is_correct=False)
    rows = list(Option.objects.filter(question=question).order_by("position"))
    by_text = {_normal(row.text): row for row in rows}
    claimed: dict[int, Option] = {}
    for position, option in enumerate(spec.options):
        row = by_text.pop(_normal(option.text), None)
        if row is not None:
            claimed[position] = row
    spare = [row for row in rows if row not in claimed.values()]
    for position, option in enumerate(spec.options):
        row = claimed.get(position) or (spare.pop(0) if spare else None)
        if row is None:
            row = Option(question=question)
        row.position = position
        row.text = option.text
        row.why = option.why
        row.level = option_level(option, spec.level)
        row.is_correct = False
        row.save()
        claimed[position] = row
    if spare:
        Option.objects.filter(pk__in=[row.pk for row in spare]).delete()
    correct = next(position for position, option in enumerate(spec.options) if option.correct)
    Option.objects.filter(pk=claimed[correct].pk).update(is_correct=True)


def _normal(text: str) -> str:
    return " ".join(text.split()).casefold()


# Quiz definitions ----------------------------------------------------------------------------


def _topic_name(slug: str) -> str:
    return slug.replace("-", " ").capitalize()


def wanted_definitions() -> dict[str, dict]:
    """The generated quizzes the loaded lessons call for: one per lesson, one per topic."""
    from edu.lessons.models import Lesson

    wanted: dict[str, dict] = {}
    by_topic: dict[str, list] = {}
    for lesson in (
        Lesson.objects.filter(is_active=True)
        .select_related("topic")
        .order_by("topic__slug", "order")
    ):
        by_topic.setdefault(lesson.topic.slug, []).append(lesson)
        wanted[f"{lesson.topic.slug}-{lesson.slug}"] = {
            "title": lesson.title,
            "description": f"Questions on the lesson “{lesson.title}”.",
            "lesson": lesson,
            "lesson_keys": [lesson.key],
            "levels": [],
            "question_count": LESSON_QUIZ_SIZE,
            "order": lesson.order,
        }
    for topic_slug, topic_lessons in by_topic.items():
        wanted[topic_slug] = {
            "title": f"{_topic_name(topic_slug)}: all lessons",
            "description": (
                f"{TOPIC_QUIZ_SIZE} questions drawn across all {len(topic_lessons)} lessons."
            ),
            "lesson": None,
            "lesson_keys": [lesson.key for lesson in topic_lessons],
            "levels": [],
            "question_count": TOPIC_QUIZ_SIZE,
            "order": TOPIC_QUIZ_ORDER,
        }
    return wanted


def sync_quiz_definitions(report) -> None:
    wanted = wanted_definitions()
    existing = {
        definition.slug: definition
        for definition in QuizDefinition.objects.filter(generated=True).select_related("lesson")
    }
    for slug, fields in wanted.items():
        fields = fields | {"is_active": True}
        definition = existing.get(slug)
        if definition is None:
            QuizDefinition.objects.create(slug=slug, generated=True, **fields)
            report.add("quizzes", "created")
            continue
        changed = [name for name, value in fields.items() if getattr(definition, name) != value]
        if changed:
            for name in changed:
                setattr(definition, name, fields[name])
            definition.save()
            report.add("quizzes", "updated")
        else:
            report.add("quizzes", "unchanged")
    for slug, definition in existing.items():
        if slug not in wanted and definition.is_active:
            definition.is_active = False
            definition.save(update_fields=["is_active"])
            report.add("quizzes", "withdrawn")
