"""The drawing: plain geometry to SVG text, escaped, with no Django and no chart library.

Every chart is a `Chart`: a title, the SVG and a `Table` of the same numbers. Rendered (by
`str()` or in a template), it is a <figure> holding the drawing (role="img", labelled by its
title and a one-line description) and the table in a <details> disclosure, so a screen-reader
user or anyone who prefers numbers gets them all.
"""

from __future__ import annotations

import hashlib
import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from html import escape
from typing import Any

from django.utils.safestring import SafeString, mark_safe

Number = int | float
Format = Callable[[Number], str]

# Series differ in colour AND marker AND dash, so no reader needs to tell colours apart.
COLOURS = ("#1d4e89", "#b3261e", "#1e7a46", "#8a5a00", "#5b3f8c")
MARKERS = ("circle", "square", "triangle", "diamond", "cross")
DASHES = ("", "7 4", "2 4", "10 4 2 4", "4 2")
INK = "#1b2430"
MUTED = "#5a6472"
GRID = "#d9dee5"
FONT = 'font-family="system-ui, sans-serif"'


def plain(value: Number) -> str:
    """Whole numbers as they are, others to two decimals."""
    if isinstance(value, int) or float(value).is_integer():
        return f"{int(value):,}"
    return f"{value:.2f}"


def percent(value: Number) -> str:
    """A share 0..1 as a whole percentage."""
    return f"{value * 100:.0f} %"


@dataclass(frozen=True)
class Table:
    """Rows of cells under named columns: the numbers behind a chart, or any report table.

    Cells hold values (numbers stay numbers for CSV); `formats` may give a formatter per
    column for the HTML (None cells show as an en dash).
    """

    caption: str
    columns: tuple[str, ...]
    rows: tuple[tuple[Any, ...], ...]
    formats: tuple[Format | None, ...] = ()

    def cell_text(self, column: int, value: Any) -> str:
        if value is None:
            return "–"
        fmt = self.formats[column] if column < len(self.formats) else None
        if fmt is not None and isinstance(value, int | float):
            return fmt(value)
        if isinstance(value, float):
            return plain(value)
        return str(value)

    def html(self) -> str:
        head = "".join(f'<th scope="col">{escape(c)}</th>' for c in self.columns)
        body = []
        for row in self.rows:
            cells = []
            for i, value in enumerate(row):
                text = escape(self.cell_text(i, value))
                if i == 0:
                    cells.append(f'<th scope="row">{text}</th>')
                else:
                    numeric = ' class="num"' if isinstance(value, int | float) else ""
                    cells.append(f"<td{numeric}>{text}</td>")
            body.append(f"<tr>{''.join(cells)}</tr>")
        return (
            # A focusable, named region: a keyboard user can scroll a table wider than the screen.
            f'<div class="table-scroll" tabindex="0" role="region" '
            f'aria-label="Table: {escape(self.caption)}">'
            f'<table class="table"><caption>{escape(self.caption)}'
            f"</caption><thead><tr>{head}</tr></thead><tbody>{''.join(body)}</tbody></table></div>"
        )

    def __html__(self) -> str:
        return self.html()

    def __str__(self) -> SafeString:
        return mark_safe(self.html())  # noqa: S308


SCROLL_WIDTHS = frozenset({0, 480})


@dataclass(frozen=True)
class Chart:
    title: str
    description: str
    svg: str
    table: Table
    id: str = field(default="")
    # px below which the drawing scrolls sideways instead of shrinking: one of the widths that
    # site.css names as `.chart-min-N` (a class, since the CSP allows no inline style)
    min_width: int = 0

    def __post_init__(self):
        if self.min_width not in SCROLL_WIDTHS:
            raise ValueError(f"no .chart-min-{self.min_width} in site.css: {SCROLL_WIDTHS}")

    def html(self) -> str:
        drawing = self.svg
        if self.min_width:
            drawing = (
                f'<div class="chart-scroll" tabindex="0" role="region" '
                f'aria-label="{escape(self.title)}, scrolls sideways">'
                f'<div class="chart-min-{self.min_width}">{self.svg}</div></div>'
            )
        return (
            f'<figure class="chart" id="{self.id}">'
            f"<figcaption>{escape(self.title)}</figcaption>{drawing}"
            f"<details><summary>Data table: {escape(self.title)}</summary>"
            f"{self.table.html()}</details></figure>"
        )

    def __html__(self) -> str:
        return self.html()

    def __str__(self) -> SafeString:
        # Templates call str() before escaping; the markup is built escaped, so it is safe.
        return mark_safe(self.html())  # noqa: S308


