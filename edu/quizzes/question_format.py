"""Reads and checks question bank files, so every fault reaches the author with file and key path.

A question file is TOML: a `topic` and an array of `[[questions]]`, each with its
`[[questions.options]]`. This module is pure (no Django): `validate_content`, the loader, the
document importer and the tests all call it, and it never raises on a bad file; it returns
`Fault`s such as `content/questions/nmj.toml: questions[3].options: two options are marked
correct`. Only `parse_question_file` raises, and only after checking, with every fault attached.

Beyond the format it checks the item writing that a test-wise learner exploits: a correct option
far longer than every distractor, a true-false stem carrying an absolute word ("always",
"never") that gives the false ones away, and an option reused word for word by several items of
one lesson's quiz. Given the lessons' section headings it also checks that every approved
question names the `section` of its lesson that teaches it, so no fact is tested untaught.
"""

from __future__ import annotations

import difflib
import json
import re
import tomllib
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from datetime import date, datetime, time
from pathlib import Path
from typing import Any

from cases.engine.faults import Fault
from cases.engine.levels import LEVEL_IDS, LEVELS

KINDS: tuple[str, ...] = ("single-best-answer", "true-false")
STATUSES: tuple[str, ...] = ("draft", "approved")
DIFFICULTIES: tuple[str, ...] = ("easy", "medium", "hard")
SINGLE_BEST_ANSWER_OPTIONS: tuple[int, int] = (4, 5)
TRUE_FALSE_TEXTS: tuple[str, str] = ("True", "False")

FILE_FIELDS: tuple[str, ...] = ("topic", "questions")
QUESTION_FIELDS: tuple[str, ...] = (
    "id",
    "status",
    "kind",
    "lesson",
    "level",
    "section",
    "difficulty",
    "stem",
    "explanation",
    "options",
)
OPTIONAL_QUESTION_FIELDS: frozenset[str] = frozenset({"level", "section"})
OPTION_FIELDS: tuple[str, ...] = ("text", "correct", "why", "level")
OPTIONAL_OPTION_FIELDS: frozenset[str] = frozenset({"correct", "level"})

_SLUG = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
_BARE_KEY = re.compile(r"[A-Za-z0-9_-]+")
_TOML_POSITION = re.compile(r"\s*\(at line (\d+), column (\d+)\)\s*$")
_TOML_AT_END = re.compile(r"\s*\(at end of document\)\s*$")
FILE_KEY = "(file)"

# Item-writing limits. A key more than this many times as long as the longest distractor is
# picked by length alone.
KEY_LENGTH_RATIO = 1.5
# Words that make a true-false statement answerable from its wording: absolutes mark the false
# ones. Clinical absolutes are written as hedged facts instead ("usually", "does not exclude").
ABSOLUTE_WORDS: tuple[str, ...] = (
    "always",
    "never",
    "invariably",
    "only",
    "all",
    "none",
    "every",
    "entirely",
    "completely",
    "cannot",
    "must",
    "rules out",
    "excludes",
    "proves",
    "guarantees",
)
_ABSOLUTE = re.compile(r"\b(" + "|".join(re.escape(w) for w in ABSOLUTE_WORDS) + r")\b", re.I)
# Options that are meant to recur: the names of the levels (the answer set of every "which
# site?" item) and the two true-false answers.
SHARED_OPTION_TEXTS: frozenset[str] = frozenset(
    " ".join(text.split()).casefold()
    for text in (*(level.label for level in LEVELS), *TRUE_FALSE_TEXTS)
)


@dataclass(frozen=True)
class OptionSpec:
    """One answer option, with the note that says why it is (or is not) the best answer."""

    text: str
    why: str
    correct: bool = False
    level: str | None = None  # the level choosing this option points at; None = not written


def _level_names() -> dict[str, str]:
    """Option texts that name a level outright: its label, short label or id, any case."""
    names = {}
    for level in LEVELS:
        for name in (level.label, level.short, level.id, level.id.replace("-", " ")):
            names[" ".join(name.split()).casefold()] = level.id
    return names


_LEVEL_NAMES = _level_names()


def option_level(option: OptionSpec, question_level: str | None) -> str:
    """The level an answer with this option points at ("" for none): the option's own `level`
    when the author wrote one; else the question's level for the correct option; else the level
    the option's text names, if it names one."""
    if option.level:
        return option.level
    if option.correct:
        return question_level or ""
    return _LEVEL_NAMES.get(" ".join(option.text.split()).casefold(), "")


