"""The case validator names the file and key path of every fault an author can make."""

from __future__ import annotations

import copy
import tomllib
from collections.abc import Callable
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cases.engine.faults import Fault
from cases.engine.schema import Case
from cases.engine.validation import (
    CaseInvalid,
    load_case,
    load_case_file,
    read_case_toml,
    validate_case_data,
    validate_case_file,
)

HERE = Path(__file__).parent
BASE_FILE = HERE / "malformed" / "base-case.toml"
ROOT = HERE.parent.parent
EXAMPLES = ["gbs-ascending", "myasthenic-crisis"]


def base() -> dict:
    with BASE_FILE.open("rb") as handle:
        return tomllib.load(handle)


def action(data: dict, action_id: str) -> dict:
    return next(item for item in data["actions"] if item["id"] == action_id)


def rule(data: dict, rule_id: str) -> dict:
    return next(item for item in data["rules"] if item["id"] == rule_id)


def _set(path: str, value) -> Callable[[dict], None]:
    """A mutation that sets a dotted key (`patient.sex`) to a value."""

    def mutate(data: dict) -> None:
        *parents, last = path.split(".")
        table = data
        for parent in parents:
            table = table[parent]
        table[last] = value

    return mutate


def _delete(path: str) -> Callable[[dict], None]:
    def mutate(data: dict) -> None:
        *parents, last = path.split(".")
        table = data
        for parent in parents:
            table = table[parent]
        del table[last]

    return mutate


def _on_action(action_id: str, **changes) -> Callable[[dict], None]:
    def mutate(data: dict) -> None:
        action(data, action_id).update(changes)

    return mutate


def _on_rule(rule_id: str, **changes) -> Callable[[dict], None]:
    def mutate(data: dict) -> None:
        rule(data, rule_id).update(changes)

    return mutate


def _append(list_key: str, item: dict) -> Callable[[dict], None]:
    def mutate(data: dict) -> None:
        data[list_key].append(item)

    return mutate


def _add_limbo(data: dict) -> None:
    """A final stage nothing leads to."""
    data["stages"].append(
        {"id": "limbo", "title": "Limbo", "description": "Nobody gets here.", "final": True}
    )


def _only_in_limbo(data: dict) -> None:
    _add_limbo(data)
    action(data, "ck")["stages"] = ["limbo"]


def _rule_in_limbo(data: dict) -> None:
    _add_limbo(data)
    rule(data, "decline")["in_stages"] = ["limbo"]


def _no_keys(data: dict) -> None:
    for item in data["actions"]:
        item["tags"] = [tag for tag in item.get("tags", []) if tag != "key"]


def _no_finals(data: dict) -> None:
    for stage in data["stages"]:
        stage["final"] = False


def _duplicate_stage(data: dict) -> None:
    data["stages"][1]["id"] = "start"


def _duplicate_action(data: dict) -> None:
    data["actions"][1]["id"] = "hx"


def _duplicate_rule(data: dict) -> None:
    data["rules"][1]["id"] = "decline"


def _duplicate_option(data: dict) -> None:
    data["diagnosis"]["options"][1]["id"] = "gbs"


def _ward_dead_end(data: dict) -> None:
    data["rules"] = [item for item in data["rules"] if item["id"] != "ward-fall"]


