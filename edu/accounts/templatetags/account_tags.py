"""Template filters for the account pages: durations said in words ("15 minutes", not 0:15:00)."""

from datetime import timedelta

from django import template

register = template.Library()


def _count(n: int, unit: str) -> str:
    return f"{n} {unit}" if n == 1 else f"{n} {unit}s"


@register.filter
def duration_words(value: timedelta | None) -> str:
    """A duration in whole hours and minutes (seconds only under a minute)."""
    if not value:
        return ""
    seconds = int(value.total_seconds())
    if seconds < 60:
        return _count(seconds, "second")
    hours, minutes = divmod(round(seconds / 60), 60)
    parts = [_count(hours, "hour")] if hours else []
    if minutes:
        parts.append(_count(minutes, "minute"))
    return " and ".join(parts)
