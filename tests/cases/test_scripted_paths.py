"""The reviewer's table of four scripted attempts per case (python -m cases.engine.scripted_paths).

A reviewer reads this table to see a scoring change's effect on every case: the paths must be
the ones named, scored as the engine scores them, and the table must show one row per case.
"""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest

from cases.engine.levels import LEVEL_IDS
from cases.engine.scoring import expert_events, score
from cases.engine.scripted_paths import (
    CASES_DIR,
    adjacent_wrong_level,
    is_reflex_or_sensation,
    main,
    score_paths,
    scripted_paths,
    table,
)
from cases.engine.state import replay
from cases.engine.validation import load_case_file

GBS_FILE = CASES_DIR / "gbs-ascending.toml"
GBS = load_case_file(GBS_FILE)
PATHS = [
    "commit at once",
    "expert path",
    "expert without reflexes/sensation",
    "wrong adjacent level",
]


def commit(level: str, diagnosis: str) -> dict:
    return {"type": "commit", "level": level, "diagnosis": diagnosis, "confidence": "high"}


def test_the_four_paths_are_the_named_event_lists():
    paths = scripted_paths(GBS)
    assert list(paths) == PATHS
    expert = expert_events(GBS)
    assert paths["commit at once"] == [commit("peripheral-nerve", "gbs")]
    assert paths["expert path"] == [*expert, commit("peripheral-nerve", "gbs")]
    assert paths["wrong adjacent level"] == [*expert, commit("neuromuscular-junction", "")]
    skipped = paths["expert without reflexes/sensation"]
    assert skipped[-1] == commit("peripheral-nerve", "gbs")
    assert [event["action"] for event in skipped[:-1]] == [
        event["action"]
        for event in expert
        if event["action"] not in {"exam-reflexes", "exam-sensation"}
    ]


def test_only_reflex_and_sensation_examinations_are_left_out():
    assert is_reflex_or_sensation(GBS, "exam-reflexes")
    assert is_reflex_or_sensation(GBS, "exam-sensation")
    assert not is_reflex_or_sensation(GBS, "exam-power")  # an examination, but not those
    assert not is_reflex_or_sensation(GBS, "ncs")  # a nerve study names sensory nerves too


def test_each_path_is_scored_as_the_engine_scores_it():
    found = {row.path: row for row in score_paths(GBS)}
    assert list(found) == PATHS
    for name, events in scripted_paths(GBS).items():
        result = score(GBS, replay(GBS, events))
        assert (found[name].overall, found[name].localization) == (
            result.overall,
            result.localization,
        )
    assert (found["expert path"].overall, found["expert path"].localization) == (1.0, 1.0)
    assert found["commit at once"].localization == 0.0
    assert found["wrong adjacent level"].localization == 0.0


def test_the_table_has_a_header_and_one_row_of_percentages_per_case():
    dropped = load_case_file(CASES_DIR / "dropped-foot.toml")
    lines = table([GBS, dropped]).splitlines()
    assert lines[0] == (
        "| case | commit at once (overall / loc.) | expert path (overall / loc.) | "
        "expert without reflexes/sensation (overall / loc.) | wrong adjacent level "
        "(overall / loc.) |"
    )
    assert lines[1] == "|---|---|---|---|---|"
    for line, case in zip(lines[2:], [GBS, dropped], strict=True):
        cells = [
            f"{round(row.overall * 100)} / {round(row.localization * 100)}"
            for row in score_paths(case)
        ]
        assert line == f"| {case.id} | " + " | ".join(cells) + " |"
    assert len(lines) == 4
    assert "| gbs-ascending | 10 / 0 | 100 / 100 |" in lines[2]


def test_the_command_prints_the_table_of_the_files_given_or_of_every_case(capsys):
    main([str(GBS_FILE)])
    assert capsys.readouterr().out == table([GBS]) + "\n"
    main([])
    rows = capsys.readouterr().out.splitlines()[2:]
    assert [row.split(" | ")[0].removeprefix("| ") for row in rows] == [
        path.stem for path in sorted(Path(CASES_DIR).glob("*.toml"))
    ]


@pytest.mark.parametrize(
    "case_file,wrong",
    [
        ("gbs-ascending", "neuromuscular-junction"),  # the next level down the pathway
        ("fatigue-not-weakness", "muscle"),  # the last level: only the one above it
        ("cervical-radiculopathy", "anterior-horn-cell"),  # next one down earns part credit
    ],
)
def test_the_wrong_adjacent_level_is_the_nearest_that_earns_nothing(case_file, wrong):
    assert adjacent_wrong_level(load_case_file(CASES_DIR / f"{case_file}.toml")) == wrong


def with_credit(answer: str, credit: dict[str, float]):
    localization = dataclasses.replace(GBS.localization, answer=answer, credit=credit)
    return dataclasses.replace(GBS, localization=localization)


def test_the_first_level_of_the_pathway_can_be_the_wrong_adjacent_one():
    case = with_credit("anterior-horn-cell", {"anterior-horn-cell": 1.0, "nerve-root": 0.5})
    assert adjacent_wrong_level(case) == "upper-motor-neuron"


def test_a_case_where_every_level_earns_credit_is_refused_by_name():
    case = with_credit("muscle", dict.fromkeys(LEVEL_IDS, 0.5) | {"muscle": 1.0})
    with pytest.raises(ValueError, match="^gbs-ascending: every level earns credit$"):
        adjacent_wrong_level(case)


def test_no_cases_give_an_empty_table_not_a_crash():
    assert table([]) == "| case |  |\n|---|"
