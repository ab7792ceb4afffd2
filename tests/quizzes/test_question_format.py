"""The question bank checks cleanly and covers the course; broken files get clear faults."""

from __future__ import annotations

import copy
import re
import tomllib
from collections import Counter
from collections.abc import Callable
from pathlib import Path

import pytest
import tomli_w
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cases.engine.faults import Fault
from cases.engine.levels import LEVEL_IDS
from edu.quizzes.question_format import (
    ABSOLUTE_WORDS,
    DIFFICULTIES,
    KINDS,
    STATUSES,
    QuestionFileError,
    check_question_file,
    check_question_files,
    check_question_text,
    parse_question_file,
    parse_question_text,
    question_paths,
)

CONTENT = Path(__file__).resolve().parents[2] / "content"
TOPIC = "neuromuscular-weakness"
LESSON_SLUGS = (
    "definition",
    "clinical-characteristics",
    "classification-by-anatomical-level",
    "functional-assessment",
    "special-considerations",
    "common-pitfalls",
)
LESSONS = {f"{TOPIC}/{slug}" for slug in LESSON_SLUGS}

ABSOLUTE = re.compile(r"\b(" + "|".join(map(re.escape, ABSOLUTE_WORDS)) + r")\b", re.IGNORECASE)

# Minimum approved questions per level, as the course plan sets them.
LEVEL_MINIMUMS = {
    "upper-motor-neuron": 2,
    "anterior-horn-cell": 4,
    "nerve-root": 4,
    "peripheral-nerve": 4,
    "neuromuscular-junction": 4,
    "muscle": 4,
    "not-weakness": 2,
}


# The bank ---------------------------------------------------------------------------------------


def bank_paths() -> list[Path]:
    return question_paths(CONTENT)


def approved_questions():
    return [question for path in bank_paths() for question in parse_question_file(path).approved]


def test_every_bank_file_checks_cleanly_against_the_six_lessons():
    faults = check_question_files(bank_paths(), LESSONS)
    assert [str(fault) for fault in faults] == []


def test_bank_has_one_file_per_lesson():
    names = {path.name for path in bank_paths()}
    expected = {
        "definition.toml",
        "clinical-characteristics.toml",
        "classification.toml",
        "functional-assessment.toml",
        "special-considerations.toml",
        "common-pitfalls.toml",
    }
    assert expected <= names


def test_bank_holds_at_least_sixty_approved_questions():
    assert len(approved_questions()) >= 60


@pytest.mark.parametrize("lesson", sorted(LESSONS))
def test_every_lesson_has_at_least_six_approved_questions(lesson):
    count = sum(question.lesson == lesson for question in approved_questions())
    assert count >= 6, f"{lesson} has only {count} approved questions"


@pytest.mark.parametrize(("level", "minimum"), sorted(LEVEL_MINIMUMS.items()))
def test_every_level_is_taught_by_enough_questions(level, minimum):
    count = sum(question.level == level for question in approved_questions())
    assert count >= minimum, f"{level} has only {count} approved questions"


def test_level_minimums_cover_every_level():
    assert set(LEVEL_MINIMUMS) == set(LEVEL_IDS)


def test_difficulty_is_spread_roughly_in_thirds():
    questions = approved_questions()
    counts = Counter(question.difficulty for question in questions)
    for difficulty in DIFFICULTIES:
        assert counts[difficulty] >= len(questions) / 5, counts


def test_bank_mixes_vignettes_with_some_true_false_items():
    counts = Counter(question.kind for question in approved_questions())
    assert 8 <= counts["true-false"] <= counts["single-best-answer"] / 4


def test_best_answer_position_varies_across_the_bank():
    positions = Counter(
        [option.correct for option in question.options].index(True)
        for question in approved_questions()
        if question.kind == "single-best-answer"
    )
    assert len(positions) >= 4
    assert max(positions.values()) <= sum(positions.values()) / 2


# A small valid file, mutated into each kind of fault --------------------------------------------

