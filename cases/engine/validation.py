"""Reads a case file into a Case, naming the file and key path of every fault an author made."""

from __future__ import annotations

import datetime
import difflib
import re
import tomllib
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from cases.engine.faults import Fault
from cases.engine.levels import LEVEL_IDS, PITFALLS
from cases.engine.schema import (
    DIFFICULTIES,
    KINDS,
    SEXES,
    TAGS,
    Action,
    Budget,
    Case,
    Diagnosis,
    DiagnosisOption,
    Localization,
    Patient,
    Rule,
    Stage,
    StageFinding,
)
from cases.engine.toml_errors import explain

SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
LESSON_KEY = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*/[a-z0-9]+(?:-[a-z0-9]+)*$")

TOP_KEYS = (
    "id",
    "title",
    "summary",
    "difficulty",
    "lessons",
    "pitfalls",
    "objectives",
    "patient",
    "budget",
    "localization",
    "diagnosis",
    "stages",
    "actions",
    "rules",
)
PATIENT_KEYS = ("age", "sex", "setting", "complaint", "vignette", "supports", "against", "weight")
BUDGET_KEYS = ("minutes", "cost")
LOCALIZATION_KEYS = ("answer", "explanation", "credit", "mimic")
DIAGNOSIS_KEYS = ("answer", "options", "explanation")
OPTION_KEYS = ("id", "label", "aliases")
STAGE_KEYS = ("id", "title", "description", "final")
FINDING_KEYS = ("finding", "value", "normal", "supports", "against", "teaching", "weight")
MAX_WEIGHT = 5.0
ACTION_KEYS = (
    "id",
    "kind",
    "label",
    "minutes",
    "cost",
    "stages",
    *FINDING_KEYS,
    "tags",
    "critical_by",
    "repeatable",
    "goto",
    "by_stage",
    "alternatives",
)
RULE_KEYS = (
    "id",
    "message",
    "after_minutes",
    "unless_done",
    "if_done",
    "in_stages",
    "goto",
    "deterioration",
)


class CaseInvalid(Exception):
    """Raised by load_case when a case has faults; `faults` lists every one of them."""

    def __init__(self, faults: list[Fault]):
        self.faults = list(faults)
        super().__init__("\n".join(str(fault) for fault in self.faults))


def _type_name(value: Any) -> str:
    if isinstance(value, bool):
        return "true/false"
    if isinstance(value, int):
        return "a whole number"
    if isinstance(value, float):
        return f"a decimal number ({value})"
    if isinstance(value, str):
        return "text"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a table"
    if isinstance(value, datetime.date | datetime.time):
        return "a date or time"
    return type(value).__name__


def _suggest(item: str, known: Iterable[str], hint: str = "") -> str:
    """' (did you mean 'x'?)' for a near miss, else `hint` (e.g. '; use one of ...')."""
    guess = difflib.get_close_matches(str(item), sorted(known), n=1)
    if guess:
        return f" (did you mean '{guess[0]}'?)"
    return hint


def _join(prefix: str, key: str) -> str:
    return f"{prefix}.{key}" if prefix else key


def _one_of(values: Iterable[str]) -> str:
    return ", ".join(values)


