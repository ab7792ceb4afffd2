"""Four scripted ways through every case, scored, so a change to scoring shows its effect per case.

The paths are the ones a reviewer tries first: commit the right answer at once; follow the
expert path; follow it but skip the reflex and sensory examinations; do the full work-up and
commit a wrong level next to the answer. Run: python -m cases.engine.scripted_paths [FILES]
"""

from __future__ import annotations

import re
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from cases.engine.levels import LEVEL_IDS
from cases.engine.schema import Case
from cases.engine.scoring import expert_events, score
from cases.engine.state import EventRejected, apply, start
from cases.engine.validation import load_case_file

CASES_DIR = Path(__file__).resolve().parents[2] / "content" / "cases"
# An examination of reflexes or sensation, by id or label (the usual discriminators).
REFLEX_OR_SENSATION = re.compile(r"reflex|jerk|sensation|sensory|plantar", re.IGNORECASE)


@dataclass(frozen=True)
class PathScore:
    path: str
    overall: float
    localization: float


def adjacent_wrong_level(case: Case) -> str:
    """The level nearest the answer on the pathway that earns no credit (the lower one on a tie)."""
    answer = LEVEL_IDS.index(case.localization.answer)
    for distance in range(1, len(LEVEL_IDS)):
        for index in (answer + distance, answer - distance):
            if 0 <= index < len(LEVEL_IDS):
                level = LEVEL_IDS[index]
                if case.localization.credit_for(level) == 0:
                    return level
    raise ValueError(f"{case.id}: every level earns credit")


def _commit(level: str, diagnosis: str) -> dict:
    return {"type": "commit", "level": level, "diagnosis": diagnosis, "confidence": "high"}


def _without(case: Case, events: list[dict], drop: Callable[[str], bool]) -> list[dict]:
    """The events minus the actions `drop` names, and minus any that then became impossible."""
    state = start(case)
    kept = []
    for event in events:
        if event.get("action") and drop(event["action"]):
            continue
        try:
            state = apply(case, state, event)
        except EventRejected:
            continue
        kept.append(event)
    return kept


def is_reflex_or_sensation(case: Case, action_id: str) -> bool:
    action = case.action_by_id[action_id]
    return action.kind == "exam" and bool(
        REFLEX_OR_SENSATION.search(action.id) or REFLEX_OR_SENSATION.search(action.label)
    )


def scripted_paths(case: Case) -> dict[str, list[dict]]:
    """The four scripted attempts as event lists, by name."""
    answer, diagnosis = case.localization.answer, case.diagnosis.answer
    expert = expert_events(case)
    return {
        "commit at once": [_commit(answer, diagnosis)],
        "expert path": [*expert, _commit(answer, diagnosis)],
        "expert without reflexes/sensation": [
            *_without(case, expert, lambda action: is_reflex_or_sensation(case, action)),
            _commit(answer, diagnosis),
        ],
        "wrong adjacent level": [*expert, _commit(adjacent_wrong_level(case), "")],
    }


def score_paths(case: Case) -> list[PathScore]:
    found = []
    for name, events in scripted_paths(case).items():
        state = start(case)
        for event in events:
            state = apply(case, state, event)
        result = score(case, state)
        found.append(PathScore(name, result.overall, result.localization))
    return found


def table(cases: list[Case]) -> str:
    """A Markdown table: one row per case, overall / localization per path, in percent."""
    names = list(scripted_paths(cases[0])) if cases else []
    lines = [
        "| case | " + " | ".join(f"{name} (overall / loc.)" for name in names) + " |",
        "|---|" + "---|" * len(names),
    ]
    for case in cases:
        cells = [
            f"{round(found.overall * 100)} / {round(found.localization * 100)}"
            for found in score_paths(case)
        ]
        lines.append(f"| {case.id} | " + " | ".join(cells) + " |")
    return "\n".join(lines)


def main(argv: list[str]) -> None:
    paths = [Path(arg) for arg in argv] or sorted(CASES_DIR.glob("*.toml"))
    print(table([load_case_file(path) for path in paths]))


if __name__ == "__main__":
    main(sys.argv[1:])
