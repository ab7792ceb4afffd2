"""Layout families: each furniture rule on a sample of the chrome it removes, the detector,
and every sample document (one per layout) against its committed expected import."""

from __future__ import annotations

from pathlib import Path

import pytest

from edu.lessons.importer import plan_import
from edu.lessons.importer.furniture import remove_furniture
from edu.lessons.importer.layouts import (
    ENCYCLOPEDIA,
    FAMILIES,
    FORMULARY,
    GENERIC,
    GENERIC_FURNITURE,
    MEDICAL_BOOK,
    PATIENT_GUIDE,
    REFERENCE_PAGE,
    detect_layout,
)
from tests.lessons.importer_expected import assert_matches_expected

LAYOUTS = Path(__file__).parent / "fixtures" / "layouts"

# For each table: (chrome as it appears in a copy, what is left of it once removed).
SAMPLES = {
    "generic": [
        ("Skip to main content", ""),
        ("We use cookies to make this site work. Accept all", ""),
        ("Home > Conditions > Myasthenia", ""),
        ("Print this page", ""),
        ("Back to top", ""),
        ("On this page\nWhat is it?\nSymptoms", "\n\n"),
        ("Was this page helpful?\nYes No", "\n"),
        ("Sign up for our newsletter", ""),
        ("Follow us on social media", ""),
        ("© Example Society 2026", ""),
        ("Copyright 2026 Example Society", ""),
        ("Accessibility | Privacy | Terms of use", ""),
        ("Last updated: 3 March 2026", ""),
        ("View editorial policy", ""),
        ("Disclaimer\n\nNot medical advice.", "\n\n"),
    ],
    "medical-book": [
        ("Go to:", ""),
        ("Teaching Notes [Internet]. Springfield: Example Press; 2026.", ""),
        (
            "Author Information and Affiliations\nAuthors\nA Ruiz.\nLast Update: May 1, 2026.",
            "\n\n\n",
        ),
        ("Last Update: May 1, 2026.", ""),
        ("Continuing Education Activity\nThis activity reviews the topic.", "\n"),
        ("Review Questions\nAccess free questions.", "\n"),
        ("Access free multiple choice questions on this topic.", ""),
        ("Comment on this article.", ""),
        ("Disclosure: A Ruiz declares no relationships.", ""),
        ("This book is distributed under the terms of the Creative Commons licence.", ""),
        ("Bookshelf ID: NBK000001", ""),
    ],
    "encyclopedia": [
        ("Jump to navigation", ""),
        ("From the free encyclopedia", ""),
        ('"GBS" redirects here.', ""),
        ("For other uses, see GBS (disambiguation).", ""),
        ("Myasthenia gravis\nSpecialty\tNeurology\nSymptoms\tPtosis", "\n\n"),
        ("Contents\nhide\n1\tSigns\n1.1\tEarly signs", "\n\n\n"),
        ("See also[edit]\nMiller Fisher syndrome", "\n"),
        ("Cause[edit]", "Cause"),
        ("Reflexes are lost.[citation needed]", "Reflexes are lost."),
        ("Categories: Neurology", ""),
        ("Retrieved from the archive", ""),
        ("This page was last edited on 2 March 2026, at 09:14 (UTC).", ""),
        ("Text is available under the Creative Commons licence.", ""),
        ("Privacy policy", ""),
    ],
    "patient-guide": [
        ("Page last reviewed: 12 March 2025", ""),
        ("Next review due: 12 March 2028", ""),
        ("Registered charity number 0000000", ""),
        ("Download this leaflet (PDF)", ""),
    ],
    "formulary": [
        ("Search the formulary", ""),
        ("A to Z drugs | Treatment summaries", ""),
        ("Medicinal forms\nTablet", "\n"),
        ("Last revised: 10 January 2026", ""),
        ("Contains public sector information licensed under the Open Government Licence.", ""),
        ("Have I got the right topic?", ""),
        ("How up-to-date is this topic?", ""),
    ],
    "reference-page": [
        ("Medical Advisory BoardAll articles are reviewed for accuracy", ""),
        ("Educational purpose only • content is pending human review", ""),
        ("Article Review Status\nSubmitted\nApproved", "\n\n"),
        ("Last updated: March 3, 2025View editorial policy", ""),
        ("View editorial policy", ""),
        ("Personalize", ""),
        ("Help us tailor your experience", ""),
        ("Which best describes you? Choose one.", ""),
        ("Medical Disclaimer\n\nNot a substitute for judgment.", "\n\n"),
        ("This information is intended for healthcare professionals.", ""),
        ("Have a follow-up question?", ""),
        ("Ask any follow up question and get answers.", ""),
    ],
}

