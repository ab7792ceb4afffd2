"""Accessible charts drawn on the server as SVG, for any page: line, bar and heat map.

Each chart comes with its title and its data as a table (in a disclosure under the drawing),
never says anything by colour alone (values are printed, series differ by marker and dash as
well as colour) and needs no JavaScript. Put a chart in a template with `{{ chart }}`; its
`table` also feeds CSV exports.

    from edu.charts import Series, Table, bar_chart, heat_map, line_chart
"""

from edu.charts.svg import Chart, Series, Table, bar_chart, heat_map, line_chart

__all__ = ["Chart", "Series", "Table", "bar_chart", "heat_map", "line_chart"]
