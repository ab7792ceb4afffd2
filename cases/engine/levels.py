"""The localization scale and the teaching pitfalls, defined once for the whole project."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Level:
    """One place along the motor pathway where a weakness can sit (or a mimic of weakness)."""

    id: str
    label: str
    short: str


# Pathway order matters: adjacent levels are the usual confusions and are drawn side by side.
LEVELS: tuple[Level, ...] = (
    Level("upper-motor-neuron", "Brain or spinal cord (upper motor neuron)", "UMN"),
    Level("anterior-horn-cell", "Anterior horn cell", "AHC"),
    Level("nerve-root", "Nerve root", "Root"),
    Level("peripheral-nerve", "Peripheral nerve", "Nerve"),
    Level("neuromuscular-junction", "Neuromuscular junction", "NMJ"),
    Level("muscle", "Muscle", "Muscle"),
    Level("not-weakness", "Not weakness", "Not weakness"),
)

LEVEL_IDS: tuple[str, ...] = tuple(level.id for level in LEVELS)

_BY_ID: dict[str, Level] = {level.id: level for level in LEVELS}


def level_label(level_id: str) -> str:
    """The human label for a level id; an unknown id comes back unchanged so pages never break."""
    level = _BY_ID.get(level_id)
    return level.label if level else level_id


def level_short(level_id: str) -> str:
    """The short label (for charts and matrices); unknown ids come back unchanged."""
    level = _BY_ID.get(level_id)
    return level.short if level else level_id


PITFALLS: dict[str, str] = {
    "respiratory": "Overlooking respiratory involvement",
    "weakness-vs-fatigue": "Confusing weakness with fatigue",
    "icu-weakness": "Missing neuromuscular weakness in ICU patients",
    "myasthenic-vs-cholinergic": "Failing to tell myasthenic from cholinergic crisis",
    "cardiac": "Under-diagnosing cardiac involvement",
}