def _chart_id(title: str, payload: Any) -> str:
    digest = hashlib.sha256(repr((title, payload)).encode()).hexdigest()[:10]
    return f"chart-{digest}"


def _svg_open(
    chart_id: str, width: int, height: int, title: str, description: str, *, natural=False
) -> str:
    """The opening tag: as wide as its box, or (`natural`) its own width, shrinking to fit."""
    size = f'width="{width}"' if natural else 'width="100%"'
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" '
        f'{size} role="img" aria-labelledby="{chart_id}-t {chart_id}-d" '
        f'preserveAspectRatio="xMinYMin meet" class="chart-svg">'
        f'<title id="{chart_id}-t">{escape(title)}</title>'
        f'<desc id="{chart_id}-d">{escape(description)}</desc>'
    )


def _nice_max(value: float) -> float:
    """A round axis top at or above `value` (1, 2, 2.5 or 5 times a power of ten)."""
    if value <= 0:
        return 1.0
    power = 10 ** math.floor(math.log10(value))
    for step in (1, 2, 2.5, 5, 10):
        if value <= step * power:
            return step * power
    return 10 * power


def _marker(kind: str, x: float, y: float, colour: str) -> str:
    r = 4.5
    if kind == "circle":
        return f'<circle cx="{x:.1f}" cy="{y:.1f}" r="{r}" fill="{colour}"/>'
    if kind == "square":
        return (
            f'<rect x="{x - r:.1f}" y="{y - r:.1f}" width="{2 * r}" height="{2 * r}" '
            f'fill="{colour}"/>'
        )
    if kind == "triangle":
        points = f"{x:.1f},{y - r - 1:.1f} {x - r - 1:.1f},{y + r:.1f} {x + r + 1:.1f},{y + r:.1f}"
        return f'<polygon points="{points}" fill="{colour}"/>'
    if kind == "diamond":
        points = f"{x:.1f},{y - r - 1:.1f} {x + r + 1:.1f},{y:.1f} {x:.1f},{y + r + 1:.1f} "
        points += f"{x - r - 1:.1f},{y:.1f}"
        return f'<polygon points="{points}" fill="{colour}"/>'
    return (
        f'<path d="M{x - r:.1f},{y - r:.1f}L{x + r:.1f},{y + r:.1f}M{x - r:.1f},{y + r:.1f}'
        f'L{x + r:.1f},{y - r:.1f}" stroke="{colour}" stroke-width="2.5"/>'
    )


@dataclass(frozen=True)
class Series:
    """One line of a line chart: a name and one value (or None for a gap) per x label."""

    name: str
    values: tuple[Number | None, ...]