# (mutation, key path, fragment of the message)
MALFORMED = {
    "missing title": (_delete("title"), "title", "is required"),
    "title not text": (_set("title", 3), "title", "must be text, not a whole number"),
    "empty summary": (_set("summary", "  "), "summary", "must not be empty"),
    "misspelt top-level key": (_set("titel", "x"), "titel", "did you mean 'title'"),
    "unknown top-level key": (_set("author", "x"), "author", "unknown key 'author'"),
    "bad difficulty": (_set("difficulty", "brutal"), "difficulty", "'brutal' is not one of"),
    "bad case id": (_set("id", "Base Case"), "id", "lowercase slug"),
    "unknown pitfall": (_set("pitfalls", ["breathing"]), "pitfalls[0]", "unknown pitfall"),
    "bad lesson key": (_set("lessons", ["pitfalls"]), "lessons[0]", "topic/lesson-slug"),
    "bad sex": (_set("patient.sex", "unknown"), "patient.sex", "is not one of female, male"),
    "missing vignette": (_delete("patient.vignette"), "patient.vignette", "is required"),
    "patient not a table": (_set("patient", "old"), "patient", "must be a table"),
    "negative budget cost": (_set("budget.cost", -5), "budget.cost", "must not be negative"),
    "zero budget minutes": (_set("budget.minutes", 0), "budget.minutes", "more than 0"),
    "unknown localization answer": (
        _set("localization.answer", "nerve"),
        "localization.answer",
        "unknown level 'nerve'",
    ),
    "credit above one": (
        _set("localization.credit.nerve-root", 1.5),
        "localization.credit.nerve-root",
        "between 0 and 1",
    ),
    "credit below zero": (
        _set("localization.credit.nerve-root", -0.1),
        "localization.credit.nerve-root",
        "between 0 and 1",
    ),
    "credit for unknown level": (
        _set("localization.credit.nerves", 0.5),
        "localization.credit.nerves",
        "unknown level",
    ),
    "answer credit below one": (
        _set("localization.credit.peripheral-nerve", 0.75),
        "localization.credit",
        "'peripheral-nerve' must have credit 1.0",
    ),
    "diagnosis answer not an option": (
        _set("diagnosis.answer", "cmt"),
        "diagnosis.answer",
        "'cmt' is not among",
    ),
    "duplicate diagnosis option": (_duplicate_option, "diagnosis.options[1].id", "duplicate id"),
    "single diagnosis option": (
        lambda data: data["diagnosis"]["options"].pop(),
        "diagnosis.options",
        "at least two",
    ),
    "missing stages": (_delete("stages"), "stages", "is required"),
    "stage not a table": (_append("stages", "icu"), "stages[4]", "must be a table"),
    "duplicate stage id": (_duplicate_stage, "stages[1].id", "duplicate id 'start'"),
    "misspelt stage key": (
        lambda data: data["stages"][2].update(finale=True),
        "stages[icu].finale",
        "did you mean",
    ),
    "final not a flag": (
        lambda data: data["stages"][2].update(final="yes"),
        "stages[icu].final",
        "true or false",
    ),
    "duplicate action id": (_duplicate_action, "actions[1].id", "duplicate id 'hx'"),
    "unknown action kind": (_on_action("ck", kind="lab"), "actions[ck].kind", "unknown kind"),
    "unknown tag": (_on_action("ck", tags=["useless"]), "actions[ck].tags[0]", "unknown tag"),
    "negative minutes": (_on_action("ck", minutes=-10), "actions[ck].minutes", "not be negative"),
    "negative cost": (_on_action("ck", cost=-1), "actions[ck].cost", "not be negative"),
    "fractional minutes": (_on_action("ck", minutes=2.5), "actions[ck].minutes", "whole number"),
    "unknown stage in action": (
        _on_action("ck", stages=["start", "clinic"]),
        "actions[ck].stages[1]",
        "unknown stage",
    ),
    "empty stage list": (_on_action("ck", stages=[]), "actions[ck].stages", "is empty"),
    "missing finding": (_on_action("hx", finding=""), "actions[hx].finding", "must not be empty"),
    "unknown supported level": (
        _on_action("hx", supports=["nerves"]),
        "actions[hx].supports[0]",
        "unknown level",
    ),
    "unknown level against": (
        _on_action("hx", against=["brain"]),
        "actions[hx].against[0]",
        "unknown level",
    ),
    "level both for and against": (
        _on_action("hx", against=["peripheral-nerve"]),
        "actions[hx].against",
        "in both",
    ),
    "critical and harmful": (
        _on_action("steroids", tags=["harmful", "critical"]),
        "actions[steroids].tags",
        "both critical and harmful",
    ),
    "critical_by without critical": (
        _on_action("ck", critical_by=30),
        "actions[ck].critical_by",
        "not tagged 'critical'",
    ),
    "goto on a non-decision": (
        _on_action("ck", goto="icu"),
        "actions[ck].goto",
        "only decisions move",
    ),
    "decision to unknown stage": (
        _on_action("to-icu", goto="itu"),
        "actions[to-icu].goto",
        "unknown stage 'itu'",
    ),
    "misspelt action key": (
        _on_action("hx", findng="x"),
        "actions[hx].findng",
        "did you mean 'finding'",
    ),
    "finding for unknown stage": (
        _on_action("fvc", by_stage={"itu": {"finding": "x"}}),
        "actions[fvc].by_stage.itu",
        "unknown stage",
    ),
    "finding for a stage the action is not in": (
        _on_action("fvc", by_stage={"ward": {"finding": "x"}}),
        "actions[fvc].by_stage.ward",
        "never shown",
    ),
    "unknown alternative": (
        _on_action("ivig", alternatives=["pe"]),
        "actions[ivig].alternatives[0]",
        "unknown action",
    ),
    "no key finding": (_no_keys, "actions", "no action is tagged 'key'"),
    "action only in unreachable stage": (
        _only_in_limbo,
        "actions[ck].stages",
        "can never be taken",
    ),
    "unreachable stage": (_add_limbo, "stages[limbo]", "cannot be reached"),
    "stage with no way out": (_ward_dead_end, "stages[ward]", "no decision or rule leads out"),
    "no final stage": (_no_finals, "stages", "no final stage"),
    "duplicate rule id": (_duplicate_rule, "rules[1].id", "duplicate id 'decline'"),
    "rule in unknown stage": (
        _on_rule("decline", in_stages=["clinic"]),
        "rules[decline].in_stages[0]",
        "unknown stage",
    ),
    "rule to unknown stage": (_on_rule("decline", goto="morgue"), "rules[decline].goto", "unknown"),
    "rule waits on unknown action": (
        _on_rule("decline", unless_done=["spirometry"]),
        "rules[decline].unless_done[0]",
        "unknown action 'spirometry'",
    ),
    "rule needs unknown action": (
        _on_rule("steroid-note", if_done=["pred"]),
        "rules[steroid-note].if_done[0]",
        "unknown action",
    ),
    "rule both needs and forbids an action": (
        _on_rule("decline", if_done=["fvc"]),
        "rules[decline].if_done[0]",
        "can never fire",
    ),
    "rule moves to its only stage": (
        _on_rule("ward-fall", goto="ward"),
        "rules[ward-fall].goto",
        "leave goto empty",
    ),
    "rule only in unreachable stages": (
        _rule_in_limbo,
        "rules[decline].in_stages",
        "none of these stages can be reached",
    ),
    "rule needs an action never offered on the way": (
        _on_rule("steroid-note", if_done=["intubate"], in_stages=["start"]),
        "rules[steroid-note].if_done[0]",
        "cannot be taken on any path",
    ),
    "negative rule time": (
        _on_rule("decline", after_minutes=-1),
        "rules[decline].after_minutes",
        "not be negative",
    ),
    "deterioration not a flag": (
        _on_rule("decline", deterioration="yes"),
        "rules[decline].deterioration",
        "true or false",
    ),
}