VALID = f'''\
topic = "{TOPIC}"

[[questions]]
id = "sample-proximal-weakness"
status = "approved"
kind = "single-best-answer"
lesson = "{TOPIC}/clinical-characteristics"
level = "muscle"
difficulty = "easy"
stem = """A 50-year-old has symmetric weakness of the hips and shoulders with normal
sensation and reflexes. Which site is most likely affected?"""
explanation = "Symmetric proximal weakness with normal sensation points to muscle."

[[questions.options]]
text = "Anterior horn cell"
why = "Would bring fasciculations and wasting."

[[questions.options]]
text = "Nerve root"
why = "Would bring radiating pain."

[[questions.options]]
text = "Peripheral nerve"
why = "Would be distal with sensory loss."

[[questions.options]]
text = "Neuromuscular junction"
why = "Would fluctuate."

[[questions.options]]
text = "Muscle"
correct = true
why = "Proximal, symmetric, sensation spared."

[[questions]]
id = "sample-fatigue-true-false"
status = "draft"
kind = "true-false"
lesson = "{TOPIC}/common-pitfalls"
difficulty = "medium"
stem = "True or false: fatigue means reduced strength on testing."
explanation = "Fatigue is exhaustion with normal strength."

[[questions.options]]
text = "True"
why = "Strength is normal in fatigue."

[[questions.options]]
text = "False"
correct = true
why = "Fatigue leaves strength intact."
'''


def mutated(edit: Callable[[dict], None]) -> str:
    """VALID with one edit applied to its data, written back as TOML."""
    data = tomllib.loads(VALID)
    edit(data)
    return tomli_w.dumps(data)


def q(data: dict, index: int = 0) -> dict:
    return data["questions"][index]


def opts(data: dict, index: int = 0) -> list[dict]:
    return data["questions"][index]["options"]


def setter(target: Callable[[dict], dict], key: str, value: object) -> Callable[[dict], None]:
    return lambda data: target(data).__setitem__(key, value)


def remover(target: Callable[[dict], dict], key: str) -> Callable[[dict], None]:
    return lambda data: target(data).__delitem__(key)


def three_options(data: dict) -> None:
    del opts(data)[:2]


def six_options(data: dict) -> None:
    opts(data).append({"text": "Spinal cord", "why": "Outside the motor unit."})


def three_true_false_options(data: dict) -> None:
    opts(data, 1).append({"text": "Sometimes", "why": "Not an answer."})


def no_correct_option(data: dict) -> None:
    for option in opts(data):
        option.pop("correct", None)


def duplicate_id(data: dict) -> None:
    q(data, 1)["id"] = q(data, 0)["id"]


def options_as_single_table(data: dict) -> None:
    q(data)["options"] = {"text": "Muscle", "correct": True, "why": "Only one."}


def misspelt_explanation(data: dict) -> None:
    q(data)["explanaton"] = q(data).pop("explanation")


def syntax_error() -> str:
    # Line 8 is `level = "muscle"`; break its closing quote.
    lines = VALID.splitlines()
    assert lines[7] == 'level = "muscle"'
    lines[7] = 'level = "muscle'
    return "\n".join(lines)