def line_chart(
    title: str,
    *,
    x_labels: Sequence[str],
    series: Sequence[Series],
    y_label: str,
    fmt: Format = plain,
    y_max: float | None = None,
    x_title: str = "",
    description: str = "",
) -> Chart:
    """A trend: one line per series over the x labels (weeks, say), y from 0.

    Up to five series; each has its own colour, marker shape and dash, named in a legend.
    """
    width, height = 480, 260
    left, right, top, bottom = 50, 12, 14, 62
    plot_w, plot_h = width - left - right, height - top - bottom
    values = [v for s in series for v in s.values if v is not None]
    if y_max is not None:
        top_value = y_max
    elif all(isinstance(v, int) for v in values):  # counts: whole-number ticks
        top_value = max(4, math.ceil(max(values, default=0) / 4) * 4)
    else:
        top_value = _nice_max(max(values, default=0))
    n = len(x_labels)

    def x_at(i: int) -> float:
        return left + (plot_w * (i + 0.5) / n if n else 0)

    def y_at(v: float) -> float:
        return top + plot_h * (1 - (v / top_value if top_value else 0))

    chart_id = _chart_id(title, (tuple(x_labels), tuple(series)))
    description = description or (
        f"{y_label} for {len(x_labels)} points"
        + (f" ({x_labels[0]} to {x_labels[-1]})" if x_labels else "")
        + f", {len(series)} series."
    )
    parts = [_svg_open(chart_id, width, height, title, description)]
    for step in range(5):
        v = top_value * step / 4
        y = y_at(v)
        parts.append(
            f'<line x1="{left}" x2="{width - right}" y1="{y:.1f}" y2="{y:.1f}" stroke="{GRID}"/>'
            f'<text x="{left - 6}" y="{y + 4:.1f}" text-anchor="end" font-size="12" {FONT} '
            f'fill="{MUTED}">{escape(fmt(v))}</text>'
        )
    every = max(1, math.ceil(n / 6))
    for i, label in enumerate(x_labels):
        if i % every == 0:
            parts.append(
                f'<text x="{x_at(i):.1f}" y="{top + plot_h + 16}" text-anchor="middle" '
                f'font-size="12" {FONT} fill="{MUTED}">{escape(label)}</text>'
            )
    if x_title:
        parts.append(
            f'<text x="{left + plot_w / 2:.1f}" y="{top + plot_h + 32}" text-anchor="middle" '
            f'font-size="11" {FONT} fill="{MUTED}">{escape(x_title)}</text>'
        )
    for k, s in enumerate(series):
        colour, marker, dash = (
            COLOURS[k % len(COLOURS)],
            MARKERS[k % len(MARKERS)],
            DASHES[k % len(DASHES)],
        )
        runs: list[list[tuple[float, float]]] = [[]]
        for i, v in enumerate(s.values):
            if v is None:
                runs.append([])
            else:
                runs[-1].append((x_at(i), y_at(v)))
        dash_attr = f' stroke-dasharray="{dash}"' if dash else ""
        for run in runs:
            if len(run) > 1:
                points = " ".join(f"{x:.1f},{y:.1f}" for x, y in run)
                parts.append(
                    f'<polyline points="{points}" fill="none" stroke="{colour}" '
                    f'stroke-width="2.5"{dash_attr}/>'
                )
            parts.extend(_marker(marker, x, y, colour) for x, y in run)
        lx = left + (k % 3) * 150
        ly = height - 14 - (k // 3) * 0
        parts.append(
            f'<line x1="{lx}" x2="{lx + 28}" y1="{ly - 4}" y2="{ly - 4}" stroke="{colour}" '
            f'stroke-width="2.5"{dash_attr}/>{_marker(marker, lx + 14, ly - 4, colour)}'
            f'<text x="{lx + 34}" y="{ly}" font-size="13" {FONT} fill="{INK}">'
            f"{escape(s.name)}</text>"
        )
    parts.append("</svg>")
    table = Table(
        caption=title,
        columns=(x_title or "Point", *(s.name for s in series)),
        rows=tuple((label, *(s.values[i] for s in series)) for i, label in enumerate(x_labels)),
        formats=(None, *([fmt] * len(series))),
    )
    return Chart(title, description, "".join(parts), table, chart_id, min_width=480)


def bar_chart(
    title: str,
    *,
    bars: Sequence[tuple[str, Number | None]],
    value_label: str,
    fmt: Format = plain,
    max_value: float | None = None,
    highlight: Sequence[int] = (),
    highlight_note: str = "",
    description: str = "",
) -> Chart:
    """A distribution: one horizontal bar per label, its value printed at its end.

    Bars at the `highlight` indices (the true level, say) are drawn solid and hatched and
    their label carries `highlight_note`, so they stand out without colour.
    """
    width, row_h, top = 480, 44, 6
    height = top + row_h * len(bars) + 6
    left, right = 8, 72
    plot_w = width - left - right
    values = [v for _, v in bars if v is not None]
    top_value = max_value if max_value is not None else max(values, default=0) or 1
    chart_id = _chart_id(title, tuple(bars))
    description = description or f"{value_label} for {len(bars)} categories."
    pattern = f"{chart_id}-hatch"
    parts = [
        _svg_open(chart_id, width, height, title, description),
        f'<defs><pattern id="{pattern}" width="8" height="8" patternUnits="userSpaceOnUse" '
        f'patternTransform="rotate(45)"><rect width="8" height="8" fill="{COLOURS[0]}"/>'
        f'<line x1="0" y1="0" x2="0" y2="8" stroke="#fff" stroke-width="3"/></pattern></defs>',
    ]
    for i, (label, value) in enumerate(bars):
        y = top + i * row_h
        marked = i in highlight
        text = f"{label} {highlight_note}".strip() if marked else label
        weight = ' font-weight="700"' if marked else ""
        parts.append(
            f'<text x="{left}" y="{y + 14}" font-size="15" {FONT} fill="{INK}"{weight}>'
            f"{escape(text)}</text>"
        )
        bar_w = plot_w * ((value or 0) / top_value) if top_value else 0
        fill = f"url(#{pattern})" if marked else "#7d9cc4"
        parts.append(
            f'<rect x="{left}" y="{y + 20}" width="{max(bar_w, 0):.1f}" height="16" '
            f'fill="{fill}" stroke="{COLOURS[0]}" stroke-width="{2 if marked else 0}"/>'
            f'<text x="{left + bar_w + 6:.1f}" y="{y + 33}" font-size="14" {FONT} '
            f'fill="{INK}">{escape(fmt(value) if value is not None else "no data")}</text>'
        )
    parts.append("</svg>")
    table = Table(
        caption=title,
        columns=("", value_label),
        rows=tuple(
            (f"{label} {highlight_note}".strip() if i in highlight else label, value)
            for i, (label, value) in enumerate(bars)
        ),
        formats=(None, fmt),
    )
    return Chart(title, description, "".join(parts), table, chart_id)


def heat_map(
    title: str,
    *,
    rows: Sequence[str],
    columns: Sequence[str],
    values: Sequence[Sequence[Number | None]],
    row_title: str,
    column_title: str,
    fmt: Format = plain,
    outline_diagonal: bool = True,
    outlined: Sequence[tuple[int, int]] | None = None,
    description: str = "",
) -> Chart:
    """A matrix (true level × chosen level, say): every cell prints its value, darker for
    more (an empty cell, None, prints a dash); the diagonal (agreement) gets a thick outline,
    so it reads without colour.

    `outlined` names the (row, column) cells to outline when rows and columns are not the
    same list (the default outlines row i, column i)."""
    marked = set(outlined) if outlined is not None else None
    cell = 56
    slanted = max((len(c) for c in columns), default=0) > 4  # long labels are set at 45°
    left, top = 96, (92 if slanted else 48)
    width = left + cell * len(columns) + 12
    height = top + cell * len(rows) + 12
    peak = max((v for row in values for v in row if v is not None), default=0) or 1
    chart_id = _chart_id(title, (tuple(rows), tuple(columns), tuple(map(tuple, values))))
    description = description or (
        f"{row_title} in rows against {column_title} in columns; each cell holds its count."
    )
    parts = [
        _svg_open(chart_id, width, height, title, description, natural=True),
        f'<text x="{left}" y="14" font-size="12" font-weight="700" {FONT} fill="{INK}">'
        f"{escape(column_title)} →</text>",
        f'<text x="6" y="{top - 8}" font-size="12" font-weight="700" {FONT} fill="{INK}">'
        f"{escape(row_title)} ↓</text>",
    ]
    for j, label in enumerate(columns):
        x = left + j * cell + cell / 2
        if slanted:
            parts.append(
                f'<text transform="translate({x:.1f},{top - 8}) rotate(-45)" font-size="12" '
                f'{FONT} fill="{INK}">{escape(label)}</text>'
            )
        else:
            parts.append(
                f'<text x="{x:.1f}" y="{top - 10}" text-anchor="middle" font-size="14" '
                f'font-weight="700" {FONT} fill="{INK}">{escape(label)}</text>'
            )
    for i, label in enumerate(rows):
        y = top + i * cell
        parts.append(
            f'<text x="{left - 6}" y="{y + cell / 2 + 4:.1f}" text-anchor="end" font-size="12" '
            f'{FONT} fill="{INK}">{escape(label)}</text>'
        )
        for j in range(len(columns)):
            v = values[i][j]
            share = (v or 0) / peak
            x = left + j * cell
            parts.append(
                f'<rect x="{x}" y="{y}" width="{cell}" height="{cell}" fill="{COLOURS[0]}" '
                f'fill-opacity="{0.06 + 0.9 * share:.2f}" stroke="#fff"/>'
            )
            if (marked is not None and (i, j) in marked) or (
                marked is None and outline_diagonal and i == j
            ):
                parts.append(
                    f'<rect x="{x + 2}" y="{y + 2}" width="{cell - 4}" height="{cell - 4}" '
                    f'fill="none" stroke="{INK}" stroke-width="3"/>'
                )
            ink = "#fff" if share > 0.5 else INK
            parts.append(
                f'<text x="{x + cell / 2}" y="{y + cell / 2 + 5}" text-anchor="middle" '
                f'font-size="14" {FONT} fill="{ink}">{escape(fmt(v) if v is not None else "–")}'
                "</text>"
            )
    parts.append("</svg>")
    table = Table(
        caption=title,
        columns=(f"{row_title} \\ {column_title}", *columns),
        rows=tuple((label, *values[i]) for i, label in enumerate(rows)),
        formats=(None, *([fmt] * len(columns))),
    )
    return Chart(title, description, "".join(parts), table, chart_id)
