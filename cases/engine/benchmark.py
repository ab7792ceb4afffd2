"""Times a full replay of a long attempt, since every case page rebuilds state from its events.

Run: python -m cases.engine.benchmark [--runs N] [--events N] [--case PATH]
"""

from __future__ import annotations

import argparse
import statistics
import time
from pathlib import Path

from cases.engine.levels import LEVEL_IDS
from cases.engine.schema import Case
from cases.engine.scoring import expert_events, score
from cases.engine.state import available_actions, replay, start
from cases.engine.validation import load_case_file

DEFAULT_CASE = Path(__file__).resolve().parents[2] / "content" / "cases" / "gbs-ascending.toml"
TARGET_MS = 5.0


def long_attempt(case: Case, length: int) -> list[dict]:
    """A valid attempt of `length` events: the expert route, then serial measurements and
    working localizations, then a commit."""
    events = expert_events(case)
    state = replay(case, events)
    repeatable = [a for a in available_actions(case, state) if a.repeatable]
    index = 0
    while len(events) < length - 1:
        if repeatable and index % 2 == 0:
            events.append({"type": "take_action", "action": repeatable[0].id})
        else:
            level = LEVEL_IDS[index % len(LEVEL_IDS)]
            events.append({"type": "record_localization", "level": level})
        index += 1
    events.append(
        {"type": "commit", "level": case.localization.answer, "diagnosis": "", "confidence": "low"}
    )
    return events


def measure(case: Case, events: list[dict], runs: int) -> list[float]:
    timings = []
    for _ in range(runs):
        began = time.perf_counter()
        replay(case, events)
        timings.append((time.perf_counter() - began) * 1000)
    return timings


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=300)
    parser.add_argument("--events", type=int, default=200)
    parser.add_argument("--case", type=Path, default=DEFAULT_CASE)
    options = parser.parse_args()

    case = load_case_file(options.case)
    events = long_attempt(case, options.events)
    state = replay(case, events)
    assert state.finished and len(events) == options.events
    start(case)  # warm up
    timings = measure(case, events, options.runs)
    median = statistics.median(timings)
    began = time.perf_counter()
    score(case, state)
    scoring_ms = (time.perf_counter() - began) * 1000
    print(f"case: {case.id}; events per attempt: {len(events)}; runs: {options.runs}")
    print(
        f"replay median {median:.2f} ms (p90 {statistics.quantiles(timings, n=10)[-1]:.2f} ms,"
        f" best {min(timings):.2f} ms); target under {TARGET_MS:.0f} ms"
    )
    print(f"scoring the finished attempt: {scoring_ms:.2f} ms")
    if median >= TARGET_MS:
        raise SystemExit("replay is slower than the target")


if __name__ == "__main__":
    main()