@dataclass(frozen=True)
class QuestionSpec:
    """One checked question, ready for the loader; `level` is None when the author left it out."""

    id: str
    status: str
    kind: str
    lesson: str
    difficulty: str
    stem: str
    explanation: str
    options: tuple[OptionSpec, ...]
    level: str | None = None
    section: str | None = None

    @property
    def approved(self) -> bool:
        return self.status == "approved"

    @property
    def answer(self) -> OptionSpec:
        """The one option marked correct (the checker guarantees there is exactly one)."""
        return next(option for option in self.options if option.correct)


@dataclass(frozen=True)
class QuestionFile:
    """A checked question file; iterating it yields its questions in file order."""

    path: str
    topic: str
    questions: tuple[QuestionSpec, ...]

    def __iter__(self) -> Iterator[QuestionSpec]:
        return iter(self.questions)

    def __len__(self) -> int:
        return len(self.questions)

    @property
    def approved(self) -> tuple[QuestionSpec, ...]:
        return tuple(question for question in self.questions if question.approved)


class QuestionFileError(ValueError):
    """A question file that failed its check; `faults` holds every problem found, in file order."""

    def __init__(self, faults: Iterable[Fault]) -> None:
        self.faults: tuple[Fault, ...] = tuple(faults)
        super().__init__("\n".join(str(fault) for fault in self.faults))


# Public API ----------------------------------------------------------------------------------


def check_question_file(
    path: Path | str,
    known_lessons: set[str] | None = None,
    lesson_sections: Mapping[str, Iterable[str]] | None = None,
) -> list[Fault]:
    """Every fault in one question file; an empty list means the file is fit to load.

    `known_lessons` holds lesson keys (`"<topic>/<slug>"`); when given, a question pointing at
    any other lesson is a fault. When None, lessons are only checked for their shape.
    `lesson_sections` maps lesson keys to their section headings; when given, every approved
    question must name one of its lesson's sections.
    """
    inspection = _inspect_file(path, known_lessons, lesson_sections)
    return [*inspection.faults, *_repeated_options([inspection])]


def check_question_text(
    text: str,
    path: Path | str = "<text>",
    known_lessons: set[str] | None = None,
    lesson_sections: Mapping[str, Iterable[str]] | None = None,
) -> list[Fault]:
    """Like `check_question_file`, for TOML text that is not (yet) on disk, e.g. importer output."""
    inspection = _inspect_text(text, str(path), known_lessons, lesson_sections)
    return [*inspection.faults, *_repeated_options([inspection])]


def check_question_files(
    paths: Iterable[Path | str],
    known_lessons: set[str] | None = None,
    lesson_sections: Mapping[str, Iterable[str]] | None = None,
) -> list[Fault]:
    """Every fault in several files, plus ids used in more than one file (ids are bank-wide)
    and options repeated across the items of one lesson's quiz, wherever those items live."""
    faults: list[Fault] = []
    inspections: list[_Inspection] = []
    first_seen: dict[str, tuple[str, int]] = {}
    for path in paths:
        inspection = _inspect_file(path, known_lessons, lesson_sections)
        inspections.append(inspection)
        faults.extend(inspection.faults)
        for index, question_id in inspection.ids:
            earlier = first_seen.get(question_id)
            if earlier is None:
                first_seen[question_id] = (str(path), index)
            elif earlier[0] != str(path):
                faults.append(
                    Fault(
                        str(path),
                        f"questions[{index}].id",
                        f"duplicate id '{question_id}' (also in {earlier[0]}, "
                        f"questions[{earlier[1]}])",
                    )
                )
    faults.extend(_repeated_options(inspections))
    return faults


def parse_question_file(
    path: Path | str,
    known_lessons: set[str] | None = None,
    lesson_sections: Mapping[str, Iterable[str]] | None = None,
) -> QuestionFile:
    """The file's questions as frozen values; raises `QuestionFileError` if any fault is found."""
    inspection = _inspect_file(path, known_lessons, lesson_sections)
    return _build(inspection, _repeated_options([inspection]))


def parse_question_text(
    text: str,
    path: Path | str = "<text>",
    known_lessons: set[str] | None = None,
    lesson_sections: Mapping[str, Iterable[str]] | None = None,
) -> QuestionFile:
    """Like `parse_question_file`, for TOML text."""
    inspection = _inspect_text(text, str(path), known_lessons, lesson_sections)
    return _build(inspection, _repeated_options([inspection]))