MALFORMED = [
    pytest.param(syntax_error, "line 8", "invalid TOML", id="toml-syntax-error-with-line"),
    pytest.param(
        lambda: mutated(remover(lambda d: d, "topic")),
        "topic",
        "missing required field",
        id="missing-topic",
    ),
    pytest.param(
        lambda: mutated(setter(lambda d: d, "title", "Weakness")),
        "title",
        "unknown field 'title'",
        id="unknown-top-level-field",
    ),
    pytest.param(
        lambda: mutated(setter(lambda d: d, "questions", [])),
        "questions",
        "no questions",
        id="no-questions",
    ),
    pytest.param(
        lambda: mutated(remover(lambda d: q(d, 1), "explanation")),
        "questions[1].explanation",
        "missing required field",
        id="missing-explanation",
    ),
    pytest.param(
        lambda: mutated(misspelt_explanation),
        "questions[0].explanaton",
        "did you mean 'explanation'?",
        id="misspelt-field-with-suggestion",
    ),
    pytest.param(
        lambda: mutated(setter(lambda d: opts(d)[2], "comment", "x")),
        "questions[0].options[2].comment",
        "unknown field 'comment'",
        id="unknown-option-field",
    ),
    pytest.param(
        lambda: mutated(setter(q, "kind", "multiple-choice")),
        "questions[0].kind",
        "unknown kind 'multiple-choice'",
        id="unknown-kind",
    ),
    pytest.param(
        lambda: mutated(setter(lambda d: q(d, 1), "status", "published")),
        "questions[1].status",
        "unknown status 'published'",
        id="unknown-status",
    ),
    pytest.param(
        lambda: mutated(setter(q, "difficulty", "trivial")),
        "questions[0].difficulty",
        "unknown difficulty 'trivial'",
        id="unknown-difficulty",
    ),
    pytest.param(
        lambda: mutated(no_correct_option),
        "questions[0].options",
        "no option is marked correct",
        id="no-correct-answer",
    ),
    pytest.param(
        lambda: mutated(setter(lambda d: opts(d)[3], "correct", True)),
        "questions[0].options",
        "two options are marked correct",
        id="two-correct-answers",
    ),
    pytest.param(
        lambda: mutated(setter(lambda d: opts(d)[3], "text", "  nerve ROOT ")),
        "questions[0].options[3].text",
        "duplicate option 'nerve ROOT' (same as options[1])",
        id="duplicate-option-ignoring-case-and-spaces",
    ),
    pytest.param(
        lambda: mutated(three_options),
        "questions[0].options",
        "needs 4 or 5 options, found 3",
        id="too-few-options",
    ),
    pytest.param(
        lambda: mutated(six_options),
        "questions[0].options",
        "needs 4 or 5 options, found 6",
        id="too-many-options",
    ),
    pytest.param(
        lambda: mutated(setter(lambda d: opts(d, 1)[0], "text", "Yes")),
        "questions[1].options[0].text",
        "must read 'True' or 'False', found 'Yes'",
        id="true-false-with-wrong-text",
    ),
    pytest.param(
        lambda: mutated(three_true_false_options),
        "questions[1].options",
        "exactly two options",
        id="true-false-with-three-options",
    ),
    pytest.param(
        lambda: mutated(setter(q, "lesson", f"{TOPIC}/pathophysiology")),
        "questions[0].lesson",
        f"unknown lesson '{TOPIC}/pathophysiology'",
        id="unknown-lesson",
    ),
    pytest.param(
        lambda: mutated(setter(q, "lesson", "stroke/definition")),
        "questions[0].lesson",
        "outside this file's topic",
        id="lesson-from-another-topic",
    ),
    pytest.param(
        lambda: mutated(setter(q, "level", "nmj")),
        "questions[0].level",
        "unknown level 'nmj'",
        id="unknown-level",
    ),
    pytest.param(
        lambda: mutated(duplicate_id),
        "questions[1].id",
        "duplicate id 'sample-proximal-weakness' (also questions[0])",
        id="duplicate-id-in-file",
    ),
    pytest.param(
        lambda: mutated(setter(q, "id", "Proximal Weakness")),
        "questions[0].id",
        "must be a lowercase slug",
        id="id-not-a-slug",
    ),
    pytest.param(
        lambda: mutated(setter(q, "stem", "   \n  ")),
        "questions[0].stem",
        "must not be empty",
        id="blank-stem",
    ),
    pytest.param(
        lambda: mutated(setter(lambda d: q(d, 1), "explanation", "")),
        "questions[1].explanation",
        "must not be empty",
        id="empty-explanation",
    ),
    pytest.param(
        lambda: mutated(setter(q, "stem", 42)),
        "questions[0].stem",
        "expected a string, found an integer",
        id="stem-not-text",
    ),
    pytest.param(
        lambda: mutated(remover(lambda d: opts(d)[1], "why")),
        "questions[0].options[1].why",
        "missing required field",
        id="option-without-why",
    ),
    pytest.param(
        lambda: mutated(setter(lambda d: opts(d, 1)[0], "why", " ")),
        "questions[1].options[0].why",
        "must not be empty",
        id="option-with-blank-why",
    ),
    pytest.param(
        lambda: mutated(setter(lambda d: opts(d)[4], "correct", "yes")),
        "questions[0].options[4].correct",
        "expected true or false, found a string",
        id="correct-not-a-boolean",
    ),
    pytest.param(
        lambda: mutated(options_as_single_table),
        "questions[0].options",
        "expected an array of tables ([[questions.options]]), found a table",
        id="options-written-as-a-single-table",
    ),
]


