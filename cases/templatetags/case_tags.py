"""Display filters for the case pages: clock times and score percentages."""

from django import template

register = template.Library()


@register.filter
def clock(minutes) -> str:
    """Minutes since the case began, the way a ward clock reads: "45 min", "2 h 05", "3 d 4 h",
    and for the long waits of chronic cases "5 wk 2 d" or "9 y 12 d"."""
    try:
        minutes = int(minutes)
    except (TypeError, ValueError):
        return ""
    days, rest = divmod(minutes, 24 * 60)
    if days >= 365:
        years, days = divmod(days, 365)
        return f"{years} y {days} d" if days else f"{years} y"
    if days >= 28:
        weeks, days = divmod(days, 7)
        return f"{weeks} wk {days} d" if days else f"{weeks} wk"
    hours, mins = divmod(rest, 60)
    if days:
        return f"{days} d {hours} h" if hours else f"{days} d"
    if hours:
        return f"{hours} h {mins:02d}" if mins else f"{hours} h"
    return f"{mins} min"


@register.filter
def percent(value) -> str:
    """A 0..1 score as a whole percentage."""
    try:
        return f"{round(float(value) * 100)}%"
    except (TypeError, ValueError):
        return "—"


@register.filter
def width(value) -> str:
    """A 0..1 score as a CSS width for a bar (the one inline style CSP allows)."""
    try:
        return f"{max(0, min(100, round(float(value) * 100)))}%"
    except (TypeError, ValueError):
        return "0%"