class _Reader:
    """Collects faults while pulling typed fields out of raw TOML tables."""

    def __init__(self, path: str):
        self.path = path
        self.faults: list[Fault] = []

    def fault(self, key: str, message: str) -> None:
        self.faults.append(Fault(self.path, key, message))

    def unknown_keys(self, table: dict, allowed: tuple[str, ...], prefix: str) -> None:
        for key in table:
            if key in allowed:
                continue
            guess = difflib.get_close_matches(str(key), allowed, n=1)
            if guess:
                hint = f" (did you mean '{guess[0]}'?)"
            else:
                hint = f"; expected one of {_one_of(allowed)}"
            self.fault(_join(prefix, str(key)), f"unknown key '{key}'{hint}")

    def table(self, table: dict, key: str, prefix: str) -> dict | None:
        where = _join(prefix, key)
        if key not in table:
            self.fault(where, f"is required (a [{where}] table)")
            return None
        value = table[key]
        if not isinstance(value, dict):
            self.fault(where, f"must be a table, not {_type_name(value)}")
            return None
        return value

    def text(self, table: dict, key: str, prefix: str, *, required: bool = True) -> str:
        where = _join(prefix, key)
        if key not in table:
            if required:
                self.fault(where, "is required")
            return ""
        value = table[key]
        if not isinstance(value, str):
            self.fault(where, f"must be text, not {_type_name(value)}")
            return ""
        if required and not value.strip():
            self.fault(where, "must not be empty")
        return value

    def choice(self, table: dict, key: str, prefix: str, choices: tuple[str, ...]) -> str:
        value = self.text(table, key, prefix)
        if value and value not in choices:
            self.fault(_join(prefix, key), f"'{value}' is not one of {_one_of(choices)}")
        return value

    def slug(self, table: dict, key: str, prefix: str) -> str:
        value = self.text(table, key, prefix)
        if value and not SLUG.match(value):
            self.fault(
                _join(prefix, key),
                f"'{value}' must be a lowercase slug (letters, digits and single hyphens)",
            )
        return value

    def whole(self, table: dict, key: str, prefix: str, *, default: int | None = None) -> int:
        """A whole number that may not be negative; `default=None` makes it required."""
        where = _join(prefix, key)
        if key not in table:
            if default is None:
                self.fault(where, "is required")
                return 0
            return default
        value = table[key]
        if isinstance(value, bool) or not isinstance(value, int):
            self.fault(where, f"must be a whole number, not {_type_name(value)}")
            return 0
        if value < 0:
            self.fault(where, f"must not be negative (got {value})")
            return 0
        return value

    def weight(self, table: dict, key: str, prefix: str) -> float:
        """A finding's weight in the expert belief: a number above 0, at most MAX_WEIGHT."""
        value = table.get(key, 1.0)
        if isinstance(value, bool) or not isinstance(value, int | float):
            self.fault(_join(prefix, key), f"must be a number, not {_type_name(value)}")
            return 1.0
        if not 0 < value <= MAX_WEIGHT:
            self.fault(
                _join(prefix, key),
                f"must be above 0 and at most {MAX_WEIGHT:g} (1 is an ordinary finding), "
                f"not {value}",
            )
            return 1.0
        return float(value)

    def flag(self, table: dict, key: str, prefix: str) -> bool:
        value = table.get(key, False)
        if not isinstance(value, bool):
            self.fault(_join(prefix, key), f"must be true or false, not {_type_name(value)}")
            return False
        return value

    def text_list(self, table: dict, key: str, prefix: str) -> tuple[str, ...]:
        """An optional list of text; bad items are reported and dropped."""
        where = _join(prefix, key)
        value = table.get(key, [])
        if not isinstance(value, list):
            self.fault(where, f"must be a list, not {_type_name(value)}")
            return ()
        items = []
        for index, item in enumerate(value):
            if isinstance(item, str):
                items.append(item)
            else:
                self.fault(f"{where}[{index}]", f"must be text, not {_type_name(item)}")
        return tuple(items)

    def members(
        self, items: tuple[str, ...], where: str, known: Iterable[str], noun: str, hint: str = ""
    ) -> tuple[str, ...]:
        """Reports items not in `known`; returns the known ones.

        An empty `known` means the list it comes from was itself broken (already reported),
        so every reference to it would only repeat that fault.
        """
        known = set(known)
        if not known:
            return ()
        kept = []
        for index, item in enumerate(items):
            if item in known:
                kept.append(item)
            else:
                self.fault(
                    f"{where}[{index}]", f"unknown {noun} '{item}'{_suggest(item, known, hint)}"
                )
        return tuple(kept)

    def tables(
        self, table: dict, key: str, prefix: str = "", *, required: bool
    ) -> list[tuple[str, dict]]:
        """A list of tables ([[key]] in TOML) with the key path of each."""
        at = _join(prefix, key)
        value = table.get(key)
        if value is None:
            if required:
                self.fault(at, f"is required (at least one [[{at}]] table)")
            return []
        if not isinstance(value, list):
            self.fault(at, f"must be a list of [[{at}]] tables, not {_type_name(value)}")
            return []
        if required and not value:
            self.fault(at, f"must have at least one [[{at}]] table")
        found = []
        named: set[str] = set()
        for index, item in enumerate(value):
            # Named by id (`actions[fvc]`) so an author finds it by searching the file; by
            # position when the id is missing, malformed or already taken.
            item_id = item.get("id") if isinstance(item, dict) else None
            if isinstance(item_id, str) and SLUG.match(item_id) and item_id not in named:
                named.add(item_id)
                where = f"{at}[{item_id}]"
            else:
                where = f"{at}[{index}]"
            if isinstance(item, dict):
                found.append((where, item))
            else:
                self.fault(where, f"must be a table ([[{at}]]), not {_type_name(item)}")
        return found