@pytest.fixture
def valid_file(tmp_path: Path) -> Path:
    path = tmp_path / "sample.toml"
    path.write_text(VALID, encoding="utf-8")
    return path


def test_valid_sample_checks_cleanly(valid_file):
    assert check_question_file(valid_file, LESSONS) == []


def test_valid_sample_parses_into_questions_with_one_answer(valid_file):
    bank = parse_question_file(valid_file, LESSONS)
    assert bank.topic == TOPIC
    assert [question.id for question in bank] == [
        "sample-proximal-weakness",
        "sample-fatigue-true-false",
    ]
    first, second = bank.questions
    assert first.answer.text == "Muscle"
    assert first.stem.startswith(
        "A 50-year-old has symmetric weakness of the hips and shoulders with normal sensation"
    )
    assert second.level is None and second.answer.text == "False"
    assert [question.id for question in bank.approved] == ["sample-proximal-weakness"]


@pytest.mark.parametrize(("make_text", "key", "fragment"), MALFORMED)
def test_malformed_question_is_reported_at_its_key_path(tmp_path, make_text, key, fragment):
    path = tmp_path / "broken.toml"
    path.write_text(make_text(), encoding="utf-8")
    faults = check_question_file(path, LESSONS)
    matching = [fault for fault in faults if fault.key == key and fragment in fault.message]
    assert matching, f"no fault at {key!r} containing {fragment!r}; got {[str(f) for f in faults]}"
    assert str(matching[0]).startswith(f"{path}: {key}: ")


@pytest.mark.parametrize(("make_text", "key", "fragment"), MALFORMED)
def test_parsing_a_malformed_file_raises_with_every_fault(tmp_path, make_text, key, fragment):
    path = tmp_path / "broken.toml"
    path.write_text(make_text(), encoding="utf-8")
    with pytest.raises(QuestionFileError) as raised:
        parse_question_file(path, LESSONS)
    assert any(fault.key == key for fault in raised.value.faults)
    assert f"{key}: " in str(raised.value)


def test_two_correct_answers_prints_as_the_spec_shows(tmp_path):
    path = tmp_path / "nmj.toml"
    path.write_text(mutated(setter(lambda d: opts(d)[0], "correct", True)), encoding="utf-8")
    assert [str(fault) for fault in check_question_file(path)] == [
        f"{path}: questions[0].options: two options are marked correct (options[0], options[4]);"
        " keep exactly one"
    ]


def test_lessons_are_only_shape_checked_without_a_lesson_list(tmp_path):
    path = tmp_path / "sample.toml"
    path.write_text(mutated(setter(q, "lesson", f"{TOPIC}/not-yet-written")), encoding="utf-8")
    assert check_question_file(path) == []
    assert check_question_file(path, LESSONS) != []


def first_question_only(data: dict) -> None:
    del data["questions"][1:]
    q(data)["stem"] = "Another stem"


def test_duplicate_id_across_files_names_both_files(tmp_path):
    first = tmp_path / "a.toml"
    second = tmp_path / "b.toml"
    first.write_text(VALID, encoding="utf-8")
    second.write_text(mutated(first_question_only), encoding="utf-8")
    faults = check_question_files([first, second], LESSONS)
    assert [str(fault) for fault in faults] == [
        f"{second}: questions[0].id: duplicate id 'sample-proximal-weakness' "
        f"(also in {first}, questions[0])"
    ]


def test_missing_file_is_a_fault_not_a_crash(tmp_path):
    missing = tmp_path / "nowhere.toml"
    assert [
        (fault.key, "cannot read" in fault.message) for fault in check_question_file(missing)
    ] == [("(file)", True)]


def test_non_utf8_file_is_a_fault_not_a_crash(tmp_path):
    path = tmp_path / "latin1.toml"
    path.write_bytes('topic = "faiblesse musculaire é"'.encode("latin-1"))
    (fault,) = check_question_file(path)
    assert "not UTF-8" in fault.message


def test_wrapped_text_is_joined_but_paragraphs_are_kept():
    text = mutated(setter(q, "stem", "First line\ncontinues here.\n\nSecond paragraph."))
    bank = parse_question_text(text, "wrapped.toml")
    assert bank.questions[0].stem == "First line continues here.\n\nSecond paragraph."


