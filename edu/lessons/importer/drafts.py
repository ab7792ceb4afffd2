"""Drafts questions from the document's structure, for an author to review and approve.

Two structures carry questions a learner should be able to answer:

- a classification list whose items name anatomical levels ("Anterior horn cell disorders",
  "Muscle disorders"), each with examples and features: every example becomes "which level is
  primarily affected in X?" and every feature list "which level fits this pattern?", with the
  other levels of the classification as distractors;
- a list of pitfalls: each becomes "which pitfall does this describe?" with the other pitfalls
  as options (or a true-or-false item when there are too few to choose from).

Every draft has `status = "draft"`, so it reaches no learner until an author approves it, and
an id built from its subject, so a re-import keeps ids stable. Each draft is checked with the
question-bank checker before it is kept; one that fails is dropped with a notice.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

import tomli_w

from cases.engine.levels import LEVEL_IDS, level_label
from edu.quizzes.question_format import check_question_text

from .document import Document, ListBlock, ListItem, Section
from .errors import Notice
from .inline import Vocabulary, join_words, lowercase_common, slugify, to_plain
from .lessons import Lesson, document_vocabulary

# Words in a classification heading -> the level(s) it names, the first being the answer.
# Order matters: "neuromuscular junction" must win over "muscle", "upper motor neuron" over
# "motor neuron", and "nerve root and peripheral nerve" over either alone.
LEVEL_KEYWORDS: tuple[tuple[re.Pattern[str], tuple[str, ...]], ...] = tuple(
    (re.compile(pattern, re.IGNORECASE), levels)
    for pattern, levels in (
        (r"upper motor neuron|\bbrain\b|spinal cord|myelopath", ("upper-motor-neuron",)),
        (r"anterior horn|motor neuron|lower motor", ("anterior-horn-cell",)),
        (
            r"roots?\b.*\bperipheral nerve|peripheral nerves?\b.*\broots?\b|polyradiculo",
            ("peripheral-nerve", "nerve-root"),
        ),
        (r"junction|synap", ("neuromuscular-junction",)),
        (r"peripheral nerve|neuropath", ("peripheral-nerve",)),
        (r"nerve roots?|radicul", ("nerve-root",)),
        (r"\bmuscles?\b|myopath|dystroph", ("muscle",)),
        (r"not weakness|fatigue|mimic", ("not-weakness",)),
    )
)

_EXAMPLES = re.compile(r"example|e\.g|such as|includ", re.IGNORECASE)
_FEATURES = re.compile(r"feature|finding|sign|clue|characteristic|presentation", re.IGNORECASE)
_PITFALLS = re.compile(r"pitfall|mistake|error|trap", re.IGNORECASE)
_FIELD_SPLIT = re.compile(r"\s*(?:[,;]|\band\b|\bor\b)\s*")
_FEWEST_OPTIONS, _MOST_OPTIONS = 4, 5


@dataclass(frozen=True)
class DraftOption:
    text: str
    why: str
    correct: bool = False


@dataclass(frozen=True)
class DraftQuestion:
    id: str
    kind: str
    lesson: str
    difficulty: str
    stem: str
    explanation: str
    options: tuple[DraftOption, ...]
    level: str | None
    line: int


@dataclass(frozen=True)
class _Group:
    """One classification item: its label, the levels it names, its examples and features."""

    label: str
    levels: tuple[str, ...]
    examples: tuple[str, ...]
    features: str
    line: int


def draft_questions(
    document: Document, lessons: tuple[Lesson, ...], topic: str
) -> tuple[tuple[DraftQuestion, ...], tuple[Notice, ...]]:
    """Draft questions from every classification and pitfall list, checked and de-duplicated."""
    known = document_vocabulary(document)
    drafts: list[DraftQuestion] = []
    for section, lesson in zip(document.sections, lessons, strict=True):
        key = f"{topic}/{lesson.slug}"
        for block in _lists(section):
            groups = _classification(block)
            if groups:
                drafts.extend(_level_questions(groups, key, topic, known))
            elif _PITFALLS.search(to_plain(section.heading)):
                drafts.extend(_pitfall_questions(block, key, topic))
    return _checked(
        _unique_ids(drafts), topic, {f"{topic}/{lesson.slug}" for lesson in lessons}, document.path
    )


def render_drafts(drafts: tuple[DraftQuestion, ...], topic: str, source: str) -> str:
    """The question file, with `[[questions]]` and `[[questions.options]]` tables."""
    lines = [
        f"# Drafted by `manage.py import_document` from {source}.",
        "# Review each question, rewrite it in your own words where needed, and set",
        '# status = "approved" (ideally moving it to a file of its own) before learners see it.',
        "# Importing the source again rewrites this file.",
        "",
        tomli_w.dumps({"topic": topic}).rstrip(),
    ]
    for draft in drafts:
        lines.append("")
        lines.append(_question_toml(draft))
    return "\n".join(lines).rstrip() + "\n"


def _question_toml(draft: DraftQuestion) -> str:
    fields = {
        "id": draft.id,
        "status": "draft",
        "kind": draft.kind,
        "lesson": draft.lesson,
        **({"level": draft.level} if draft.level else {}),
        "difficulty": draft.difficulty,
        "stem": draft.stem,
        "explanation": draft.explanation,
    }
    parts = ["[[questions]]", tomli_w.dumps(fields).rstrip()]
    for option in draft.options:
        values = {
            "text": option.text,
            **({"correct": True} if option.correct else {}),
            "why": option.why,
        }
        parts.extend(["", "[[questions.options]]", tomli_w.dumps(values).rstrip()])
    return "\n".join(parts)


# Classification lists ------------------------------------------------------------------------


def _lists(section: Section) -> list[ListBlock]:
    """Every list of the section, nested ones included, in reading order."""
    found: list[ListBlock] = []

    def visit(block: ListBlock) -> None:
        found.append(block)
        for item in block.items:
            for child in item.children:
                visit(child)

    for block in section.blocks:
        if isinstance(block, ListBlock):
            visit(block)
    return found


def levels_named(label: str) -> tuple[str, ...]:
    """The level ids a classification heading names ("Muscle disorders" -> ("muscle",))."""
    for pattern, levels in LEVEL_KEYWORDS:
        if pattern.search(label):
            return levels
    return ()


def _classification(block: ListBlock) -> list[_Group]:
    """The list's items as classification groups, if at least two name different levels."""
    groups: list[_Group] = []
    for item in block.items:
        if not item.term:
            continue
        levels = levels_named(to_plain(item.term))
        examples, features = _fields(item)
        if levels and (examples or features):
            groups.append(_Group(to_plain(item.term), levels, examples, features, item.line))
    if len({group.levels[0] for group in groups}) < 2:
        return []
    return groups


