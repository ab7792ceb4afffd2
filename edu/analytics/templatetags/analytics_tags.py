"""Display helpers for the analytics pages: shares as percentages, figures to two places."""

from django import template

register = template.Library()


@register.filter
def pct(value) -> str:
    """0.734 -> '73 %'; nothing -> an en dash."""
    if value is None or value == "":
        return "–"
    return f"{float(value) * 100:.0f} %"


@register.filter
def fig(value, places: int = 2) -> str:
    """A figure to `places` decimals; nothing -> an en dash."""
    if value is None or value == "":
        return "–"
    return f"{float(value):.{int(places)}f}"
