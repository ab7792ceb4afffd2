"""Drafts questions from the document's structure, for an author to review and approve.

A classification list whose items name anatomical levels ("Anterior horn cell disorders",
"Muscle disorders"), each with examples and features, is the one structure a good
single-best-answer item can be built from without inventing facts. Each level with features
gives one draft:

- the stem is a short vignette made of that level's features, never of its name or its
  examples, so the stem cannot contain its key (a draft whose stem still names the answer is
  dropped with a notice);
- the distractors are the neighbouring levels along the motor pathway (the usual confusions),
  never a level the item's own group spans (roots and nerves together);
- every option and the explanation say what separates the answer from each neighbour: the
  neighbour's own features from the document where it describes that level, otherwise a short
  signature the drafter knows (`LEVEL_SIGNATURES`).

Examples are named only in the explanation, as the document's examples of the level, so no
example is credited with features the document gave its group (the old per-example drafts told
learners that Lambert-Eaton syndrome keeps its reflexes, as myasthenia does). Pitfall lists
make no drafts: "which pitfall is this?" only tests the wording of the list.

Every draft has `status = "draft"`, so it reaches no learner until an author approves it, and
an id built from its level group, so a re-import keeps ids stable. Each draft is checked with
the question-bank checker (item writing included) before it is kept; one that fails is dropped
with a notice.
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
_FIELD_SPLIT = re.compile(r"\s*(?:[,;]|\band\b|\bor\b)\s*")
_FEWEST_OPTIONS, _MOST_OPTIONS = 4, 5
# Hedges that read well in a list of features but not as findings in a vignette.
_HEDGE = re.compile(
    r"^(?:may|can|might)\s+(?:include|have|show|be|cause|come with)\s+|^(?:often|usually|"
    r"mostly|sometimes|typically|commonly)\s+",
    re.IGNORECASE,
)
_GROUP_WORDS = re.compile(r"\b(?:disorders?|diseases?|conditions?|lesions?)\b", re.IGNORECASE)

_STEM_OPENING = "A patient is examined for weakness. On examination and testing: "
_STEM_QUESTION = "Which site of the motor unit is most likely affected?"
_STEM_TEMPLATE_WORDS = "motor unit"

# What the drafter says about a level the document does not describe, to tell it from the
# answer. Kept to the signature findings any neurology text gives.
LEVEL_SIGNATURES: dict[str, str] = {
    "upper-motor-neuron": "brisk reflexes, spasticity and an extensor plantar response",
    "anterior-horn-cell": "wasting and fasciculations with normal sensation",
    "nerve-root": "pain radiating in a dermatome, one myotome weak and that root's reflex lost",
    "peripheral-nerve": "distal weakness with sensory loss and reduced reflexes",
    "neuromuscular-junction": "fatigable weakness, often of the eyelids and eye movements",
    "muscle": "symmetric proximal weakness with normal sensation and kept reflexes",
    "not-weakness": "tiredness with normal power on testing",
}


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
    """One vignette draft per described level of every classification list, checked."""
    known = document_vocabulary(document)
    drafts: list[DraftQuestion] = []
    notices: list[Notice] = []
    for section, lesson in zip(document.sections, lessons, strict=True):
        key = f"{topic}/{lesson.slug}"
        for block in _lists(section):
            groups = _classification(block)
            if groups:
                made, dropped = _level_questions(groups, key, topic, known, document.path)
                drafts.extend(made)
                notices.extend(dropped)
    kept, failed = _checked(
        _unique_ids(drafts), topic, {f"{topic}/{lesson.slug}" for lesson in lessons}, document.path
    )
    return kept, (*notices, *failed)


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


def _neighbours(answer: str, excluded: tuple[str, ...]) -> list[str]:
    """The levels nearest the answer along the pathway (upstream first on a tie), at most four,
    leaving out the other levels the answer's group spans; returned in pathway order."""
    centre = LEVEL_IDS.index(answer)
    candidates = [level for level in LEVEL_IDS if level != answer and level not in excluded]
    nearest = sorted(
        candidates, key=lambda level: (abs(LEVEL_IDS.index(level) - centre), LEVEL_IDS.index(level))
    )
    kept = set(nearest[: _MOST_OPTIONS - 1])
    return [level for level in LEVEL_IDS if level in kept or level == answer]


def _findings(features: str) -> str:
    """The features as findings: "may include sensory symptoms, reduced or absent reflexes" ->
    "sensory symptoms, reduced or absent reflexes"."""
    parts = [_HEDGE.sub("", part.strip()) for part in features.split(",")]
    return _mid_sentence(", ".join(part for part in parts if part))


def _described(level: str, by_level: dict[str, _Group]) -> str:
    """What sets a level apart: the document's own features where it gives them."""
    group = by_level.get(level)
    if group is not None and group.features:
        return _findings(group.features)
    return LEVEL_SIGNATURES[level]


def _gives_away(stem: str, group: _Group, answer: str, known: Vocabulary) -> str | None:
    """The words of the stem that name its answer: the level, the group or an example."""
    folded = stem.casefold().replace(_STEM_TEMPLATE_WORDS, "")
    label_words = re.findall(r"[a-z]{4,}", level_label(answer).casefold())
    names = [
        _GROUP_WORDS.sub("", group.label).strip(" :"),
        *group.examples,
        *(word for word in label_words if word not in {"cell", "motor"}),
    ]
    for name in names:
        name = " ".join(name.split())
        if len(name) > 2 and re.search(rf"\b{re.escape(name.casefold())}(?:s|'s)?\b", folded):
            return name
    return None


def _level_questions(
    groups: list[_Group], lesson: str, topic: str, known: Vocabulary, path: str
) -> tuple[list[DraftQuestion], list[Notice]]:
    by_level = {group.levels[0]: group for group in reversed(groups)}
    questions: list[DraftQuestion] = []
    notices: list[Notice] = []
    for group in groups:
        if not group.features:
            continue
        answer = group.levels[0]
        question_id = f"draft-{topic}-level-{slugify(group.label, max_length=40)}"
        stem = f"{_STEM_OPENING}{_findings(group.features)}. {_STEM_QUESTION}"
        named = _gives_away(stem, group, answer, known)
        if named:
            notices.append(
                Notice(
                    path,
                    group.line,
                    f"draft question '{question_id}' dropped: its stem names its answer "
                    f"('{named}')",
                )
            )
            continue
        choices = _neighbours(answer, group.levels[1:])
        name = lowercase_common(group.label, known)
        separated = [
            f"{level_label(level).split(' (')[0].lower()} would show {_described(level, by_level)}"
            for level in choices
            if level != answer
        ]
        examples = (
            f" The document's examples at this level: "
            f"{join_words([_mid_sentence(example) for example in group.examples])}."
            if group.examples
            else ""
        )
        options = tuple(
            DraftOption(
                level_label(level),
                f"These are the features the document gives for {name}.",
                True,
            )
            if level == answer
            else DraftOption(
                level_label(level),
                f"{_sentence_start(_described(level, by_level))} would point here instead.",
            )
            for level in choices
        )
        questions.append(
            DraftQuestion(
                id=question_id,
                kind="single-best-answer",
                lesson=lesson,
                difficulty="medium",
                stem=stem,
                explanation=(
                    f"{_sentence_start(_findings(group.features))}: the features of {name}. "
                    f"What separates the neighbours: {'; '.join(separated)}.{examples}"
                ),
                options=options,
                level=answer,
                line=group.line,
            )
        )
    return questions, notices


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
