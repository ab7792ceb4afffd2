"""The author's report from validate_content: the expert belief, discriminators, and warnings."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from cases.engine.belief import answer_levels, separation
from cases.engine.faults import Fault
from cases.engine.levels import level_short
from cases.engine.reasoning import reasoning
from cases.engine.review import _mentions, diagnosis_names, review_case
from cases.engine.schema import DiagnosisOption
from cases.engine.scoring import expert_events
from cases.engine.state import replay
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


# The report's exact wording and the warnings' exact places ----------------------------------

GBS = LIBRARY["gbs-ascending"]


def test_the_report_lines_show_the_top_three_levels_the_discriminators_and_the_clear_step():
    review = review_case(GBS, "gbs.toml")
    first, second, third = review.lines()
    top = [f"{level_short(level)} {round(p * 100)}%" for level, p in review.ranked[:3]]
    assert first == "gbs.toml: expert path ends with " + ", ".join(top)
    assert first.startswith("gbs.toml: expert path ends with Nerve ")
    ids = [action.id for action in review.discriminating]
    assert len(ids) > 6  # six are shown, the rest counted
    assert second == (
        "gbs.toml: told from Muscle by: " + "; ".join(ids[:6]) + f" (and {len(ids) - 6} more)"
    )
    # The clear step is the one the debrief names for the expert's path.
    expert_clear = reasoning(GBS, replay(GBS, expert_events(GBS))).expert_clear
    assert review.clear_after == expert_clear.label
    assert third == f"gbs.toml: clear after: {expert_clear.label}"


def test_the_expert_belief_reported_is_the_one_at_the_end_of_the_expert_path():
    review = review_case(GBS, "gbs.toml")
    assert review.ranked == replay(GBS, expert_events(GBS)).beliefs[-1].ranked


def test_few_discriminators_are_all_listed_and_none_is_said_plainly():
    review = review_case(LIBRARY["myasthenic-crisis"], "mc.toml")
    ids = [action.id for action in review.discriminating]
    assert 0 < len(ids) <= 6
    assert review.lines()[1].endswith(" by: " + "; ".join(ids))
    bare = dataclasses.replace(review, discriminating=(), clear_after="")
    assert bare.lines()[1].endswith(" by: none")
    assert len(bare.lines()) == 2  # no clear step, no line for it


def test_without_a_named_mimic_the_expert_runner_up_is_the_one_to_tell_apart():
    localization = dataclasses.replace(GBS.localization, mimic="")
    review = review_case(dataclasses.replace(GBS, localization=localization), "gbs.toml")
    final = replay(GBS, expert_events(GBS)).beliefs[-1]
    runner_up = next(level for level, _ in final.ranked if level not in answer_levels(GBS))
    assert review.mimic == runner_up != "muscle"
    assert all(
        separation(step, "peripheral-nerve", runner_up) > 0
        for step in replay(GBS, expert_events(GBS)).steps
        if step.action in {action.id for action in review.discriminating}
    )


def test_discriminators_are_the_findings_that_move_the_answer_ahead_of_the_mimic():
    review = review_case(GBS, "gbs.toml")
    steps = replay(GBS, expert_events(GBS)).steps
    separating = {
        step.action for step in steps if separation(step, "peripheral-nerve", "muscle") > 0
    }
    assert {action.id for action in review.discriminating} == separating
    # A finding that moves both towards the answer's levels and the mimic is not among them.
    assert all(
        separation(step, "peripheral-nerve", "muscle") <= 0
        for step in steps
        if step.action not in separating
    )


GIVE_AWAY = "a learner should reach it, not read it"


@pytest.mark.parametrize(
    "key,where,change",
    [
        ("title", "library card", {"title": "Guillain-Barré after a barbecue"}),
        ("summary", "library card", {"summary": "Guillain-Barré after diarrhoea."}),
        ("patient.complaint", "library card", {"complaint": "Guillain-Barré, says her GP"}),
        ("patient.vignette", "opening", {"vignette": "Her GP suspects Guillain-Barré."}),
        ("stages[ed].description", "opening", {"description": "Guillain-Barré in the ED."}),
    ],
)
def test_each_place_that_names_the_diagnosis_is_its_own_warning(key, where, change):
    case = GBS
    if "complaint" in change or "vignette" in change:
        case = dataclasses.replace(case, patient=dataclasses.replace(case.patient, **change))
    elif "description" in change:
        first = dataclasses.replace(case.first_stage, **change)
        case = dataclasses.replace(
            case, stages=tuple(first if s.id == first.id else s for s in case.stages)
        )
    else:
        case = dataclasses.replace(case, **change)
    warnings = [w for w in review_case(case, "gbs.toml").warnings if w.key == key]
    assert warnings == [
        Fault(
            "gbs.toml",
            key,
            f"warning: the {where} names the diagnosis ('Guillain'): {GIVE_AWAY}",
        )
    ]


def test_the_presentation_and_silent_key_finding_warnings_read_in_full():
    case = LIBRARY["myasthenic-crisis"]
    patient = dataclasses.replace(case.patient, supports=("neuromuscular-junction",))
    [ahead] = [
        w
        for w in review_case(dataclasses.replace(case, patient=patient), "mc.toml").warnings
        if w.key == "patient"
    ]
    assert ahead == Fault(
        "mc.toml",
        "patient",
        "warning: Neuromuscular junction is already ahead after the presentation alone (the "
        "vignette gives the level away); move that evidence into findings",
    )
    # Only key findings that move no level are flagged: not key ones that move one, not the
    # others (treatments, decisions) that move none.
    silent = {w.key: w for w in review_case(LIBRARY["als-hand-wasting"], "als.toml").warnings}
    assert set(silent) == {"actions[fvc]", "actions[swallow]"}
    assert silent["actions[fvc]"] == Fault(
        "als.toml",
        "actions[fvc]",
        "warning: tagged 'key' but its finding moves no level (no supports or against): give "
        "it some, or drop 'key' if it is there for safety (tag it 'critical')",
    )


@pytest.mark.parametrize(
    "text,name,found",
    [
        ("A small baby", "SMA", False),  # an acronym is a whole word ...
        ("Probable SMA.", "SMA", True),
        ("a cat scratch", "CAT", False),  # ... in its exact case
        ("after polio as a child", "Polio", True),  # a short name is not an acronym
        ("Diabetes type 1", "Type 1", True),  # nor a longer one with a digit
        ("DM1 runs in the family", "DM1", True),
        ("dm1", "Dm1", False),  # a short one with a digit is, in its exact case
    ],
)
def test_names_are_matched_as_an_author_would_read_them(text, name, found):
    assert _mentions(text, name) is found