def lesson_headings(markdown: str) -> set[str]:
    """The section headings of a lesson's Markdown body (`##` and deeper), as authors name them
    in a question's `section`; fenced code is skipped."""
    headings: set[str] = set()
    fenced = False
    for line in markdown.splitlines():
        if re.match(r"^ {0,3}(```|~~~)", line):
            fenced = not fenced
            continue
        match = None if fenced else re.match(r"^ {0,3}#{2,6}[ \t]+(.+?)[ \t#]*$", line)
        if match:
            headings.add(_tidy(match.group(1)))
    return headings


def question_paths(content_dir: Path | str) -> list[Path]:
    """The question files under `content_dir/questions`, sorted so reports read the same way."""
    return sorted(Path(content_dir, "questions").glob("*.toml"))


# Reading -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class _OptionUse:
    """Where an option's text appears: its lesson (the quiz it is drawn into) and key path."""

    lesson: str
    key: str
    text: str


@dataclass(frozen=True)
class _Inspection:
    path: str
    data: dict[str, Any] | None
    faults: list[Fault]
    ids: list[tuple[int, str]]
    option_uses: tuple[_OptionUse, ...] = ()


def _inspect_file(
    path: Path | str,
    known_lessons: set[str] | None,
    lesson_sections: Mapping[str, Iterable[str]] | None = None,
) -> _Inspection:
    shown = str(path)
    try:
        text = Path(path).read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        fault = Fault(shown, FILE_KEY, f"not UTF-8 text (bad byte at offset {exc.start})")
        return _Inspection(shown, None, [fault], [])
    except OSError as exc:
        reason = exc.strerror or exc.__class__.__name__
        return _Inspection(shown, None, [Fault(shown, FILE_KEY, f"cannot read: {reason}")], [])
    return _inspect_text(text, shown, known_lessons, lesson_sections)


def _inspect_text(
    text: str,
    path: str,
    known_lessons: set[str] | None,
    lesson_sections: Mapping[str, Iterable[str]] | None = None,
) -> _Inspection:
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        return _Inspection(path, None, [_syntax_fault(path, str(exc), text)], [])
    except RecursionError:
        fault = Fault(path, FILE_KEY, "invalid TOML: arrays or tables nested too deeply")
        return _Inspection(path, None, [fault], [])
    checker = _Checker(path, known_lessons, lesson_sections)
    checker.check_file(data)
    return _Inspection(path, data, checker.faults, checker.ids, tuple(checker.option_uses))


def _repeated_options(inspections: Iterable[_Inspection]) -> list[Fault]:
    """An option written word for word in two approved items of one lesson's quiz: the learner
    meets it twice and learns the option, not the medicine. Level names and True/False are
    meant to recur and are left alone."""
    faults: list[Fault] = []
    first: dict[tuple[str, str], tuple[str, str]] = {}
    for inspection in inspections:
        for use in inspection.option_uses:
            normal = _normal_text(use.text)
            if normal in SHARED_OPTION_TEXTS:
                continue
            question_key = use.key.partition(".options")[0]
            earlier = first.get((use.lesson, normal))
            if earlier is None:
                first[(use.lesson, normal)] = (inspection.path, use.key)
                continue
            earlier_path, earlier_key = earlier
            if earlier_path == inspection.path and earlier_key.startswith(question_key + "."):
                continue  # the same item: the in-item duplicate check has reported it
            where = (
                earlier_key
                if earlier_path == inspection.path
                else (f"{earlier_path}, {earlier_key}")
            )
            faults.append(
                Fault(
                    inspection.path,
                    f"{use.key}.text",
                    f"option '{use.text}' is also used by {where} in the same lesson's quiz; "
                    "word each item's options for that item",
                )
            )
    return faults


def _syntax_fault(path: str, message: str, text: str) -> Fault:
    position = _TOML_POSITION.search(message)
    if position:
        reason = message[: position.start()]
        return Fault(path, f"line {position[1]}", f"invalid TOML: {reason} (column {position[2]})")
    at_end = _TOML_AT_END.search(message)
    if at_end:
        last_line = len(text.splitlines()) or 1
        reason = message[: at_end.start()]
        return Fault(path, f"line {last_line}", f"invalid TOML: {reason} (at the end of the file)")
    return Fault(path, FILE_KEY, f"invalid TOML: {message}")