def test_base_case_is_valid():
    assert validate_case_data(base(), "base-case.toml") == []


@pytest.mark.parametrize("name", list(MALFORMED))
def test_malformed_case_names_key_path_and_fault(name):
    mutate, key, fragment = MALFORMED[name]
    data = copy.deepcopy(base())
    mutate(data)
    faults = validate_case_data(data, "content/cases/base-case.toml")
    matching = [fault for fault in faults if fault.key == key and fragment in fault.message]
    assert matching, f"expected {key}: ...{fragment}... in {[str(f) for f in faults]}"
    assert all(fault.path == "content/cases/base-case.toml" for fault in faults)


@pytest.mark.parametrize("name", list(MALFORMED))
def test_load_case_refuses_malformed_case_with_every_fault(name):
    mutate, key, _ = MALFORMED[name]
    data = copy.deepcopy(base())
    mutate(data)
    with pytest.raises(CaseInvalid) as raised:
        load_case(data, "x.toml")
    assert key in {fault.key for fault in raised.value.faults}


def test_fault_prints_file_key_and_message():
    data = base()
    data["stages"][1]["id"] = "start"
    faults = validate_case_data(data, "content/cases/gbs.toml")
    assert "content/cases/gbs.toml: stages[1].id: duplicate id 'start' (also stages[start])" in [
        str(fault) for fault in faults
    ]


def test_id_must_match_file_stem():
    faults = validate_case_data(base(), "content/cases/gbs.toml")
    assert faults == [
        Fault(
            "content/cases/gbs.toml", "id", "id 'base-case' does not match the file name 'gbs.toml'"
        )
    ]


