"""What the engine promises that mutation testing found no test for.

Each test states one thing a learner, an author or a page relies on: the exact words of a
refusal, the minute and cause of every stage visit, what a rule that stays put records, the
author's fault messages for bad TOML and wrong types, the labels a page shows for levels and
diagnoses. They run on the small test case (tests/cases/malformed/base-case.toml), with a few
additions made here.
"""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest

from cases.engine.levels import LEVELS, level_label, level_short
from cases.engine.state import (
    EventRejected,
    FiredRule,
    StageVisit,
    apply,
    replay,
    start,
)
from cases.engine.validation import (
    CaseInvalid,
    load_case,
    load_case_file,
    load_case_text,
    read_case_toml,
    validate_case_data,
    validate_case_file,
)

BASE = Path(__file__).parent / "malformed" / "base-case.toml"


def base_data() -> dict:
    with BASE.open("rb") as handle:
        return tomllib.load(handle)


@pytest.fixture(scope="module")
def case():
    return load_case(base_data())


def take(action_id: str) -> dict:
    return {"type": "take_action", "action": action_id}


def choose(action_id: str) -> dict:
    return {"type": "choose_decision", "action": action_id}


def rejection(case, events: list, event) -> str:
    state = replay(case, events)
    with pytest.raises(EventRejected) as caught:
        apply(case, state, event)
    assert str(caught.value) == caught.value.message
    return caught.value.message


# Refusals a learner reads ---------------------------------------------------------------------


@pytest.mark.parametrize(
    "events,event,message",
    [
        ([], ["not", "a", "mapping"], "An event must be a mapping with a 'type'."),
        (
            [],
            {"type": "jump"},
            "Unknown event type 'jump'; expected one of take_action, choose_decision, "
            "record_localization, commit.",
        ),
        (
            [],
            {"type": "commit", "level": "muscle", "confidence": "sure"},
            "Confidence must be low, medium or high.",
        ),
        ([], {"type": "commit", "level": ""}, "an empty level is not a localization level."),
        ([], {"type": "commit", "level": "spine"}, "'spine' is not a localization level."),
        ([], {"type": "take_action", "action": 7}, "The action must be given as text."),
        (
            [{"type": "commit", "level": "muscle"}],
            take("hx"),
            "This attempt is finished; nothing more can be changed.",
        ),
    ],
)
def test_each_refusal_says_exactly_what_is_wrong(case, events, event, message):
    assert rejection(case, events, event) == message


def test_a_missing_diagnosis_and_confidence_count_as_none_given(case):
    state = replay(case, [{"type": "commit", "level": "muscle", "diagnosis": None}])
    assert (state.answer.diagnosis, state.answer.confidence) == ("", "")
    assert state.finished


# The clock and the story ----------------------------------------------------------------------


def test_the_attempt_starts_in_the_first_stage_at_minute_zero(case):
    assert start(case).visits == (StageVisit("start", 0, "start", ""),)


def test_a_decision_records_the_minute_and_the_choice_that_moved_the_patient(case):
    state = replay(case, [take("hx"), take("exam"), choose("to-icu")])
    assert state.visits == (
        StageVisit("start", 0, "start", ""),
        StageVisit("icu", 15, "decision", "to-icu"),
    )


def test_each_step_keeps_its_own_time_and_cost(case):
    state = replay(case, [take("hx"), take("fvc")])
    assert [(s.action, s.minute, s.minutes, s.cost) for s in state.steps] == [
        ("hx", 0, 5, 0),
        ("fvc", 5, 5, 10),
    ]
    assert (state.minute, state.cost) == (10, 10)


def test_a_rule_that_moves_the_patient_records_when_and_why(case):
    state = replay(case, [take("hx"), take("ck")])  # minute 65 without FVC
    assert state.fired[0] == FiredRule(
        rule="decline",
        minute=65,
        message="She is breathless.",
        from_stage="start",
        goto="crash",
        deterioration=True,
    )
    assert state.visits[-1] == StageVisit("crash", 65, "rule", "decline")


@pytest.fixture(scope="module")
def case_that_settles_in_icu():
    """A rule and a decision that both lead to intensive care and are offered there too."""
    data = base_data()
    data["rules"].insert(
        0,
        {
            "id": "settle",
            "message": "The intensive care team takes over.",
            "in_stages": ["icu", "crash"],
            "goto": "icu",
        },
    )
    data["actions"].append(
        {
            "id": "keep-in-icu",
            "kind": "decision",
            "label": "Keep her in intensive care",
            "stages": ["start", "icu"],
            "goto": "icu",
        }
    )
    return load_case(data)


