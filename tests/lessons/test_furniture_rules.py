"""Each furniture rule, on its own, keeps its page chrome out of a lesson.

The importer also drops text before the first section and after the references from the
document's structure, so a sample placed there would vanish whether its rule works or not. Here
every sample sits in the middle of a section, between two sentences of the article, where only
its own rule can remove it. A rule taken out of `FURNITURE` lets its sample through; a rule
added without a sample of its own fails `test_every_rule_has_a_sample_only_it_removes`; and a
sample that the structure would drop anyway fails
`test_without_its_rule_the_sample_reaches_the_lesson`.
"""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest

from edu.lessons.importer import furniture, layouts, plan_import
from edu.lessons.importer.furniture import FURNITURE, remove_furniture

# what the sample is -> (text as it appears in a page copy, phrases that must not reach a lesson)
SAMPLES: dict[str, tuple[str, tuple[str, ...]]] = {
    "review badge": (
        "Medical Advisory BoardAll articles are reviewed for accuracy by our board",
        ("Advisory Board", "articles are reviewed"),
    ),
    "review banner": (
        "Educational purpose only \u2022 Exercise caution as content is pending human review",
        ("Educational purpose", "pending human review"),
    ),
    "review-status block": (
        "Article Review Status\nSubmitted\nUnder Review\nApproved",
        ("Article Review Status", "Under Review", "Submitted"),
    ),
    "last-updated stamp": ("Last updated: March 3, 2025", ("Last updated", "March 3")),
    "editorial-policy link": ("View our editorial policy", ("editorial policy",)),
    "personalisation button": ("Personalise", ("Personalise",)),
    "personalisation prompt": ("Help us tailor your experience", ("tailor your experience",)),
    "audience question": (
        "Which best describes you? Student \u2022 Doctor \u2022 Nurse",
        ("describes you", "Nurse"),
    ),
    "disclaimer heading and paragraph": (
        "Medical Disclaimer\n\nNothing on this page replaces the advice of your own physician.",
        ("Disclaimer", "replaces the advice"),
    ),
    "disclaimer sentence": (
        "This information is intended for healthcare professionals and students only.",
        ("intended for healthcare professionals",),
    ),
    "call-to-action heading": ("Have a follow-up question?", ("follow-up question",)),
    "call-to-action sentence": (
        "Our assistant is used by doctors. Ask any follow-up question and get answers.",
        ("assistant is used by doctors", "Ask any follow-up"),
    ),
}

BEFORE = "Localization names the level of the motor pathway where the lesion sits."
AFTER = "Reflexes and sensation narrow the choice between the levels."

# Page chrome above the article that shows the detector this is a copy of the reference layout,
# whose table is FURNITURE (the structure drops it anyway: it sits before the title).
CHROME = "Help us tailor your experience\n\nWhich best describes you? Student\n\n"

PLAIN_PAGE = (
    CHROME
    + """\
Localizing weakness

Overview

{before}

{sample}

{after}

Bedside Clues

The examination gives the level.
"""
)

MARKDOWN_PAGE = (
    CHROME
    + """\
# Localizing weakness

## Overview

{before}

{sample}

{after}

## Bedside clues

The examination gives the level.
"""
)

PAGES = {"localizing.txt": PLAIN_PAGE, "localizing.md": MARKDOWN_PAGE}


def rule_id(rule: furniture.Furniture) -> str:
    return f"{FURNITURE.index(rule)}-{rule.why.replace(' ', '-')}"


def import_with_sample(tmp_path: Path, name: str, sample: str):
    path = tmp_path / name
    path.write_text(PAGES[name].format(before=BEFORE, sample=sample, after=AFTER), "utf-8")
    return plan_import(path)


def all_lesson_text(plan) -> str:
    return "\n".join(lesson.text for lesson in plan.lessons)


def overview_text(plan) -> str:
    return next(lesson.text for lesson in plan.lessons if lesson.slug == "overview")


def rules_matching(sample: str) -> list[furniture.Furniture]:
    return [rule for rule in FURNITURE if rule.pattern.search(sample)]


@pytest.mark.parametrize("rule", FURNITURE, ids=rule_id)
def test_every_rule_has_a_sample_only_it_removes(rule):
    own = [label for label, (sample, _) in SAMPLES.items() if rules_matching(sample) == [rule]]
    assert own, (
        f"furniture rule '{rule.why}' ({rule.pattern.pattern!r}) has no sample of its own in "
        "SAMPLES: add the text it removes, so that taking the rule out again fails a test"
    )


@pytest.mark.parametrize("name", sorted(PAGES))
@pytest.mark.parametrize("label", sorted(SAMPLES))
def test_furniture_inside_a_section_never_reaches_the_lesson(tmp_path, label, name):
    sample, phrases = SAMPLES[label]
    plan = import_with_sample(tmp_path, name, sample)
    overview = overview_text(plan)
    assert BEFORE in overview and AFTER in overview
    text = all_lesson_text(plan).lower()
    for phrase in phrases:
        assert phrase.lower() not in text, f"'{phrase}' ({label}) reached a lesson"
    assert plan.document.furniture, "no furniture was reported removed"


@pytest.mark.parametrize("label", sorted(SAMPLES))
def test_the_rule_blanks_its_sample_line_for_line_and_reports_the_line(label):
    sample, _phrases = SAMPLES[label]
    text = f"{BEFORE}\n\n{sample}\n\n{AFTER}\n"
    cleaned = remove_furniture(text)
    assert [removal.line for removal in cleaned.removals] == [3] * len(rules_matching(sample))
    assert cleaned.text.count("\n") == text.count("\n")
    blanks = sample.count("\n") + 3  # the sample's lines and the blank line either side
    assert cleaned.text.strip().split("\n") == [BEFORE, *[""] * blanks, AFTER]


@pytest.mark.parametrize("label", sorted(SAMPLES))
def test_without_its_rule_the_sample_reaches_the_lesson(tmp_path, monkeypatch, label):
    """The samples are placed where nothing but their own rule drops them: take the rules
    matching it out and some of its text shows in the lesson (what keeps the test above honest)."""
    sample, phrases = SAMPLES[label]
    matching = rules_matching(sample)
    assert matching, f"no furniture rule matches the {label} sample"
    kept = tuple(r for r in FURNITURE if r not in matching)
    families = tuple(
        dataclasses.replace(f, furniture=kept) if f is layouts.REFERENCE_PAGE else f
        for f in layouts.FAMILIES
    )
    monkeypatch.setattr(layouts, "FAMILIES", families)
    # Some reference rules are generic too (every layout has them): take those out as well.
    generic = tuple(r for r in layouts.GENERIC_FURNITURE if not r.pattern.search(sample))
    monkeypatch.setattr(layouts, "GENERIC_FURNITURE", generic)
    plan = import_with_sample(tmp_path, "localizing.txt", sample)
    text = all_lesson_text(plan).lower()
    assert any(phrase.lower() in text for phrase in phrases)


def test_the_last_updated_stamp_inside_a_section_still_gives_the_date(tmp_path):
    plan = import_with_sample(tmp_path, "localizing.txt", "Last updated: March 3, 2025")
    assert 'source_updated = "2025-03-03"' in overview_text(plan)