def _fields(item: ListItem) -> tuple[tuple[str, ...], str]:
    examples: list[str] = []
    features = ""
    for child in (entry for block in item.children for entry in block.items):
        if not child.term:
            continue
        text = to_plain(child.text).rstrip(".")
        if _EXAMPLES.search(child.term):
            examples.extend(part.strip() for part in _FIELD_SPLIT.split(text) if part.strip())
        elif _FEATURES.search(child.term) and not features:
            features = text
    return tuple(dict.fromkeys(examples)), features


def _options_pool(groups: list[_Group]) -> list[str]:
    """The levels from the first to the last one the classification names, in pathway order,
    widened to the neighbours when that leaves too few options."""
    positions = [LEVEL_IDS.index(level) for group in groups for level in group.levels]
    low, high = min(positions), max(positions)
    while high - low + 1 < _FEWEST_OPTIONS + 1 and (low > 0 or high < len(LEVEL_IDS) - 1):
        low, high = max(0, low - 1), min(len(LEVEL_IDS) - 1, high + 1)
    return list(LEVEL_IDS[low : high + 1])


def _level_questions(
    groups: list[_Group], lesson: str, topic: str, known: Vocabulary
) -> list[DraftQuestion]:
    pool = _options_pool(groups)
    by_level = {group.levels[0]: group for group in reversed(groups)}
    questions: list[DraftQuestion] = []
    for group in groups:
        answer = group.levels[0]
        choices = [level for level in pool if level == answer or level not in group.levels]
        choices = _nearest(choices, answer, _MOST_OPTIONS)
        name = lowercase_common(group.label, known)
        for example in group.examples:
            subject = _sentence_start(example)
            options = tuple(
                DraftOption(
                    level_label(level),
                    f"The classification lists {_mid_sentence(example)} with {name}.",
                    True,
                )
                if level == answer
                else DraftOption(level_label(level), _other_level_why(level, by_level, known))
                for level in choices
            )
            features = (
                f" Their features: {_mid_sentence(group.features)}." if group.features else ""
            )
            questions.append(
                DraftQuestion(
                    id=f"draft-{topic}-level-{slugify(example, max_length=40)}",
                    kind="single-best-answer",
                    lesson=lesson,
                    difficulty="easy",
                    stem=f"{subject}: which anatomical level is primarily affected?",
                    explanation=f"The classification lists {_mid_sentence(example)} with {name}."
                    f"{features}",
                    options=options,
                    level=answer,
                    line=group.line,
                )
            )
        if group.features:
            options = tuple(
                DraftOption(level_label(level), f"These are the features listed for {name}.", True)
                if level == answer
                else DraftOption(level_label(level), _other_pattern_why(level, by_level, known))
                for level in choices
            )
            examples = f" Examples: {join_words(list(group.examples))}." if group.examples else ""
            questions.append(
                DraftQuestion(
                    id=f"draft-{topic}-pattern-{slugify(group.label, max_length=40)}",
                    kind="single-best-answer",
                    lesson=lesson,
                    difficulty="medium",
                    stem="Which anatomical level best fits weakness with these features: "
                    f"{_mid_sentence(group.features)}?",
                    explanation=f"The classification gives these features for {name}.{examples}",
                    options=options,
                    level=answer,
                    line=group.line,
                )
            )
    return questions


