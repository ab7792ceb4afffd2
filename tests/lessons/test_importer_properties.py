"""Whatever document an author feeds the importer, it either imports or says where it failed.

Random text, random bytes, structure-shaped lines and mutated copies of the sample documents
(lines deleted, duplicated, swapped, shuffled) must end in one of two ways: a plan whose
lessons carry valid front matter and a definition for every footnote, or an `ImportFailed`
whose message starts with `path:line:`. Any other exception is a bug.
"""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from edu.lessons.importer import ImportFailed, plan_import
from edu.quizzes.question_format import check_question_text
from tests.lessons.test_importer import MARKDOWN_DOCUMENT, PAGE_COPY

FUZZ = settings(
    max_examples=150,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)

# Lines shaped like the parts of a document, so random documents often have structure.
STRUCTURE_LINES = st.one_of(
    st.sampled_from(
        [
            "",
            "",
            "",
            "Overview",
            "Clinical Features",
            "Special Considerations",
            "References",
            "Guideline",
            "Some Handbook",
            "Example Society, 2024",
            "  • Debility: lack of power 2",
            "  • Loss of function",
            "    • Examples: myasthenia gravis, botulism",
            "    • Features: fatigable weakness 1, 3",
            "  1. Muscle Disorders:",
            "  2. Neuromuscular Junction Disorders:",
            "  3. Nerve Root and Peripheral Nerve Disorders:",
            "A sentence of prose that ends properly.",
            "An intro that ends with a colon:",
            "Common Pitfalls",
            "  1. Missing the obvious: it happens 5",
            "Last updated: May 1, 2024",
            "Personalize",
            "Professional Medical Disclaimer",
            "Have a follow-up question?",
            "# Title",
            "## Section",
            "### Sub-section",
            "- **Term:** text [1]",
            "1. item [2, 3]",
            "    - nested",
            "| a | b |",
            "| --- | --- |",
            "| c [1] | d |",
            "```",
            "> quoted [4]",
            "[^1]: a footnote",
            "[1]: https://example.org",
            "---",
            "Setext",
            "===",
            "a\tb\tc",
            "1. Guideline. *Title*. Source, 2020.",
            "[2] Research. Title. Journal, 2019.",
        ]
    ),
    st.text(alphabet=st.characters(blacklist_categories=["Cs"]), max_size=40),
)


def outcome(tmp_dir, name: str, content: bytes | str):
    """Runs the importer and checks the outcome is one of the two allowed ones."""
    path = tmp_dir / name
    if isinstance(content, str):
        content = content.encode("utf-8", errors="surrogatepass")
    path.write_bytes(content)
    try:
        plan = plan_import(path)
    except ImportFailed as failure:
        assert re.match(rf"{re.escape(str(path))}(?::\d+)?: \S", str(failure)), str(failure)
        return None
    for lesson in plan.lessons:
        _, front, body = lesson.text.split("+++", 2)
        meta = tomllib.loads(front)
        assert meta["slug"] == lesson.slug and meta["order"] == lesson.order
        markers = set(re.findall(r"\[\^(\d+)\](?!:)", body))
        defined = set(re.findall(r"^\[\^(\d+)\]:", body, re.MULTILINE))
        assert markers <= defined, lesson.filename
    lessons = {f"{plan.topic}/{lesson.slug}" for lesson in plan.lessons}
    for file in plan.files:
        if file.path.parts[0] == "questions":
            assert check_question_text(file.text, str(file.path), lessons) == []
    return plan


@pytest.fixture(scope="module")
def tmp_dir(tmp_path_factory):
    return tmp_path_factory.mktemp("fuzz")


@FUZZ
@given(text=st.text(max_size=400), suffix=st.sampled_from([".txt", ".md"]))
def test_random_text(tmp_dir, text, suffix):
    outcome(tmp_dir, f"random{suffix}", text)


@FUZZ
@given(data=st.binary(max_size=400), suffix=st.sampled_from([".txt", ".md"]))
def test_random_bytes(tmp_dir, data, suffix):
    outcome(tmp_dir, f"bytes{suffix}", data)


@FUZZ
@given(lines=st.lists(STRUCTURE_LINES, max_size=60), suffix=st.sampled_from([".txt", ".md"]))
def test_structure_shaped_documents(tmp_dir, lines, suffix):
    outcome(tmp_dir, f"shaped{suffix}", "\n".join(lines))


def mutated(document: str):
    """A strategy for the document with lines deleted, duplicated, swapped or shuffled."""
    lines = document.split("\n")

    @st.composite
    def build(draw):
        current = list(lines)
        for _ in range(draw(st.integers(min_value=1, max_value=8))):
            if not current:
                break
            index = draw(st.integers(min_value=0, max_value=len(current) - 1))
            action = draw(st.sampled_from(["delete", "duplicate", "swap", "shuffle", "indent"]))
            if action == "delete":
                del current[index]
            elif action == "duplicate":
                current.insert(index, current[index])
            elif action == "swap":
                other = draw(st.integers(min_value=0, max_value=len(current) - 1))
                current[index], current[other] = current[other], current[index]
            elif action == "indent":
                current[index] = "  " + current[index]
            else:
                end = min(len(current), index + draw(st.integers(min_value=2, max_value=12)))
                current[index:end] = draw(st.permutations(current[index:end]))
        return "\n".join(current)

    return build()


@FUZZ
@given(text=mutated(PAGE_COPY))
def test_mutated_page_copies(tmp_dir, text):
    outcome(tmp_dir, "mutated.txt", text)


@FUZZ
@given(text=mutated(MARKDOWN_DOCUMENT))
def test_mutated_markdown_documents(tmp_dir, text):
    outcome(tmp_dir, "mutated.md", text)


def test_the_unmutated_samples_import(tmp_dir):
    assert outcome(tmp_dir, "sample.txt", PAGE_COPY) is not None
    assert outcome(tmp_dir, "sample.md", MARKDOWN_DOCUMENT) is not None


LAYOUT_SAMPLES = {
    name: (Path(__file__).parent / "fixtures" / "layouts" / name).read_text(encoding="utf-8")
    for name in (
        "medical-book.txt",
        "encyclopedia.txt",
        "patient-guide.txt",
        "formulary.txt",
        "reference-page.txt",
        "reference-layout.md",
    )
}


@FUZZ
@given(
    name_and_text=st.sampled_from(sorted(LAYOUT_SAMPLES.items())).flatmap(
        lambda pair: st.tuples(st.just(pair[0]), mutated(pair[1]))
    )
)
def test_mutated_documents_of_every_layout(tmp_dir, name_and_text):
    name, text = name_and_text
    outcome(tmp_dir, f"mutated-{name}", text)
