"""Display filters for the case pages: clock times and score percentages."""

from django import template

from cases.clock import clock_text

register = template.Library()


@register.filter
def clock(minutes) -> str:
    """Minutes as the case clock reads them (see cases.clock); "" for anything not a number."""
    try:
        return clock_text(int(minutes))
    except (TypeError, ValueError):
        return ""


@register.filter
def percent(value) -> str:
    """A 0..1 score as a whole percentage."""
    try:
        return f"{round(float(value) * 100)}%"
    except (TypeError, ValueError):
        return "—"
