"""The case clock's one way of writing a duration ("45 min", "2 h 05", "6 wk 1 d"), shared by
the templates' `clock` filter and the sentences the debrief composes. Pure Python."""

from __future__ import annotations


def clock_text(minutes: int) -> str:
    """Minutes since the case began, the way a ward clock reads: "45 min", "2 h 05", "3 d 4 h",
    and for the long waits of chronic cases "5 wk 2 d" or "9 y 12 d"."""
    days, rest = divmod(int(minutes), 24 * 60)
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