_LEVEL_HINT = f"; use one of {_one_of(LEVEL_IDS)}"


def _parse_levels(reader: _Reader, table: dict, key: str, prefix: str) -> tuple[str, ...]:
    items = reader.text_list(table, key, prefix)
    return reader.members(items, _join(prefix, key), LEVEL_IDS, "level", _LEVEL_HINT)


def _parse_patient(reader: _Reader, data: dict) -> Patient:
    table = reader.table(data, "patient", "")
    if table is None:
        return Patient("", "", "", "", "")
    reader.unknown_keys(table, PATIENT_KEYS, "patient")
    supports = _parse_levels(reader, table, "supports", "patient")
    against = _parse_levels(reader, table, "against", "patient")
    for level in sorted(set(supports) & set(against)):
        reader.fault("patient.against", f"'{level}' is in both supports and against")
    return Patient(
        age=reader.text(table, "age", "patient"),
        sex=reader.choice(table, "sex", "patient", SEXES),
        setting=reader.text(table, "setting", "patient"),
        complaint=reader.text(table, "complaint", "patient"),
        vignette=reader.text(table, "vignette", "patient"),
        supports=supports,
        against=against,
        weight=reader.weight(table, "weight", "patient"),
    )


def _parse_budget(reader: _Reader, data: dict) -> Budget:
    table = reader.table(data, "budget", "")
    if table is None:
        return Budget(1, 0)
    reader.unknown_keys(table, BUDGET_KEYS, "budget")
    minutes = reader.whole(table, "minutes", "budget")
    if type(table.get("minutes")) is int and table["minutes"] == 0:
        reader.fault("budget.minutes", "must be more than 0 (the time an expert needs)")
    return Budget(minutes=minutes, cost=reader.whole(table, "cost", "budget"))


def _parse_localization(reader: _Reader, data: dict) -> Localization:
    table = reader.table(data, "localization", "")
    if table is None:
        return Localization("", "", {})
    reader.unknown_keys(table, LOCALIZATION_KEYS, "localization")
    answer = reader.text(table, "answer", "localization")
    if answer and answer not in LEVEL_IDS:
        reader.fault(
            "localization.answer",
            f"unknown level '{answer}'{_suggest(answer, LEVEL_IDS, _LEVEL_HINT)}",
        )
    explanation = reader.text(table, "explanation", "localization")
    credit: dict[str, float] = {}
    raw = reader.table(table, "credit", "localization")
    for level, value in (raw or {}).items():
        where = f"localization.credit.{level}"
        if level not in LEVEL_IDS:
            reader.fault(where, f"unknown level '{level}'{_suggest(level, LEVEL_IDS, _LEVEL_HINT)}")
            continue
        if isinstance(value, bool) or not isinstance(value, int | float):
            reader.fault(where, f"credit must be a number from 0 to 1, not {_type_name(value)}")
            continue
        if not 0 <= value <= 1:
            reader.fault(where, f"credit must be between 0 and 1, not {value}")
            continue
        credit[level] = float(value)
    if raw is not None and answer in LEVEL_IDS and credit.get(answer) != 1.0:
        reader.fault(
            "localization.credit", f"the answer '{answer}' must have credit 1.0 in this table"
        )
    mimic = reader.text(table, "mimic", "localization", required=False)
    if mimic and mimic not in LEVEL_IDS:
        reader.fault(
            "localization.mimic",
            f"unknown level '{mimic}'{_suggest(mimic, LEVEL_IDS, _LEVEL_HINT)}",
        )
        mimic = ""
    elif mimic and (mimic == answer or credit.get(mimic) == 1.0):
        reader.fault(
            "localization.mimic",
            f"'{mimic}' earns full credit, so it is not a mimic; name a level that earns less",
        )
        mimic = ""
    return Localization(answer=answer, explanation=explanation, credit=credit, mimic=mimic)