def _build(inspection: _Inspection, more_faults: Iterable[Fault] = ()) -> QuestionFile:
    faults = [*inspection.faults, *more_faults]
    if faults or inspection.data is None:
        raise QuestionFileError(faults)
    data = inspection.data
    questions = tuple(
        QuestionSpec(
            id=raw["id"],
            status=raw["status"],
            kind=raw["kind"],
            lesson=raw["lesson"],
            level=raw.get("level"),
            section=_tidy(raw["section"]) if "section" in raw else None,
            difficulty=raw["difficulty"],
            stem=_tidy(raw["stem"]),
            explanation=_tidy(raw["explanation"]),
            options=tuple(
                OptionSpec(
                    text=_tidy(option["text"]),
                    why=_tidy(option["why"]),
                    correct=option.get("correct", False),
                    level=option.get("level"),
                )
                for option in raw["options"]
            ),
        )
        for raw in data["questions"]
    )
    return QuestionFile(path=inspection.path, topic=data["topic"], questions=questions)


def _tidy(text: str) -> str:
    """Authors wrap long text across lines; a single line break joins, a blank line keeps a
    paragraph break (as in Markdown), so the stored text does not depend on the author's editor."""
    paragraphs = re.split(r"\n\s*\n", text.strip())
    return "\n\n".join(" ".join(paragraph.split()) for paragraph in paragraphs)


# Checking ------------------------------------------------------------------------------------


def _toml_type(value: object) -> str:
    """The TOML name of a parsed value's type, for messages an author will recognise."""
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, int):
        return "an integer"
    if isinstance(value, float):
        return "a float"
    if isinstance(value, str):
        return "a string"
    if isinstance(value, list):
        return "an array"
    if isinstance(value, dict):
        return "a table"
    if isinstance(value, datetime | date | time):
        return "a date or time"
    return type(value).__name__


def _key(parent: str, name: str) -> str:
    shown = name if _BARE_KEY.fullmatch(name) else json.dumps(name, ensure_ascii=False)
    return f"{parent}.{shown}" if parent else shown


def _one_of(choices: Iterable[str]) -> str:
    return "expected one of: " + ", ".join(choices)


def _suggest(value: str, choices: Iterable[str]) -> str:
    close = difflib.get_close_matches(value, list(choices), n=1)
    return f"; did you mean '{close[0]}'?" if close else ""


def _normal_text(text: str) -> str:
    """How option texts are compared: trimmed, inner spaces collapsed, case ignored."""
    return " ".join(text.split()).casefold()