def _nearest(choices: list[str], answer: str, most: int) -> list[str]:
    """At most `most` choices, keeping those nearest the answer along the pathway."""
    if len(choices) <= most:
        return choices
    centre = LEVEL_IDS.index(answer)
    kept = sorted(choices, key=lambda level: abs(LEVEL_IDS.index(level) - centre))[:most]
    return [level for level in choices if level in kept]


def _other_level_why(level: str, by_level: dict[str, _Group], known: Vocabulary) -> str:
    group = by_level.get(level)
    if group is None or not group.examples:
        return f"{level_label(level)} is not where the classification places this condition."
    return (
        f"{_sentence_start(lowercase_common(group.label, known))} are a different group, "
        f"e.g. {join_words([_mid_sentence(e) for e in group.examples[:2]])}."
    )


def _other_pattern_why(level: str, by_level: dict[str, _Group], known: Vocabulary) -> str:
    group = by_level.get(level)
    if group is None or not group.features:
        return f"{level_label(level)} is not the level these features point to."
    return (
        f"{_sentence_start(lowercase_common(group.label, known))} show a different "
        f"pattern: {_mid_sentence(group.features)}."
    )


def _sentence_start(text: str) -> str:
    return text[:1].upper() + text[1:]


def _mid_sentence(text: str) -> str:
    """Lower-cases a leading capital when the phrase reads as sentence case ("Progressive
    weakness, ..."); names ("Guillain-Barré ...") and acronyms ("ICU ...") keep theirs."""
    words = text.split(" ")
    first = words[0]
    following_lower = len(words) > 1 and words[1][:1].islower()
    if re.fullmatch(r"[A-Z][a-z']+", first) and following_lower:
        words[0] = first.lower()
    return " ".join(words)


# Pitfalls ------------------------------------------------------------------------------------


def _pitfall_questions(block: ListBlock, lesson: str, topic: str) -> list[DraftQuestion]:
    pitfalls = [
        (to_plain(item.term), to_plain(item.text).rstrip("."), item.line)
        for item in block.items
        if item.term and to_plain(item.text)
    ]
    questions: list[DraftQuestion] = []
    for index, (label, description, line) in enumerate(pitfalls):
        question_id = f"draft-{topic}-pitfall-{slugify(label, max_length=40)}"
        explanation = f"{label}: {description}."
        if len(pitfalls) >= _FEWEST_OPTIONS:
            others = [
                pitfalls[(index + step) % len(pitfalls)]
                for step in range(1, min(len(pitfalls), _MOST_OPTIONS))
            ]
            ordered = sorted(
                [(label, description), *[(o[0], o[1]) for o in others]],
                key=lambda pair: [p[0] for p in pitfalls].index(pair[0]),
            )
            options = tuple(
                DraftOption(text, "This is the pitfall the description matches.", True)
                if text == label
                else DraftOption(text, f"A different pitfall: {_mid_sentence(other)}.")
                for text, other in ordered
            )
            questions.append(
                DraftQuestion(
                    question_id,
                    "single-best-answer",
                    lesson,
                    "medium",
                    f"Which pitfall in assessment does this describe? {description}.",
                    explanation,
                    options,
                    None,
                    line,
                )
            )
        else:
            options = (
                DraftOption("True", f"The source says so under '{label}'.", True),
                DraftOption("False", "The statement is the source's own account of a pitfall."),
            )
            questions.append(
                DraftQuestion(
                    question_id,
                    "true-false",
                    lesson,
                    "medium",
                    f"True or false: {description}.",
                    explanation,
                    options,
                    None,
                    line,
                )
            )
    return questions


# Checking ------------------------------------------------------------------------------------


def _unique_ids(drafts: list[DraftQuestion]) -> list[DraftQuestion]:
    seen: set[str] = set()
    unique: list[DraftQuestion] = []
    for draft in drafts:
        base = draft.id.strip("-") or "draft"
        question_id, suffix = base, 2
        while question_id in seen:
            question_id, suffix = f"{base}-{suffix}", suffix + 1
        seen.add(question_id)
        unique.append(draft if question_id == draft.id else replace(draft, id=question_id))
    return unique


def _checked(
    drafts: list[DraftQuestion], topic: str, lessons: set[str], path: str
) -> tuple[tuple[DraftQuestion, ...], tuple[Notice, ...]]:
    kept: list[DraftQuestion] = []
    notices: list[Notice] = []
    for draft in drafts:
        text = render_drafts((draft,), topic, path)
        faults = check_question_text(text, f"draft {draft.id}", lessons)
        if faults:
            notices.append(
                Notice(
                    path,
                    draft.line,
                    f"draft question '{draft.id}' dropped: {faults[0].key}: {faults[0].message}",
                )
            )
        else:
            kept.append(draft)
    return tuple(kept), tuple(notices)
