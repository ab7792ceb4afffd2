"""The debrief's belief chart, drawn on the server: the expert belief in each level after each
step of a path, as SVG geometry plus the table of numbers behind it.

Pure Python (no Django, no queries): the selector hands it the engine's belief points and the
marks to draw, and the template only writes out what is computed here.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from cases.engine.belief import BeliefPoint
from cases.engine.levels import LEVELS

WIDTH = 360
HEIGHT = 190
LEFT, RIGHT, TOP, BOTTOM = 36, 10, 12, 26  # room for the axis labels
DOTS_UP_TO = 30  # beyond this many points the dots would crowd the lines

# Which lines stand out: the answer, the learner's choice, the main rival; the rest are grey.
TONE_ORDER = ("answer", "chosen", "rival", "other")
MARK_LABELS = {"clear": "clear from here", "working": "working level", "commit": "commit"}


@dataclass(frozen=True)
class ChartLine:
    level: str
    short: str
    label: str
    tone: str  # one of TONE_ORDER
    points: str  # the polyline's "x,y x,y ..." in chart units
    dots: tuple[tuple[float, float], ...]
    final_percent: int


@dataclass(frozen=True)
class ChartMark:
    """A vertical marker: a working localization, the commit, or where the belief became clear."""

    index: int
    x: float
    kind: str  # "working" | "commit" | "clear"
    label: str


@dataclass(frozen=True)
class BeliefCell:
    level: str
    percent: int
    leads: bool


@dataclass(frozen=True)
class BeliefRow:
    index: int
    label: str
    minute: int
    cells: tuple[BeliefCell, ...]
    notes: tuple[str, ...]  # the marks at this step, in words


@dataclass(frozen=True)
class Tick:
    x: float
    y: float
    label: str


@dataclass(frozen=True)
class BeliefChart:
    key: str  # "learner" | "expert": ids in the page
    title: str
    summary: str  # the chart in one sentence, for screen readers and the caption
    width: int
    height: int
    left: int
    right: int
    top: int
    bottom: int
    lines: tuple[ChartLine, ...]
    marks: tuple[ChartMark, ...]
    x_ticks: tuple[Tick, ...]
    y_ticks: tuple[Tick, ...]
    rows: tuple[BeliefRow, ...]
    headers: tuple[tuple[str, str], ...]  # (short, full label) per level, in pathway order

    @property
    def legend(self) -> tuple[ChartLine, ...]:
        """The lines that stand out, in the order a reader looks for them."""
        return tuple(
            sorted(
                (line for line in self.lines if line.tone != "other"),
                key=lambda line: TONE_ORDER.index(line.tone),
            )
        )

    @property
    def mark_kinds(self) -> tuple[tuple[str, str], ...]:
        """The kinds of marker on this chart, for the legend."""
        kinds = {mark.kind for mark in self.marks}
        return tuple((kind, MARK_LABELS[kind]) for kind in MARK_LABELS if kind in kinds)

    @property
    def drawn(self) -> tuple[ChartLine, ...]:
        """Grey lines first so the coloured ones are drawn on top."""
        return tuple(sorted(self.lines, key=lambda line: -TONE_ORDER.index(line.tone)))


def _x(index: int, count: int) -> float:
    span = WIDTH - LEFT - RIGHT
    return round(LEFT + (index * span / (count - 1) if count > 1 else 0), 1)


def _y(probability: float) -> float:
    return round(TOP + (1 - probability) * (HEIGHT - TOP - BOTTOM), 1)


def _x_ticks(count: int) -> tuple[Tick, ...]:
    """Step numbers along the bottom: every step when few, else about eight of them."""
    step = max(1, round((count - 1) / 8)) if count > 1 else 1
    indices = list(range(0, count, step))
    if count > 1 and indices[-1] != count - 1:
        indices.append(count - 1)
    return tuple(
        Tick(x=_x(i, count), y=HEIGHT - 8, label="Start" if i == 0 else str(i)) for i in indices
    )


def belief_chart(
    *,
    key: str,
    title: str,
    points: Sequence[BeliefPoint],
    tones: Mapping[str, str],
    marks: Iterable[tuple[int, str, str]] = (),
    summary: str = "",
) -> BeliefChart:
    """The chart of `points` (index 0 the presentation); `tones` picks the standout lines,
    `marks` are (point index, kind, label) to draw as vertical markers and note in the table."""
    count = len(points)
    # Each point's probabilities once (the engine derives them from log-scores on every read).
    probabilities = [point.probabilities for point in points]
    answer = tuple(level.id for level in LEVELS if tones.get(level.id) == "answer")
    series: list[tuple[str, str, str, str, list[float]]] = []
    if answer:  # the levels that earn full credit drawn as one line: the belief in the answer
        shorts = " or ".join(level.short for level in LEVELS if level.id in answer)
        labels = " or ".join(level.label for level in LEVELS if level.id in answer)
        totals = [sum(probs[level] for level in answer) for probs in probabilities]
        series.append(("answer", shorts, labels, "answer", totals))
    for level in LEVELS:
        if level.id in answer:
            continue
        values = [probs[level.id] for probs in probabilities]
        series.append((level.id, level.short, level.label, tones.get(level.id, "other"), values))
    lines = []
    for level_id, short, label, tone, values in series:
        coords = tuple((_x(i, count), _y(value)) for i, value in enumerate(values))
        if count == 1:  # one point: a short flat line so the level still shows
            coords = (*coords, (coords[0][0] + 12, coords[0][1]))
        lines.append(
            ChartLine(
                level=level_id,
                short=short,
                label=label,
                tone=tone,
                points=" ".join(f"{x},{y}" for x, y in coords),
                dots=coords[:count] if tone != "other" and count <= DOTS_UP_TO else (),
                final_percent=round(values[-1] * 100),
            )
        )
    chart_marks = tuple(
        ChartMark(index=index, x=_x(index, count), kind=kind, label=label)
        for index, kind, label in marks
        if 0 <= index < count
    )
    notes: dict[int, list[str]] = {}
    for mark in chart_marks:
        notes.setdefault(mark.index, []).append(mark.label)
    rows = []
    for point, probs in zip(points, probabilities, strict=True):
        leader = max(LEVELS, key=lambda level: probs[level.id]).id
        rows.append(
            BeliefRow(
                index=point.index,
                label=point.label,
                minute=point.minute,
                cells=tuple(
                    BeliefCell(
                        level=level.id,
                        percent=round(probs[level.id] * 100),
                        leads=level.id == leader,
                    )
                    for level in LEVELS
                ),
                notes=tuple(notes.get(point.index, ())),
            )
        )
    y_ticks = tuple(
        Tick(x=LEFT - 6, y=_y(value), label=f"{round(value * 100)}%") for value in (0, 0.5, 1)
    )
    return BeliefChart(
        key=key,
        title=title,
        summary=summary,
        width=WIDTH,
        height=HEIGHT,
        left=LEFT,
        right=WIDTH - RIGHT,
        top=TOP,
        bottom=HEIGHT - BOTTOM,
        lines=tuple(lines),
        marks=chart_marks,
        x_ticks=_x_ticks(count),
        y_ticks=y_ticks,
        rows=tuple(rows),
        headers=tuple((level.short, level.label) for level in LEVELS),
    )