def _parse_diagnosis(reader: _Reader, data: dict) -> Diagnosis:
    table = reader.table(data, "diagnosis", "")
    if table is None:
        return Diagnosis("", ())
    reader.unknown_keys(table, DIAGNOSIS_KEYS, "diagnosis")
    answer = reader.text(table, "answer", "diagnosis")
    explanation = reader.text(table, "explanation", "diagnosis", required=False)
    options: list[DiagnosisOption] = []
    seen: dict[str, str] = {}
    for where, item in reader.tables(table, "options", "diagnosis", required=False):
        reader.unknown_keys(item, OPTION_KEYS, where)
        option_id = reader.slug(item, "id", where)
        label = reader.text(item, "label", where)
        aliases = reader.text_list(item, "aliases", where)
        if option_id in seen:
            reader.fault(f"{where}.id", f"duplicate id '{option_id}' (also {seen[option_id]})")
            continue
        if option_id:
            seen[option_id] = where
            options.append(DiagnosisOption(option_id, label, aliases))
    if isinstance(table.get("options"), list) and len(table["options"]) < 2:
        reader.fault("diagnosis.options", "must offer at least two [[diagnosis.options]]")
    elif "options" not in table:
        reader.fault("diagnosis.options", "is required (at least two [[diagnosis.options]])")
    if answer and seen and answer not in seen:
        reader.fault("diagnosis.answer", f"'{answer}' is not among the diagnosis options")
    return Diagnosis(answer=answer, options=tuple(options), explanation=explanation)


def _parse_stages(reader: _Reader, data: dict) -> list[tuple[str, Stage]]:
    stages: list[tuple[str, Stage]] = []
    seen: dict[str, str] = {}
    for where, item in reader.tables(data, "stages", required=True):
        reader.unknown_keys(item, STAGE_KEYS, where)
        stage = Stage(
            id=reader.slug(item, "id", where),
            title=reader.text(item, "title", where),
            description=reader.text(item, "description", where),
            final=reader.flag(item, "final", where),
        )
        if stage.id in seen:
            reader.fault(f"{where}.id", f"duplicate id '{stage.id}' (also {seen[stage.id]})")
            continue
        if stage.id:
            seen[stage.id] = where
            stages.append((where, stage))
    return stages


def _parse_by_stage(
    reader: _Reader, item: dict, where: str, base: StageFinding, stage_ids: set[str]
) -> dict[str, StageFinding]:
    raw = item.get("by_stage", {})
    if not isinstance(raw, dict):
        reader.fault(f"{where}.by_stage", f"must be a table, not {_type_name(raw)}")
        return {}
    found: dict[str, StageFinding] = {}
    for stage_id, override in raw.items():
        at = f"{where}.by_stage.{stage_id}"
        if not stage_ids:
            continue  # the stage list itself is broken and already reported
        if stage_id not in stage_ids:
            reader.fault(at, f"unknown stage '{stage_id}'{_suggest(stage_id, stage_ids)}")
            continue
        if not isinstance(override, dict):
            reader.fault(at, f"must be a table, not {_type_name(override)}")
            continue
        reader.unknown_keys(override, FINDING_KEYS, at)
        merged = {}
        for key in ("finding", "value", "normal", "teaching"):
            if key in override:
                merged[key] = reader.text(override, key, at, required=False)
        for key in ("supports", "against"):
            if key in override:
                merged[key] = _parse_levels(reader, override, key, at)
        if "weight" in override:
            merged["weight"] = reader.weight(override, "weight", at)
        found[stage_id] = StageFinding(**{**base.__dict__, **merged})
    return found


