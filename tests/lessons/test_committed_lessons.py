"""The committed lessons teach at length, in our own words, and cite only real references."""

import re
import tomllib
from pathlib import Path

import pytest

LESSONS = sorted(
    (Path(__file__).resolve().parents[2] / "content" / "lessons" / "neuromuscular-weakness").glob(
        "*.md"
    )
)


def body_words(path: Path) -> int:
    body = path.read_text(encoding="utf-8").split("+++\n", 2)[2]
    body = re.sub(r"(?m)^\[\^\d+\]:.*$", "", body)  # footnotes are references, not teaching
    return len([word for word in body.split() if re.search(r"[A-Za-z0-9]", word)])


def front(path: Path) -> dict:
    return tomllib.loads(path.read_text(encoding="utf-8").split("+++\n", 2)[1])


@pytest.mark.parametrize("path", LESSONS, ids=lambda path: path.stem)
def test_each_lesson_teaches_in_500_to_1200_words(path):
    assert 500 <= body_words(path) <= 1200


@pytest.mark.parametrize("path", LESSONS, ids=lambda path: path.stem)
def test_each_lesson_has_hand_written_measurable_objectives(path):
    objectives = front(path)["objectives"]
    assert 3 <= len(objectives) <= 6
    # The importer's mechanical verbs ("Describe ...", "Explain ...") are for drafts only.
    assert not [
        o for o in objectives if re.match(r"(Describe|Explain|Summarise|Name the examples)", o)
    ]


def test_no_lesson_cites_an_ai_summary_site():
    text = " ".join(path.read_text(encoding="utf-8") for path in LESSONS)
    assert "Dr.Oracle" not in text and "Praxis Medical Insights" not in text