class _Checker:
    """Walks parsed TOML once, collecting faults and the ids it met (for cross-file checks)."""

    def __init__(
        self,
        path: str,
        known_lessons: set[str] | None,
        lesson_sections: Mapping[str, Iterable[str]] | None = None,
    ) -> None:
        self.path = path
        self.known_lessons = known_lessons
        self.lesson_sections = (
            None
            if lesson_sections is None
            else {
                lesson: {_normal_text(heading): heading for heading in headings}
                for lesson, headings in lesson_sections.items()
            }
        )
        self.faults: list[Fault] = []
        self.ids: list[tuple[int, str]] = []
        self.option_uses: list[_OptionUse] = []
        self.topic: str | None = None

    def fault(self, key: str, message: str) -> None:
        self.faults.append(Fault(self.path, key, message))

    def check_file(self, data: dict[str, Any]) -> None:
        self.check_fields(data, "", FILE_FIELDS, frozenset())
        topic = self.text_field(data, "", "topic")
        if topic is not None:
            if _SLUG.fullmatch(topic):
                self.topic = topic
            else:
                self.fault(
                    "topic",
                    f"topic '{topic}' must be a lowercase slug, e.g. 'neuromuscular-weakness'",
                )
        if "questions" not in data:
            return
        questions = data["questions"]
        if not isinstance(questions, list):
            self.fault(
                "questions",
                f"expected an array of tables ([[questions]]), found {_toml_type(questions)}",
            )
            return
        if not questions:
            self.fault("questions", "the file holds no questions")
        first_index: dict[str, int] = {}
        for index, question in enumerate(questions):
            key = f"questions[{index}]"
            if not isinstance(question, dict):
                self.fault(key, f"expected a table ([[questions]]), found {_toml_type(question)}")
                continue
            question_id = self.check_question(question, key)
            if question_id is None:
                continue
            if question_id in first_index:
                self.fault(
                    f"{key}.id",
                    f"duplicate id '{question_id}' (also questions[{first_index[question_id]}])",
                )
            else:
                first_index[question_id] = index
                self.ids.append((index, question_id))

    def check_fields(
        self, table: dict[str, Any], key: str, fields: tuple[str, ...], optional: frozenset[str]
    ) -> None:
        for name in table:
            if name not in fields:
                self.fault(_key(key, name), f"unknown field '{name}'{_suggest(name, fields)}")
        for name in fields:
            if name not in optional and name not in table:
                self.fault(_key(key, name), "missing required field")

    def text_field(self, table: dict[str, Any], key: str, name: str) -> str | None:
        """The field's text when present, a string and not blank; otherwise None (and a fault
        unless the field is simply absent, which `check_fields` has already reported)."""
        if name not in table:
            return None
        value = table[name]
        if not isinstance(value, str):
            self.fault(_key(key, name), f"expected a string, found {_toml_type(value)}")
            return None
        if not value.strip():
            self.fault(_key(key, name), "must not be empty")
            return None
        return value.strip()

    def choice_field(
        self, table: dict[str, Any], key: str, name: str, choices: tuple[str, ...]
    ) -> str | None:
        value = self.text_field(table, key, name)
        if value is None:
            return None
        if value not in choices:
            self.fault(
                _key(key, name),
                f"unknown {name} '{value}' ({_one_of(choices)}){_suggest(value, choices)}",
            )
            return None
        return value

    def check_question(self, question: dict[str, Any], key: str) -> str | None:
        """Checks one question and returns its id if the id itself is well formed."""
        self.check_fields(question, key, QUESTION_FIELDS, OPTIONAL_QUESTION_FIELDS)
        question_id = self.text_field(question, key, "id")
        if question_id is not None and not _SLUG.fullmatch(question_id):
            self.fault(
                f"{key}.id",
                f"id '{question_id}' must be a lowercase slug, e.g. 'nmj-evening-ptosis'",
            )
            question_id = None
        status = self.choice_field(question, key, "status", STATUSES)
        kind = self.choice_field(question, key, "kind", KINDS)
        self.choice_field(question, key, "difficulty", DIFFICULTIES)
        lesson = self.check_lesson(question, key)
        if "level" in question:
            self.choice_field(question, key, "level", LEVEL_IDS)
        self.check_section(question, key, lesson, status)
        stem = self.text_field(question, key, "stem")
        self.text_field(question, key, "explanation")
        if kind == "true-false" and stem is not None:
            self.check_true_false_wording(stem, f"{key}.stem")
        if "options" in question:
            self.check_options(question["options"], f"{key}.options", kind)
            # Only approved questions are drawn into quizzes, so only they can repeat there.
            if (
                status == "approved"
                and lesson is not None
                and isinstance(question["options"], list)
            ):
                self.option_uses.extend(
                    _OptionUse(lesson, f"{key}.options[{index}]", option["text"])
                    for index, option in enumerate(question["options"])
                    if isinstance(option, dict) and isinstance(option.get("text"), str)
                )
        return question_id

    def check_section(
        self, question: dict[str, Any], key: str, lesson: str | None, status: str | None
    ) -> None:
        """An approved question names the heading of the lesson section that teaches it."""
        section = self.text_field(question, key, "section")
        if self.lesson_sections is None or lesson is None:
            return
        headings = self.lesson_sections.get(lesson)
        if headings is None:
            return  # an unknown lesson is reported by check_lesson
        if section is None:
            if status == "approved" and "section" not in question:
                self.fault(
                    _key(key, "section"),
                    "an approved question must name the section of its lesson that teaches "
                    "it (a heading of the lesson)",
                )
            return
        if _normal_text(_tidy(section)) not in headings:
            shown = sorted(headings.values())
            close = difflib.get_close_matches(section, shown, n=1)
            hint = f"; did you mean '{close[0]}'?" if close else ""
            self.fault(
                _key(key, "section"),
                f"lesson '{lesson}' has no section '{section}'{hint}",
            )

    def check_true_false_wording(self, stem: str, key: str) -> None:
        absolute = _ABSOLUTE.search(stem)
        if absolute:
            self.fault(
                key,
                f"true-false statement uses the absolute word '{absolute.group(0)}', which "
                "gives a false statement away; state the fact as a clinician would",
            )

    def check_lesson(self, question: dict[str, Any], key: str) -> str | None:
        """The question's lesson key when it is well formed and known (if lessons are known)."""
        lesson = self.text_field(question, key, "lesson")
        if lesson is None:
            return None
        topic, _, slug = lesson.partition("/")
        if not (_SLUG.fullmatch(topic) and _SLUG.fullmatch(slug)):
            self.fault(
                f"{key}.lesson",
                f"lesson '{lesson}' must look like '<topic>/<lesson-slug>'"
                ", e.g. 'neuromuscular-weakness/definition'",
            )
        elif self.topic is not None and topic != self.topic:
            self.fault(
                f"{key}.lesson", f"lesson '{lesson}' is outside this file's topic '{self.topic}'"
            )
        elif self.known_lessons is not None and lesson not in self.known_lessons:
            # Suggest by slug alone: the shared topic prefix would make every lesson look close.
            slugs = {
                known.partition("/")[2]: known
                for known in self.known_lessons
                if known.startswith(f"{topic}/")
            }
            close = difflib.get_close_matches(slug, sorted(slugs), n=1)
            hint = f"; did you mean '{slugs[close[0]]}'?" if close else ""
            self.fault(f"{key}.lesson", f"unknown lesson '{lesson}'{hint}")
        else:
            return lesson
        return None

    def check_options(self, options: object, key: str, kind: str | None) -> None:
        if not isinstance(options, list):
            self.fault(
                key,
                f"expected an array of tables ([[questions.options]]), found {_toml_type(options)}",
            )
            return
        correct: list[int] = []
        texts: list[str | None] = []
        first_index: dict[str, int] = {}
        for index, option in enumerate(options):
            option_key = f"{key}[{index}]"
            if not isinstance(option, dict):
                self.fault(
                    option_key,
                    f"expected a table ([[questions.options]]), found {_toml_type(option)}",
                )
                texts.append(None)
                continue
            self.check_fields(option, option_key, OPTION_FIELDS, OPTIONAL_OPTION_FIELDS)
            text = self.text_field(option, option_key, "text")
            self.text_field(option, option_key, "why")
            if "level" in option:
                self.choice_field(option, option_key, "level", LEVEL_IDS)
            flag = option.get("correct", False)
            if not isinstance(flag, bool):
                self.fault(
                    f"{option_key}.correct", f"expected true or false, found {_toml_type(flag)}"
                )
            elif flag:
                correct.append(index)
            texts.append(text)
            if text is None:
                continue
            normal = _normal_text(text)
            if normal in first_index:
                self.fault(
                    f"{option_key}.text",
                    f"duplicate option '{text}' (same as options[{first_index[normal]}])",
                )
            else:
                first_index[normal] = index
        self.check_option_count(key, kind, len(options), texts)
        if kind == "single-best-answer" and len(correct) == 1:
            self.check_key_length(key, correct[0], texts)
        if not correct:
            self.fault(key, "no option is marked correct (set correct = true on the best answer)")
        elif len(correct) > 1:
            count = "two" if len(correct) == 2 else str(len(correct))
            marked = ", ".join(f"options[{index}]" for index in correct)
            self.fault(key, f"{count} options are marked correct ({marked}); keep exactly one")

    def check_option_count(
        self, key: str, kind: str | None, count: int, texts: list[str | None]
    ) -> None:
        if kind == "single-best-answer":
            low, high = SINGLE_BEST_ANSWER_OPTIONS
            if not low <= count <= high:
                self.fault(
                    key,
                    f"a single-best-answer question needs {low} or {high} options, found {count}",
                )
        elif kind == "true-false":
            if count != 2:
                self.fault(
                    key,
                    f"a true-false question needs exactly two options, 'True' and "
                    f"'False'; found {count}",
                )
            for index, text in enumerate(texts):
                if text is not None and text not in TRUE_FALSE_TEXTS:
                    self.fault(
                        f"{key}[{index}].text",
                        f"a true-false option must read 'True' or 'False', found '{text}'",
                    )

    def check_key_length(self, key: str, answer: int, texts: list[str | None]) -> None:
        answer_text = texts[answer]
        if answer_text is not None and _normal_text(answer_text) in SHARED_OPTION_TEXTS:
            # A level's name: the same answer set recurs across items, so length tells nothing.
            return
        distractors = [len(text) for i, text in enumerate(texts) if i != answer and text]
        if answer_text is None or not distractors:
            return
        longest = max(distractors)
        if len(answer_text) > KEY_LENGTH_RATIO * longest:
            self.fault(
                f"{key}[{answer}].text",
                f"the correct option is {len(answer_text)} characters, more than "
                f"{KEY_LENGTH_RATIO} times the longest distractor ({longest}): it can be picked "
                "by its length; shorten it or give the distractors the same detail",
            )