def _parse_action(reader: _Reader, where: str, item: dict, stage_ids: tuple[str, ...]) -> Action:
    reader.unknown_keys(item, ACTION_KEYS, where)
    action_id = reader.slug(item, "id", where)
    kind = reader.text(item, "kind", where)
    if kind and kind not in KINDS:
        reader.fault(f"{where}.kind", f"unknown kind '{kind}'; use one of {_one_of(KINDS)}")
    is_decision = kind == "decision"
    label = reader.text(item, "label", where)
    minutes = reader.whole(item, "minutes", where, default=0)
    cost = reader.whole(item, "cost", where, default=0)

    declared = "stages" in item
    stages = reader.text_list(item, "stages", where)
    if declared and isinstance(item["stages"], list) and not item["stages"]:
        reader.fault(f"{where}.stages", "is empty; list at least one stage or leave it out")
    stages = reader.members(stages, f"{where}.stages", stage_ids, "stage")
    if not declared:
        stages = stage_ids

    finding = reader.text(item, "finding", where, required=not is_decision and bool(kind))
    supports = _parse_levels(reader, item, "supports", where)
    against = _parse_levels(reader, item, "against", where)
    for level in sorted(set(supports) & set(against)):
        reader.fault(f"{where}.against", f"'{level}' is in both supports and against")
    if "weight" in item and not supports and not against and not item.get("by_stage"):
        reader.fault(
            f"{where}.weight",
            "is set but the finding supports and argues against no level, so it weighs nothing",
        )

    tags = reader.text_list(item, "tags", where)
    tags = reader.members(tags, f"{where}.tags", TAGS, "tag", f"; use one of {_one_of(TAGS)}")
    if "critical" in tags and "harmful" in tags:
        reader.fault(f"{where}.tags", "an action cannot be both critical and harmful")
    critical_by = reader.whole(item, "critical_by", where, default=0)
    if critical_by and "critical" not in tags:
        reader.fault(f"{where}.critical_by", "is set but the action is not tagged 'critical'")

    # A decision without `goto` records a management choice and keeps the patient in the stage.
    goto = reader.text(item, "goto", where, required=False)
    if goto and kind and not is_decision:
        reader.fault(
            f"{where}.goto",
            f"only decisions move between stages; this action's kind is '{kind}'",
        )
    elif goto and stage_ids and goto not in stage_ids:
        reader.fault(f"{where}.goto", f"unknown stage '{goto}'{_suggest(goto, stage_ids)}")
    elif is_decision and goto and declared and stages == (goto,):
        reader.fault(f"{where}.goto", f"the decision is only offered in '{goto}', its own target")

    base = StageFinding(
        finding=finding,
        value=reader.text(item, "value", where, required=False),
        normal=reader.text(item, "normal", where, required=False),
        supports=supports,
        against=against,
        teaching=reader.text(item, "teaching", where, required=False),
        weight=reader.weight(item, "weight", where),
    )
    by_stage = _parse_by_stage(reader, item, where, base, set(stage_ids))
    for stage_id in by_stage:
        if stage_id not in stages:
            reader.fault(
                f"{where}.by_stage.{stage_id}",
                f"the action is not offered in '{stage_id}', so this finding is never shown",
            )
    action = Action(
        id=action_id,
        kind=kind,
        label=label,
        minutes=minutes,
        cost=cost,
        stages=stages,
        finding=base.finding,
        value=base.value,
        normal=base.normal,
        supports=supports,
        against=against,
        teaching=base.teaching,
        weight=base.weight,
        tags=tags,
        critical_by=critical_by,
        repeatable=reader.flag(item, "repeatable", where),
        goto=goto if goto in stage_ids and is_decision else "",
        by_stage=by_stage,
        alternatives=reader.text_list(item, "alternatives", where),
    )
    return action


def _parse_rule(
    reader: _Reader, where: str, item: dict, stage_ids: tuple[str, ...], action_ids: set[str]
) -> Rule:
    reader.unknown_keys(item, RULE_KEYS, where)
    rule_id = reader.slug(item, "id", where)
    message = reader.text(item, "message", where)
    after = reader.whole(item, "after_minutes", where, default=0)
    hint = ""
    unless_done = reader.members(
        reader.text_list(item, "unless_done", where),
        f"{where}.unless_done",
        action_ids,
        "action",
        hint,
    )
    if_done = reader.members(
        reader.text_list(item, "if_done", where), f"{where}.if_done", action_ids, "action", hint
    )
    in_stages = reader.members(
        reader.text_list(item, "in_stages", where), f"{where}.in_stages", stage_ids, "stage"
    )
    goto = reader.text(item, "goto", where, required=False)
    if goto and goto not in stage_ids:
        if stage_ids:
            reader.fault(f"{where}.goto", f"unknown stage '{goto}'{_suggest(goto, stage_ids)}")
        goto = ""
    return Rule(
        id=rule_id,
        message=message,
        after_minutes=after,
        unless_done=unless_done,
        if_done=if_done,
        in_stages=in_stages,
        goto=goto,
        deterioration=reader.flag(item, "deterioration", where),
    )


def _reachable(first: str, edges: dict[str, set[str]]) -> set[str]:
    seen = {first}
    frontier = [first]
    while frontier:
        stage = frontier.pop()
        for target in edges.get(stage, ()):
            if target not in seen:
                seen.add(target)
                frontier.append(target)
    return seen