def test_id_is_not_checked_without_a_file_name():
    assert validate_case_data(base(), "<case>") == []


def test_toml_syntax_error_names_the_line(tmp_path):
    path = tmp_path / "broken.toml"
    path.write_text('id = "broken"\ntitle = "A case\nsummary = "x"\n', encoding="utf-8")
    faults = validate_case_file(path)
    assert len(faults) == 1
    assert faults[0].key == "line 2"
    assert "TOML syntax error" in faults[0].message


def test_missing_file_is_a_fault_not_a_traceback(tmp_path):
    faults = validate_case_file(tmp_path / "absent.toml")
    assert faults[0].key == "(file)"
    assert "cannot read" in faults[0].message


def test_non_table_case_is_a_fault():
    assert validate_case_data(["not", "a", "case"], "x")[0].key == "(top)"


def test_omitted_stages_mean_every_stage():
    data = base()
    del action(data, "plex")["stages"]
    case = load_case(data)
    assert case.action_by_id["plex"].stages == ("start", "ward", "icu", "crash")


def test_by_stage_override_keeps_the_rest_of_the_finding():
    case = load_case(base())
    fvc = case.action_by_id["fvc"]
    assert fvc.finding_at("icu").finding == "FVC has fallen."
    assert fvc.finding_at("icu").normal == "> 60 mL/kg"
    assert fvc.finding_at("start").value == "1.5 L"


@pytest.mark.parametrize("stem", EXAMPLES)
def test_example_case_files_validate_cleanly(stem):
    path = ROOT / "content" / "cases" / f"{stem}.toml"
    assert validate_case_file(path) == []
    case = load_case_file(path)
    assert isinstance(case, Case)
    assert case.id == stem


# Values a careless edit could put anywhere in a case file.
junk = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-5, max_value=5000),
    st.floats(allow_nan=False, min_value=-2, max_value=2),
    st.text(max_size=8),
    st.lists(st.text(max_size=6), max_size=3),
    st.dictionaries(st.text(max_size=6), st.text(max_size=6), max_size=2),
)


