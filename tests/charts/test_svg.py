"""The server-side charts: well-formed SVG with a title, the same numbers in a table, and
meaning that does not rest on colour alone."""

import xml.etree.ElementTree as ET

from edu.charts import Series, bar_chart, heat_map, line_chart
from edu.charts.svg import percent

SVG = "{http://www.w3.org/2000/svg}"


def svg_of(chart):
    return ET.fromstring(chart.svg)  # noqa: S314 (our own output, not untrusted input)


def test_line_chart_is_titled_svg_with_its_numbers_in_a_table():
    chart = line_chart(
        "Learners active per week",
        x_labels=["1 Sep", "8 Sep", "15 Sep"],
        series=[Series("All cohorts", (10, 12, None)), Series("Cohort A", (4, 5, 6))],
        y_label="Learners",
        x_title="Week",
    )
    root = svg_of(chart)
    assert root.get("role") == "img"
    assert root.find(f"{SVG}title").text == "Learners active per week"
    assert chart.table.columns == ("Week", "All cohorts", "Cohort A")
    assert chart.table.rows[2] == ("15 Sep", None, 6)
    html = str(chart)
    assert "<figcaption>Learners active per week</figcaption>" in html
    assert "<summary>Data table: Learners active per week</summary>" in html
    assert '<td class="num">12</td>' in html


def test_line_series_differ_by_marker_and_dash_not_only_colour():
    chart = line_chart(
        "Two series",
        x_labels=["a", "b"],
        series=[Series("one", (1, 2)), Series("two", (2, 1))],
        y_label="n",
    )
    root = svg_of(chart)
    lines = root.findall(f"{SVG}polyline")
    assert lines[0].get("stroke-dasharray") is None and lines[1].get("stroke-dasharray")
    assert root.findall(f"{SVG}circle") and root.findall(f"{SVG}rect")  # circle vs square
    legend = [t.text for t in root.findall(f"{SVG}text")]
    assert "one" in legend and "two" in legend


def test_bar_chart_prints_every_value_and_marks_the_highlight_in_words():
    chart = bar_chart(
        "Chosen level",
        bars=[("NMJ", 0.6), ("Muscle", 0.3), ("Nerve", 0.1)],
        value_label="Share of attempts",
        fmt=percent,
        max_value=1,
        highlight=[0],
        highlight_note="(true level)",
    )
    texts = [t.text for t in svg_of(chart).iter(f"{SVG}text")]
    assert "NMJ (true level)" in texts
    assert {"60 %", "30 %", "10 %"} <= set(texts)
    assert chart.table.rows[0] == ("NMJ (true level)", 0.6)


def test_heat_map_writes_each_count_and_outlines_the_diagonal():
    chart = heat_map(
        "Confusions",
        rows=["NMJ", "Muscle"],
        columns=["NMJ", "Muscle"],
        values=[[8, 2], [3, 7]],
        row_title="True level",
        column_title="Chosen level",
    )
    root = svg_of(chart)
    texts = [t.text for t in root.iter(f"{SVG}text")]
    assert {"8", "2", "3", "7"} <= set(texts)
    outlined = [r for r in root.iter(f"{SVG}rect") if r.get("stroke-width") == "3"]
    assert len(outlined) == 2
    assert chart.table.rows == (("NMJ", 8, 2), ("Muscle", 3, 7))


def test_labels_are_escaped():
    chart = bar_chart("<b>", bars=[("<script>", 1)], value_label="n")
    assert "<script>" not in str(chart)
    svg_of(chart)  # still well-formed


def test_empty_data_still_draws():
    chart = line_chart("Nothing yet", x_labels=[], series=[Series("All", ())], y_label="n")
    svg_of(chart)
    assert chart.table.rows == ()


def test_heat_map_marks_missing_cells_with_a_dash_not_a_zero():
    chart = heat_map(
        "Trend",
        rows=["NMJ"],
        columns=["P1", "P2"],
        values=[[None, 57]],
        row_title="Level",
        column_title="Period",
        outline_diagonal=False,
    )
    texts = [t.text for t in svg_of(chart).iter(f"{SVG}text")]
    assert "–" in texts and "0" not in texts
    assert chart.table.rows == (("NMJ", None, 57),)