def test_a_rule_pointing_at_the_current_stage_tells_without_moving(case_that_settles_in_icu):
    state = replay(case_that_settles_in_icu, [take("hx"), choose("to-icu")])
    assert state.fired[0] == FiredRule(
        rule="settle",
        minute=5,
        message="The intensive care team takes over.",
        from_stage="icu",
        goto="",
        deterioration=False,
    )
    assert state.stage == "icu"
    assert state.visits == (
        StageVisit("start", 0, "start", ""),
        StageVisit("icu", 5, "decision", "to-icu"),
    )


def test_a_decision_for_the_stage_the_patient_is_in_adds_no_visit(case_that_settles_in_icu):
    state = replay(case_that_settles_in_icu, [choose("to-icu"), choose("keep-in-icu")])
    assert state.stage == "icu"
    assert [visit.stage for visit in state.visits] == ["start", "icu"]


# Labels pages show ----------------------------------------------------------------------------


@pytest.mark.parametrize("level", LEVELS, ids=lambda level: level.id)
def test_every_level_has_its_label_and_short_name(level):
    assert level_label(level.id) == level.label
    assert level_short(level.id) == level.short


def test_an_unknown_level_id_comes_back_unchanged():
    assert level_label("cerebellum") == "cerebellum"
    assert level_short("cerebellum") == "cerebellum"


def test_the_short_names_are_what_charts_print():
    assert level_short("neuromuscular-junction") == "NMJ"
    assert level_short("upper-motor-neuron") == "UMN"


def test_a_diagnosis_label_is_found_for_any_option(case):
    assert case.diagnosis.label_for("cidp") == "CIDP"
    assert case.diagnosis.label_for("gbs") == "Guillain-Barré syndrome"
    assert case.diagnosis.label_for("unknown") == "unknown"


def test_the_actions_offered_in_a_stage_come_in_file_order(case):
    assert [action.id for action in case.actions_in("crash")] == ["fvc", "rescue", "intubate"]
    assert [action.id for action in case.actions_in("ward")] == []


# Faults an author reads -----------------------------------------------------------------------


@pytest.mark.parametrize(
    "field,value,message",
    [
        ("title", True, "<case>: title: must be text, not true/false"),
        ("summary", ["a"], "<case>: summary: must be text, not a list"),
        ("difficulty", 3, "<case>: difficulty: must be text, not a whole number"),
    ],
)
def test_a_wrong_type_is_named_in_plain_words(field, value, message):
    data = base_data()
    data[field] = value
    with pytest.raises(CaseInvalid) as caught:
        load_case(data)
    assert message in str(caught.value).splitlines()


def test_a_value_of_the_wrong_kind_of_text_is_named_as_text():
    data = base_data()
    data["patient"] = "a woman"
    with pytest.raises(CaseInvalid) as caught:
        load_case(data)
    assert "<case>: patient: must be a table, not text" in str(caught.value).splitlines()


def test_case_invalid_lists_every_fault_one_per_line():
    data = base_data()
    data["title"] = True
    data["summary"] = 1
    with pytest.raises(CaseInvalid) as caught:
        load_case(data, "content/cases/base-case.toml")
    assert str(caught.value) == "\n".join(str(fault) for fault in caught.value.faults)
    assert str(caught.value).splitlines() == [
        "content/cases/base-case.toml: title: must be text, not true/false",
        "content/cases/base-case.toml: summary: must be text, not a whole number",
    ]


@pytest.mark.parametrize(
    "text,key,message",
    [
        ('id = "x"\ntitle = \n', "line 2", "TOML syntax error: the value after '=' is not valid"),
        ('id = "x"\nsummary = "never closed', "line 2", "TOML syntax error: a text opened with"),
        ('id = "x"\n\nlist = [1,', "line 3", "TOML syntax error: the value after '=' is not valid"),
    ],
)
def test_a_toml_syntax_error_names_its_line(text, key, message):
    with pytest.raises(CaseInvalid) as caught:
        read_case_toml(text, "content/cases/x.toml")
    [fault] = caught.value.faults
    assert (fault.path, fault.key) == ("content/cases/x.toml", key)
    assert fault.message.startswith(message), fault.message


def test_a_toml_error_without_a_file_name_is_shown_as_the_case():
    with pytest.raises(CaseInvalid) as caught:
        load_case_text('title = "')
    assert str(caught.value).startswith("<case>: line 1: TOML syntax error: a text opened with")
    with pytest.raises(CaseInvalid) as caught:
        read_case_toml('title = "')
    assert caught.value.faults[0].path == "<case>"


def test_case_text_faults_name_the_path_given(tmp_path):
    text = BASE.read_text(encoding="utf-8").replace('difficulty = "easy"', "difficulty = 3")
    with pytest.raises(CaseInvalid) as caught:
        load_case_text(text, "content/cases/y.toml")
    assert (
        "content/cases/y.toml: difficulty: must be text, not a whole number"
        in str(caught.value).splitlines()
    )
    with pytest.raises(CaseInvalid) as caught:
        load_case_text(text)
    assert "<case>: difficulty: must be text, not a whole number" in str(caught.value)