def _paths(value, prefix=()):
    """Every (container, key) position in a nested case table."""
    if isinstance(value, dict):
        for key, item in value.items():
            yield (value, key)
            yield from _paths(item, (*prefix, key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield (value, index)
            yield from _paths(item, (*prefix, index))


@settings(max_examples=300, deadline=None)
@given(st.data())
def test_any_edit_gives_faults_or_a_case_never_a_crash(data):
    case_data = base()
    positions = list(_paths(case_data))
    for _ in range(data.draw(st.integers(min_value=1, max_value=4))):
        container, key = data.draw(st.sampled_from(positions))
        container[key] = data.draw(junk)
        positions = list(_paths(case_data))
    faults = validate_case_data(case_data, "content/cases/base-case.toml")
    assert all(isinstance(fault, Fault) and fault.key and fault.message for fault in faults)
    if not faults:
        assert isinstance(load_case(case_data), Case)


def _guide_example() -> str:
    guide = (ROOT / "docs" / "case-format.md").read_text(encoding="utf-8")
    section = guide.split("## A complete example", 1)[1]
    return section.split("```toml\n", 1)[1].split("```", 1)[0]


def test_the_authors_guide_example_is_a_valid_case():
    data = tomllib.loads(_guide_example())
    assert validate_case_data(data, "content/cases/sciatica-s1.toml") == []


def test_the_authors_guide_example_uses_every_documented_action_field():
    data = tomllib.loads(_guide_example())
    used = {key for item in data["actions"] for key in item}
    assert used >= {
        "id",
        "kind",
        "label",
        "minutes",
        "cost",
        "stages",
        "finding",
        "value",
        "supports",
        "against",
        "teaching",
        "tags",
        "critical_by",
        "goto",
        "by_stage",
    }


# --- Messages an author can act on (issue 10, point 6) -------------------------------------


def test_key_paths_name_actions_stages_and_rules_by_id():
    data = base()
    action(data, "fvc")["minutes"] = -5
    data["stages"][2]["final"] = "yes"
    faults = {fault.key for fault in validate_case_data(data)}
    assert {"actions[fvc].minutes", "stages[icu].final"} <= faults


def test_an_unknown_stage_gets_did_you_mean():
    data = base()
    action(data, "to-icu")["goto"] = "icuu"
    messages = [str(fault) for fault in validate_case_data(data)]
    assert "<case>: actions[to-icu].goto: unknown stage 'icuu' (did you mean 'icu'?)" in messages


def test_an_unknown_action_in_a_rule_gets_did_you_mean():
    data = base()
    data["rules"][0]["unless_done"] = ["fcv"]
    messages = [fault.message for fault in validate_case_data(data)]
    assert "unknown action 'fcv' (did you mean 'fvc'?)" in messages


def test_an_unknown_level_gets_did_you_mean():
    data = base()
    action(data, "hx")["supports"] = ["peripheral-nerves"]
    messages = [fault.message for fault in validate_case_data(data)]
    assert "unknown level 'peripheral-nerves' (did you mean 'peripheral-nerve'?)" in messages


@pytest.mark.parametrize(
    ("text", "line", "words"),
    [
        ('id = "x"\ntitle = "A case\nsummary = "x"\n', 2, "not closed before the line ends"),
        (
            'id = "x"\nsummary = """One\ntwo\n\n[patient]\nage = "3"\n',
            2,
            'never closed; end it with """',
        ),
        ('id = "x"\nlessons = [\n  "a/b",\n\n[patient]\nage = "3"\n', 2, "list opened with ["),
        ('id = "x"\ntitle = Tingling\n', 2, "put text in quotes"),
        ('id = "x"\nid = "y"\n', 2, "already set earlier"),
    ],
)
def test_toml_syntax_errors_in_plain_words_at_the_faulty_line(tmp_path, text, line, words):
    path = tmp_path / "broken.toml"
    path.write_text(text, encoding="utf-8")
    [fault] = validate_case_file(path)
    assert fault.key == f"line {line}"
    assert fault.message.startswith("TOML syntax error: ")
    assert words in fault.message


def test_weight_must_be_a_positive_number_within_bounds():
    data = base()
    action(data, "exam")["weight"] = 0
    action(data, "hx")["weight"] = "heavy"
    faults = {fault.key: fault.message for fault in validate_case_data(data)}
    assert "above 0" in faults["actions[exam].weight"]
    assert "must be a number" in faults["actions[hx].weight"]


def test_weight_and_presentation_evidence_are_read():
    data = base()
    action(data, "exam")["weight"] = 2
    data["patient"]["supports"] = ["peripheral-nerve"]
    data["patient"]["against"] = ["not-weakness"]
    case = load_case(data)
    assert case.action_by_id["exam"].weight == 2.0
    assert case.patient.supports == ("peripheral-nerve",)
    assert case.patient.against == ("not-weakness",)


def test_a_mimic_must_be_a_level_that_earns_less_than_full_credit():
    data = base()
    data["localization"]["mimic"] = "peripheral-nerve"
    faults = {fault.key: fault.message for fault in validate_case_data(data)}
    assert "not a mimic" in faults["localization.mimic"]


@settings(max_examples=200, deadline=None)
@given(
    st.lists(
        st.sampled_from(
            [
                'id = "x"',
                'title = "A',
                'summary = """',
                "[patient]",
                "[[actions]]",
                "a = [",
                "]",
                "b = 1",
                "b = 1",
                'c = "ok"',
                "d = hello",
                "# note",
                "",
                '"""',
                "e = 'x",
                "[t",
            ]
        ),
        max_size=12,
    )
)
def test_any_toml_text_gives_data_or_a_fault_at_a_real_line(lines):
    text = "\n".join(lines) + "\n"
    try:
        read_case_toml(text, "x.toml")
    except CaseInvalid as invalid:
        [fault] = invalid.faults
        assert fault.key.startswith("line ")
        assert 1 <= int(fault.key.removeprefix("line ")) <= text.count("\n") + 1
        assert fault.message.startswith("TOML syntax error: ")


def test_a_weight_on_a_finding_that_moves_no_level_is_a_fault():
    data = base()
    action(data, "ivig")["weight"] = 2
    faults = {fault.key: fault.message for fault in validate_case_data(data)}
    assert "weighs nothing" in faults["actions[ivig].weight"]