# Property tests: whatever the author types, the checker answers with faults ---------------------

TOML_FRAGMENTS = [
    f'topic = "{TOPIC}"',
    "[[questions]]",
    "[[questions.options]]",
    "[questions]",
    "[questions.options]",
    'id = "x"',
    'id = "x"',
    'status = "approved"',
    'kind = "single-best-answer"',
    'kind = "true-false"',
    f'lesson = "{TOPIC}/definition"',
    'level = "muscle"',
    'difficulty = "hard"',
    'stem = """Which?"""',
    'explanation = ""',
    'text = "True"',
    'text = "Muscle"',
    "correct = true",
    "correct = 1",
    'why = "because"',
    "options = []",
    "questions = 3",
    "stem = 1979-05-27",
    "level = [1, 2]",
    "x = { a = 1 }",
    '"quoted key" = 1',
]

toml_ish_text = st.lists(
    st.one_of(st.sampled_from(TOML_FRAGMENTS), st.text(max_size=30)), max_size=40
).map("\n".join)


@settings(max_examples=300, suppress_health_check=[HealthCheck.too_slow])
@given(text=st.one_of(st.text(max_size=200), toml_ish_text))
def test_checker_returns_faults_for_any_text(text):
    faults = check_question_text(text, "random.toml", LESSONS)
    assert isinstance(faults, list)
    assert all(isinstance(fault, Fault) and fault.path == "random.toml" for fault in faults)
    if not faults:
        # Anything the checker accepts must parse into questions with exactly one answer.
        bank = parse_question_text(text, "random.toml", LESSONS)
        assert all(question.answer for question in bank)


toml_scalars = st.one_of(
    st.text(max_size=12),
    st.integers(),
    st.booleans(),
    st.floats(allow_nan=False),
    st.sampled_from(["approved", "True", "muscle", f"{TOPIC}/definition", "true-false"]),
)
toml_values = st.recursive(
    toml_scalars,
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4)
    ),
    max_leaves=12,
)
field_names = st.sampled_from(
    [
        "id",
        "status",
        "kind",
        "lesson",
        "level",
        "difficulty",
        "stem",
        "explanation",
        "options",
        "text",
        "correct",
        "why",
        "extra",
    ]
)
any_table = st.dictionaries(field_names, toml_values, max_size=10)


@settings(max_examples=300, suppress_health_check=[HealthCheck.too_slow])
@given(
    top=st.dictionaries(st.sampled_from(["topic", "questions", "title"]), toml_values, max_size=3),
    questions=st.lists(
        st.fixed_dictionaries({}, optional={"options": st.lists(any_table, max_size=6)}).flatmap(
            lambda base: any_table.map(lambda extra: {**extra, **base})
        ),
        max_size=4,
    ),
)
def test_checker_survives_any_value_in_any_field(top, questions):
    data = {**top, "questions": questions} if questions else top
    faults = check_question_text(tomli_w.dumps(data), "typed.toml", LESSONS)
    assert all(isinstance(fault, Fault) for fault in faults)


def question_strategy(index: int):
    kind = st.sampled_from(KINDS)

    def options_for(kind_name: str):
        if kind_name == "true-false":
            return st.booleans().map(
                lambda first_true: [
                    {"text": "True", "correct": first_true, "why": "Because."},
                    {"text": "False", "correct": not first_true, "why": "Because."},
                ]
            )
        return st.tuples(st.integers(4, 5), st.integers(0, 4)).map(
            lambda pair: [
                {
                    # Distinct across items: one lesson's quiz must not repeat an option.
                    "text": f"Option {index}.{n}",
                    "why": f"Note {n}.",
                    **({"correct": True} if n == pair[1] % pair[0] else {}),
                }
                for n in range(pair[0])
            ]
        )

    printable = st.text(
        alphabet=st.characters(blacklist_categories=("Cs", "Cc")), min_size=1, max_size=40
    ).filter(str.strip)
    plain_stem = printable.filter(lambda text: not re.search(ABSOLUTE, text))
    return kind.flatmap(
        lambda kind_name: st.fixed_dictionaries(
            {
                "id": st.just(f"generated-{index}"),
                "status": st.sampled_from(STATUSES),
                "kind": st.just(kind_name),
                "lesson": st.sampled_from(sorted(LESSONS)),
                "difficulty": st.sampled_from(DIFFICULTIES),
                "stem": plain_stem,
                "explanation": printable,
                "options": options_for(kind_name),
            },
            optional={"level": st.sampled_from(LEVEL_IDS)},
        )
    )