def _stage_edges(
    stage_ids: tuple[str, ...], actions: list[Action], rules: list[Rule]
) -> dict[str, set[str]]:
    """Every move the case allows, by decision or by rule, ignoring the rules' conditions."""
    edges: dict[str, set[str]] = {stage: set() for stage in stage_ids}
    for action in actions:
        if action.is_decision and action.goto:
            for stage in action.stages:
                if stage != action.goto:
                    edges[stage].add(action.goto)
    for rule in rules:
        if rule.goto:
            for stage in rule.in_stages or stage_ids:
                if stage != rule.goto:
                    edges[stage].add(rule.goto)
    return edges


def _check_structure(
    reader: _Reader,
    stages: list[tuple[str, Stage]],
    actions: list[tuple[str, Action]],
    rules: list[tuple[str, Rule]],
) -> None:
    """Cross-checks that need the whole case: reachability, ways out, rules that cannot fire."""
    if not stages:
        return
    stage_ids = tuple(stage.id for _, stage in stages)
    plain_actions = [action for _, action in actions]
    plain_rules = [rule for _, rule in rules]
    edges = _stage_edges(stage_ids, plain_actions, plain_rules)
    first = stage_ids[0]
    reachable = _reachable(first, edges)

    for where, stage in stages:
        if stage.id not in reachable:
            reader.fault(
                where,
                f"stage '{stage.id}' cannot be reached from the first stage '{first}' "
                "by any decision or rule",
            )
        if not stage.final and not edges[stage.id]:
            reader.fault(
                where,
                f"stage '{stage.id}' is not final but no decision or rule leads out of it; "
                "add one or set final = true",
            )
    if not any(stage.final for _, stage in stages if stage.id in reachable):
        reader.fault("stages", f"no final stage can be reached from '{first}'")

    for where, action in actions:
        if action.stages and not set(action.stages) & reachable:
            reader.fault(
                f"{where}.stages",
                f"'{action.id}' is only offered in stages that cannot be reached, "
                "so it can never be taken",
            )

    action_ids = {action.id for action in plain_actions}
    by_id = {action.id: action for action in plain_actions}
    for where, action in actions:
        for index, other in enumerate(action.alternatives):
            at = f"{where}.alternatives[{index}]"
            if other not in action_ids:
                reader.fault(at, f"unknown action '{other}'{_suggest(other, action_ids)}")
            elif other == action.id:
                reader.fault(at, "an action cannot be its own alternative")
        if action.alternatives and not (action.is_key or action.is_critical):
            reader.fault(
                f"{where}.alternatives", "only matters for actions tagged 'key' or 'critical'"
            )

    # Which stages can lead to which (including themselves), for rules waiting on done actions.
    leads_to = {stage: _reachable(stage, edges) for stage in reachable}
    for where, rule in rules:
        for index, action_id in enumerate(rule.if_done):
            if action_id in rule.unless_done:
                reader.fault(
                    f"{where}.if_done[{index}]",
                    f"'{action_id}' is in both unless_done and if_done, so the rule can never fire",
                )
        rule_stages = set(rule.in_stages) if rule.in_stages else set(stage_ids)
        live_stages = rule_stages & reachable
        if rule.in_stages and not live_stages:
            reader.fault(
                f"{where}.in_stages",
                "none of these stages can be reached, so the rule can never fire",
            )
            continue
        if rule.goto and rule.in_stages and set(rule.in_stages) == {rule.goto}:
            reader.fault(
                f"{where}.goto",
                f"the rule only fires in '{rule.goto}' and moves to '{rule.goto}'; "
                "leave goto empty for a message-only rule",
            )
        # An action the rule waits for must be takeable somewhere on a path into its stages.
        feeders = {stage for stage in reachable if leads_to[stage] & live_stages}
        for index, action_id in enumerate(rule.if_done):
            action = by_id.get(action_id)
            if action and not set(action.stages) & feeders:
                reader.fault(
                    f"{where}.if_done[{index}]",
                    f"'{action_id}' cannot be taken on any path into this rule's stages, "
                    "so the rule can never fire",
                )


