"""Display helpers for quiz pages: scores as percentages and the score-history chart.

The chart is plain SVG drawn on the server (no chart library, no script): its geometry is
computed here so the template only places the shapes.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from django import template

register = template.Library()

# Drawn near the size it is shown (a phone's width to a desktop column), so its text stays
# readable at both ends.
WIDTH = 420
HEIGHT = 180
LEFT = 48  # room for the percentage labels
RIGHT = 6
TOP = 10
BOTTOM = 24  # room for the attempt numbers
MIN_SLOTS = 8  # a short history still gets slim bars
LABEL_EVERY = 5  # past ten bars, number only every fifth so the numbers never collide


@register.filter
def percent(value) -> str:
    """0.666 -> '67%'; None -> '–'."""
    if value is None or value == "":
        return "–"
    return f"{round(float(value) * 100)}%"


@dataclass(frozen=True)
class Bar:
    x: float
    y: float
    width: float
    height: float
    label_x: float
    number: int
    title: str
    good: bool
    labelled: bool


@dataclass(frozen=True)
class Gridline:
    y: float
    label: str


@dataclass(frozen=True)
class ScoreChart:
    width: int
    height: int
    left: int
    right_edge: int
    baseline: float
    label_y: float
    bars: tuple[Bar, ...]
    gridlines: tuple[Gridline, ...]
    summary: str


def score_chart_geometry(points: Sequence) -> ScoreChart:
    """Bars for each finished quiz, oldest first; `points` need title, mode, finished_at, score."""
    plot_height = HEIGHT - TOP - BOTTOM
    slot = (WIDTH - LEFT - RIGHT) / max(len(points), MIN_SLOTS)
    bar_width = slot * 0.7
    bars = []
    for index, point in enumerate(points):
        height = max(point.score * plot_height, 1.5)  # a zero still shows as a sliver
        x = LEFT + index * slot + (slot - bar_width) / 2
        bars.append(
            Bar(
                x=round(x, 1),
                y=round(TOP + plot_height - height, 1),
                width=round(bar_width, 1),
                height=round(height, 1),
                label_x=round(x + bar_width / 2, 1),
                number=index + 1,
                title=(
                    f"{index + 1}. {point.title} ({point.mode.lower()}), "
                    f"{point.finished_at:%d %b %Y}: {percent(point.score)}"
                ),
                good=point.score >= 0.7,
                labelled=len(points) <= 10 or (index + 1) % LABEL_EVERY == 0 or index == 0,
            )
        )
    gridlines = tuple(
        Gridline(y=round(TOP + plot_height * (1 - share), 1), label=percent(share))
        for share in (0, 0.5, 1)
    )
    if len(points) == 1:
        summary = f"Score of your one finished quiz: {percent(points[0].score)}."
    elif points:
        summary = (
            f"Scores of your last {len(points)} quizzes, oldest first: "
            + ", ".join(percent(point.score) for point in points)
            + "."
        )
    else:
        summary = "No finished quizzes yet."
    return ScoreChart(
        width=WIDTH,
        height=HEIGHT,
        left=LEFT,
        right_edge=WIDTH - RIGHT,
        baseline=TOP + plot_height,
        label_y=HEIGHT - 8,
        bars=tuple(bars),
        gridlines=gridlines,
        summary=summary,
    )


@register.inclusion_tag("quizzes/_score_chart.html")
def score_chart(points: Sequence) -> dict:
    return {"chart": score_chart_geometry(points)}