@settings(max_examples=100, suppress_health_check=[HealthCheck.too_slow])
@given(st.integers(1, 5).flatmap(lambda n: st.tuples(*(question_strategy(i) for i in range(n)))))
def test_any_well_formed_file_checks_cleanly_and_keeps_its_answers(questions):
    text = tomli_w.dumps({"topic": TOPIC, "questions": [copy.deepcopy(q) for q in questions]})
    assert check_question_text(text, "generated.toml", LESSONS) == []
    bank = parse_question_text(text, "generated.toml", LESSONS)
    for written, parsed in zip(questions, bank, strict=True):
        expected = next(option["text"] for option in written["options"] if option.get("correct"))
        assert parsed.answer.text == expected
        assert parsed.level == written.get("level")


# Item writing and lesson sections -------------------------------------------------------------

BANK_SECTIONS_SOURCE = CONTENT / "lessons" / TOPIC


def real_lesson_sections() -> dict[str, set[str]]:
    from edu.quizzes.question_format import lesson_headings

    sections = {}
    for path in sorted(BANK_SECTIONS_SOURCE.glob("*.md")):
        front, body = path.read_text(encoding="utf-8").split("+++\n", 2)[1:]
        slug = tomllib.loads(front)["slug"]
        sections[f"{TOPIC}/{slug}"] = lesson_headings(body)
    return sections


def test_every_approved_bank_question_names_a_section_its_lesson_has():
    faults = check_question_files(bank_paths(), LESSONS, real_lesson_sections())
    assert [str(fault) for fault in faults] == []


def test_every_lesson_section_that_exists_is_tested_or_listed_as_untested():
    """A tested fact with no lesson section fails the check above; here the reverse is listed,
    so a section nobody tests is a visible choice rather than an accident."""
    sections = real_lesson_sections()
    tested = {(question.lesson, question.section) for question in approved_questions()}
    untested = sorted(
        f"{lesson}: {heading}"
        for lesson, headings in sections.items()
        for heading in headings
        if (lesson, heading) not in tested and heading != "At a glance"
    )
    assert untested == []


def one_question(**changes) -> str:
    data = tomllib.loads(VALID)
    data["questions"] = [data["questions"][0]]
    data["questions"][0].update(changes)
    return tomli_w.dumps(data)


SECTIONS = {lesson: {"Patterns of weakness"} for lesson in LESSONS}


def test_an_approved_question_without_a_section_fails_when_sections_are_known():
    (fault,) = check_question_text(one_question(), "s.toml", LESSONS, SECTIONS)
    assert fault.key == "questions[0].section"
    assert "must name the section of its lesson" in fault.message


def test_a_section_the_lesson_lacks_is_named_with_a_suggestion():
    text = one_question(section="Pattern of weakness")
    (fault,) = check_question_text(text, "s.toml", LESSONS, SECTIONS)
    assert fault.message == (
        f"lesson '{TOPIC}/clinical-characteristics' has no section 'Pattern of weakness'; "
        "did you mean 'Patterns of weakness'?"
    )


def test_a_section_the_lesson_has_passes_whatever_its_case():
    text = one_question(section="patterns of  weakness")
    assert check_question_text(text, "s.toml", LESSONS, SECTIONS) == []


def test_a_draft_needs_no_section():
    assert check_question_text(one_question(status="draft"), "s.toml", LESSONS, SECTIONS) == []


def test_a_key_far_longer_than_every_distractor_is_a_fault():
    data = tomllib.loads(one_question())
    options = data["questions"][0]["options"]
    for option in options:
        option["text"] = {"Muscle": "Muscle fibres, given the proximal symmetric pattern"}.get(
            option["text"], option["text"][:9]
        )
    faults = check_question_text(tomli_w.dumps(data), "k.toml", LESSONS)
    assert [fault.key for fault in faults] == ["questions[0].options[4].text"]
    assert "more than 1.5 times the longest distractor" in faults[0].message