def _parse(data: Any, path: str) -> tuple[Case | None, list[Fault]]:
    reader = _Reader(path)
    if not isinstance(data, dict):
        reader.fault("(top)", f"a case must be a TOML table, not {_type_name(data)}")
        return None, reader.faults
    reader.unknown_keys(data, TOP_KEYS, "")

    case_id = reader.slug(data, "id", "")
    if case_id and path.endswith(".toml") and Path(path).stem != case_id:
        reader.fault("id", f"id '{case_id}' does not match the file name '{Path(path).name}'")
    title = reader.text(data, "title", "")
    summary = reader.text(data, "summary", "")
    difficulty = reader.choice(data, "difficulty", "", DIFFICULTIES)
    lessons = reader.text_list(data, "lessons", "")
    for index, lesson in enumerate(lessons):
        if not LESSON_KEY.match(lesson):
            reader.fault(f"lessons[{index}]", f"'{lesson}' must look like 'topic/lesson-slug'")
    pitfalls = reader.members(
        reader.text_list(data, "pitfalls", ""),
        "pitfalls",
        PITFALLS,
        "pitfall",
        f"; use one of {_one_of(PITFALLS)}",
    )
    objectives = reader.text_list(data, "objectives", "")
    patient = _parse_patient(reader, data)
    budget = _parse_budget(reader, data)
    localization = _parse_localization(reader, data)
    diagnosis = _parse_diagnosis(reader, data)

    stages = _parse_stages(reader, data)
    stage_ids = tuple(stage.id for _, stage in stages)

    actions: list[tuple[str, Action]] = []
    seen: dict[str, str] = {}
    for where, item in reader.tables(data, "actions", required=True):
        action = _parse_action(reader, where, item, stage_ids)
        if action.id in seen:
            reader.fault(f"{where}.id", f"duplicate id '{action.id}' (also {seen[action.id]})")
            continue
        if action.id:
            seen[action.id] = where
            actions.append((where, action))
    if actions and not any(action.is_key for _, action in actions):
        reader.fault("actions", "no action is tagged 'key'; a case needs at least one key finding")

    action_ids = set(seen)
    rules: list[tuple[str, Rule]] = []
    seen_rules: dict[str, str] = {}
    for where, item in reader.tables(data, "rules", required=False):
        rule = _parse_rule(reader, where, item, stage_ids, action_ids)
        if rule.id in seen_rules:
            reader.fault(f"{where}.id", f"duplicate id '{rule.id}' (also {seen_rules[rule.id]})")
            continue
        if rule.id:
            seen_rules[rule.id] = where
            rules.append((where, rule))

    if actions:  # without actions, reachability faults would only echo the missing list
        _check_structure(reader, stages, actions, rules)
    if reader.faults:
        return None, reader.faults
    case = Case(
        id=case_id,
        title=title,
        summary=summary,
        difficulty=difficulty,
        lessons=lessons,
        pitfalls=pitfalls,
        objectives=objectives,
        patient=patient,
        budget=budget,
        localization=localization,
        diagnosis=diagnosis,
        stages=tuple(stage for _, stage in stages),
        actions=tuple(action for _, action in actions),
        rules=tuple(rule for _, rule in rules),
    )
    return case, []


def validate_case_data(data: dict, path: str = "<case>") -> list[Fault]:
    """Every fault in a parsed case table, each naming `path` and the key path of the fault."""
    return _parse(data, path)[1]


def load_case(data: dict, path: str = "<case>") -> Case:
    """The Case for a parsed case table; raises CaseInvalid listing every fault."""
    case, faults = _parse(data, path)
    if faults or case is None:
        raise CaseInvalid(faults)
    return case


def read_case_toml(text: str, path: str = "<case>") -> dict:
    """Parses TOML text; a syntax error becomes CaseInvalid, in plain words, at the line where
    the author's fault is (an unclosed string at the line it opened)."""
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        found = explain(str(error), text)
        fault = Fault(path, f"line {found.line}", f"TOML syntax error: {found.message}")
        raise CaseInvalid([fault]) from None


def load_case_text(text: str, path: str = "<case>") -> Case:
    """The Case for TOML text (as stored in a case version)."""
    return load_case(read_case_toml(text, path), path)


def load_case_file(path: str | Path) -> Case:
    """The Case in a TOML file; raises CaseInvalid for unreadable, malformed or faulty files."""
    name = str(path)
    try:
        text = Path(path).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        raise CaseInvalid([Fault(name, "(file)", f"cannot read the file: {error}")]) from None
    return load_case_text(text, name)


def validate_case_file(path: str | Path) -> list[Fault]:
    """Every fault in a case file, including TOML syntax errors; empty when the case is sound."""
    try:
        load_case_file(path)
    except CaseInvalid as invalid:
        return invalid.faults
    return []
