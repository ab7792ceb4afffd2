"""The author's report from validate_content: the expert belief, discriminators, and warnings."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from cases.engine.belief import answer_levels
from cases.engine.review import diagnosis_names, review_case
from cases.engine.schema import DiagnosisOption
from cases.engine.validation import load_case_file

CASES_DIR = Path(__file__).resolve().parents[2] / "content" / "cases"
LIBRARY = {path.stem: load_case_file(path) for path in sorted(CASES_DIR.glob("*.toml"))}


def warning_keys(case) -> dict[str, str]:
    return {fault.key: fault.message for fault in review_case(case, "x.toml").warnings}


@pytest.mark.parametrize("case_id", list(LIBRARY))
def test_every_case_reports_the_expert_belief_and_its_discriminators(case_id):
    case = LIBRARY[case_id]
    review = review_case(case, f"content/cases/{case_id}.toml")
    assert review.ranked[0][0] in answer_levels(case)
    assert review.discriminating
    lines = review.lines()
    assert lines[0].startswith(f"content/cases/{case_id}.toml: expert path ends with ")
    assert "told from" in lines[1]


def test_gbs_is_told_from_muscle_by_reflexes_and_sensation_first():
    review = review_case(LIBRARY["gbs-ascending"], "gbs.toml")
    assert review.mimic == "muscle"
    assert [a.id for a in review.discriminating[:2]] == ["exam-reflexes", "exam-sensation"]
    assert "gbs.toml: told from Muscle by: exam-reflexes; exam-sensation;" in review.lines()[1]


def test_a_title_that_names_the_diagnosis_is_a_warning():
    case = dataclasses.replace(LIBRARY["gbs-ascending"], title="Guillain-Barré after a barbecue")
    assert "library card names the diagnosis ('Guillain')" in warning_keys(case)["title"]


def test_an_acronym_in_the_summary_is_a_warning_but_not_inside_a_word():
    case = LIBRARY["sma-floppy-infant"]
    named = dataclasses.replace(case, summary="Probable SMA in a small baby.")
    assert "'SMA'" in warning_keys(named)["summary"]
    harmless = dataclasses.replace(case, summary="A small baby who has stopped kicking.")
    assert "summary" not in warning_keys(harmless)


def test_a_synonym_in_the_vignette_is_a_warning():
    case = LIBRARY["als-hand-wasting"]
    patient = dataclasses.replace(case.patient, vignette="His GP suspects motor neurone disease.")
    keys = warning_keys(dataclasses.replace(case, patient=patient))
    assert "opening names the diagnosis ('motor neurone disease')" in keys["patient.vignette"]


def test_an_authors_alias_counts_as_a_name():
    option = DiagnosisOption("x", "Some rare disease", aliases=("Smith syndrome",))
    assert "Smith syndrome" in diagnosis_names(option)


def test_a_key_finding_that_moves_no_level_is_a_warning():
    assert "moves no level" in warning_keys(LIBRARY["als-hand-wasting"])["actions[fvc]"]


def test_a_presentation_that_gives_the_level_away_is_a_warning():
    case = LIBRARY["myasthenic-crisis"]
    patient = dataclasses.replace(case.patient, supports=("neuromuscular-junction",))
    message = warning_keys(dataclasses.replace(case, patient=patient))["patient"]
    assert "already ahead after the presentation alone" in message


def test_a_case_that_gives_nothing_away_has_no_such_warning():
    keys = warning_keys(LIBRARY["gbs-ascending"])
    assert not {"patient", "title", "summary", "patient.vignette"} & set(keys)


def test_validate_content_prints_reports_and_warnings_and_still_passes(capsys):
    call_command("validate_content")
    out = capsys.readouterr().out
    assert "content/cases/gbs-ascending.toml: expert path ends with Nerve" in out
    assert "content/cases/als-hand-wasting.toml: actions[fvc]: warning:" in out
    assert "All content is valid. (" in out


def test_validate_content_strict_fails_on_warnings():
    with pytest.raises(CommandError, match="warning"):
        call_command("validate_content", "--strict", "--brief")