def test_level_names_as_options_are_not_judged_by_length():
    # "Brain or spinal cord (upper motor neuron)" is long, but it is the standard answer set.
    data = tomllib.loads(one_question())
    options = data["questions"][0]["options"]
    options[0]["text"] = "Brain or spinal cord (upper motor neuron)"
    for option in options:
        option.pop("correct", None)
    options[0]["correct"] = True
    assert check_question_text(tomli_w.dumps(data), "k.toml", LESSONS) == []


@pytest.mark.parametrize("word", ["always", "never", "only", "rules out", "All"])
def test_an_absolute_word_in_a_true_false_statement_is_a_fault(word):
    data = tomllib.loads(VALID)
    data["questions"][1]["stem"] = f"True or false: fatigue {word} means reduced strength."
    faults = check_question_text(tomli_w.dumps(data), "tf.toml", LESSONS)
    assert [fault.key for fault in faults] == ["questions[1].stem"]
    assert f"absolute word '{word}'" in faults[0].message


def test_the_same_option_in_two_approved_items_of_one_lesson_is_a_fault():
    first = tomllib.loads(one_question())["questions"][0]
    second = copy.deepcopy(first) | {"id": "sample-second"}
    for item, extra in ((first, "Creatine kinase"), (second, "Creatine kinase")):
        item["options"][0]["text"] = extra
    text = tomli_w.dumps({"topic": TOPIC, "questions": [first, second]})
    faults = check_question_text(text, "r.toml", LESSONS)
    assert [str(fault) for fault in faults] == [
        "r.toml: questions[1].options[0].text: option 'Creatine kinase' is also used by "
        "questions[0].options[0] in the same lesson's quiz; word each item's options for that item"
    ]


def test_repeated_options_are_found_across_files_of_one_lesson(tmp_path):
    item = tomllib.loads(one_question())["questions"][0]
    item["options"][0]["text"] = "Creatine kinase"
    for name, qid in (("a", "q-a"), ("b", "q-b")):
        data = {"topic": TOPIC, "questions": [item | {"id": qid}]}
        (tmp_path / f"{name}.toml").write_text(tomli_w.dumps(data), encoding="utf-8")
    faults = check_question_files(sorted(tmp_path.glob("*.toml")), LESSONS)
    assert len(faults) == 1 and f"{tmp_path / 'a.toml'}, questions[0].options[0]" in str(faults[0])


def test_a_section_and_an_option_level_are_valid_together():
    """The question format carries both the lesson section and (from the cohorts work) the
    level each option points at."""
    data = tomllib.loads(one_question(section="Patterns of weakness"))
    data["questions"][0]["options"][1]["level"] = "nerve-root"
    assert check_question_text(tomli_w.dumps(data), "both.toml", LESSONS, SECTIONS) == []


# A patient whose data must be used: an age, a weight or "a patient/man/woman..." opening.
VIGNETTE = re.compile(r"\d+-(?:year|month)-old|\d+-kg|^An? (?:patient|woman|man|boy|girl)\b")


@pytest.mark.parametrize("path", bank_paths(), ids=lambda path: path.stem)
def test_at_least_four_in_five_single_best_answer_items_of_a_file_are_vignettes(path):
    items = [q for q in parse_question_file(path).approved if q.kind == "single-best-answer"]
    if not items:
        pytest.skip("no approved single-best-answer items")
    vignettes = [q for q in items if VIGNETTE.search(q.stem)]
    assert len(vignettes) >= 0.8 * len(items), [q.id for q in items if q not in vignettes]


def test_the_key_is_seldom_the_longest_option():
    """Test-wise learners pick the longest option; outside the standard level names it should
    be the longest no more often than chance would make it."""
    from cases.engine.levels import LEVELS

    level_names = {level.label for level in LEVELS}
    items = [
        q
        for q in approved_questions()
        if q.kind == "single-best-answer" and q.answer.text not in level_names
    ]
    longest = [
        q.id
        for q in items
        if max(len(o.text) for o in q.options if not o.correct) < len(q.answer.text)
    ]
    assert len(longest) <= len(items) / 5, longest