def test_a_case_file_is_read_as_utf8_and_its_faults_name_the_file(tmp_path):
    path = tmp_path / "base-case.toml"
    text = BASE.read_text(encoding="utf-8").replace('title = "A small test case"', 'title = "Ré"')
    path.write_text(text.replace('difficulty = "easy"', "difficulty = 3"), encoding="utf-8")
    [fault] = validate_case_file(path)
    assert str(fault) == f"{path}: difficulty: must be text, not a whole number"
    path.write_text(text, encoding="utf-8")
    assert load_case_file(path).title == "Ré"


def test_an_unreadable_case_file_is_a_fault_naming_the_file(tmp_path):
    path = tmp_path / "latin1.toml"
    path.write_bytes('title = "caf\u00e9"\n'.encode("latin-1"))
    [fault] = validate_case_file(path)
    assert (fault.path, fault.key) == (str(path), "(file)")
    assert fault.message.startswith("cannot read the file: 'utf-8' codec can't decode")
    [missing] = validate_case_file(tmp_path / "missing.toml")
    assert missing.path == str(tmp_path / "missing.toml")
    assert missing.message.startswith("cannot read the file: [Errno 2]")


@pytest.mark.parametrize(
    "value,named",
    [
        ({"text": "x"}, "a table"),
        (__import__("datetime").date(2024, 5, 1), "a date or time"),
        ({1, 2}, "set"),
    ],
    ids=["table", "date", "other"],
)
def test_every_kind_of_wrong_value_is_named(value, named):
    data = base_data()
    data["title"] = value
    with pytest.raises(CaseInvalid) as caught:
        load_case(data)
    assert f"<case>: title: must be text, not {named}" in str(caught.value).splitlines()


def test_a_missing_field_is_required():
    data = base_data()
    del data["title"]
    assert "<case>: title: is required" in [str(f) for f in validate_case_data(data)]


def test_a_fault_in_a_nested_table_names_its_full_key_path():
    data = base_data()
    data["localization"]["credit"] = "half"
    faults = [str(fault) for fault in validate_case_data(data)]
    assert "<case>: localization.credit: must be a table, not text" in faults


def test_an_unknown_key_is_refused_with_a_suggestion_or_the_allowed_keys():
    data = base_data()
    data["titel"] = "typo"
    data["zzzz"] = 1
    with pytest.raises(CaseInvalid) as caught:
        load_case(data)
    lines = str(caught.value).splitlines()
    assert "<case>: titel: unknown key 'titel' (did you mean 'title'?)" in lines
    [unknown] = [line for line in lines if line.startswith("<case>: zzzz:")]
    assert unknown.startswith("<case>: zzzz: unknown key 'zzzz'; expected one of ")
    assert "title" in unknown


def test_validate_case_data_names_the_case_when_no_path_is_given():
    data = base_data()
    data["difficulty"] = 3
    assert [str(f) for f in validate_case_data(data)] == [
        "<case>: difficulty: must be text, not a whole number"
    ]


def test_a_toml_error_in_case_text_names_the_path_given():
    with pytest.raises(CaseInvalid) as caught:
        load_case_text('title = "', "content/cases/z.toml")
    assert str(caught.value).startswith(
        "content/cases/z.toml: line 1: TOML syntax error: a text opened with"
    )


def test_a_stage_two_decisions_away_is_reachable():
    data = base_data()
    rehab = {"id": "rehab", "title": "Rehabilitation", "description": "Later.", "final": True}
    data["stages"].append(rehab)
    data["actions"].append(
        {
            "id": "to-rehab",
            "kind": "decision",
            "label": "Transfer to rehabilitation",
            "stages": ["icu"],
            "goto": "rehab",
        }
    )
    assert validate_case_data(data) == []
    case = load_case(data)
    events = [choose("to-icu"), choose("to-rehab")]
    assert [visit.stage for visit in replay(case, events).visits] == ["start", "icu", "rehab"]


def test_an_unknown_stage_with_no_near_miss_is_named_without_a_guess():
    data = base_data()
    data["actions"][8]["goto"] = "zzzz"
    faults = {fault.key: fault.message for fault in validate_case_data(data)}
    assert faults["actions[to-ward].goto"] == "unknown stage 'zzzz'"
    data["actions"][8]["goto"] = "wardd"
    faults = {fault.key: fault.message for fault in validate_case_data(data)}
    assert faults["actions[to-ward].goto"] == "unknown stage 'wardd' (did you mean 'ward'?)"