TABLES = {"generic": GENERIC_FURNITURE, **{family.name: family.furniture for family in FAMILIES}}


@pytest.mark.parametrize("table", sorted(TABLES))
def test_every_rule_of_every_table_has_a_sample_it_removes(table):
    untested = [
        rule.why
        for rule in TABLES[table]
        if not any(rule.pattern.search(sample) for sample, _ in SAMPLES[table])
    ]
    assert untested == []


@pytest.mark.parametrize(
    ("table", "sample", "left"),
    [(table, sample, left) for table, samples in SAMPLES.items() for sample, left in samples],
)
def test_a_rule_removes_its_sample_and_keeps_the_line_count(table, sample, left):
    cleaned = remove_furniture(sample, TABLES[table])
    assert cleaned.text == left
    assert cleaned.removals


def test_an_edit_marker_marks_its_line_as_a_heading():
    cleaned = remove_furniture("Intro.\n\nCause[edit]\nText here.", ENCYCLOPEDIA.furniture)
    assert cleaned.heading_lines == {3}


def test_go_to_marks_the_next_line_as_a_heading():
    cleaned = remove_furniture("Go to:\nEtiology\nText.", MEDICAL_BOOK.furniture)
    assert cleaned.heading_lines == {2}


@pytest.mark.parametrize(
    ("name", "layout"),
    [
        ("medical-book.txt", MEDICAL_BOOK),
        ("encyclopedia.txt", ENCYCLOPEDIA),
        ("patient-guide.txt", PATIENT_GUIDE),
        ("formulary.txt", FORMULARY),
        ("reference-page.txt", REFERENCE_PAGE),
    ],
)
def test_the_detector_names_each_samples_family(name, layout):
    assert detect_layout((LAYOUTS / name).read_text(encoding="utf-8")).layout is layout


def test_a_document_of_no_known_layout_imports_with_the_generic_rules(tmp_path):
    source = tmp_path / "notes.txt"
    source.write_text(
        "Weakness notes\n\nSkip to main content\n\nDefinition\n\nWeakness is lost power.\n",
        encoding="utf-8",
    )
    plan = plan_import(source)
    assert plan.document.layout == GENERIC.name
    assert "Skip to" not in plan.lessons[0].text
    assert [removal.why for removal in plan.document.furniture] == ["skip link"]


@pytest.mark.parametrize(
    "name",
    [
        "medical-book.txt",
        "encyclopedia.txt",
        "patient-guide.txt",
        "formulary.txt",
        "reference-page.txt",
        "reference-layout.md",
    ],
)
def test_each_layout_imports_into_its_expected_lessons(name):
    plan = plan_import(LAYOUTS / name, topic=Path(name).stem)
    assert_matches_expected(plan, name)


def test_a_contents_box_sets_which_headings_are_sub_headings(tmp_path):
    plan = plan_import(LAYOUTS / "encyclopedia.txt", topic="gbs")
    assert [lesson.slug for lesson in plan.lessons] == [
        "signs-and-symptoms",
        "cause",
        "diagnosis",
        "treatment",
    ]
    assert "## Lumbar puncture" in plan.lessons[2].text


def test_a_question_heading_is_its_own_objective():
    plan = plan_import(LAYOUTS / "patient-guide.txt", topic="mnd")
    assert plan.lessons[0].objectives == ("Answer: What is MND?",)
