"""The filled part of a progress bar, drawn as SVG so the page needs no inline style.

A bar's width used to be a `style="width: …"` attribute, which a Content-Security-Policy
without 'unsafe-inline' refuses. An SVG rectangle's `width` is a presentation attribute, not a
style, so the policy allows it. Registered as a template builtin (edu.settings.base), so every
template can write `{% bar_fill part whole %}` inside its `<span class="bar">`.
"""

from django import template
from django.utils.html import format_html

register = template.Library()


def filled_percent(part, whole=1) -> int:
    """part/whole as a whole percentage clamped to 0..100; 0 when either is not a number."""
    try:
        share = float(part) / float(whole)
    except (TypeError, ValueError, ZeroDivisionError):
        return 0
    return max(0, min(100, round(share * 100)))


@register.simple_tag
def bar_fill(part, whole=1):
    return format_html(
        '<svg class="bar-fill" viewBox="0 0 100 1" preserveAspectRatio="none" '
        'aria-hidden="true" focusable="false"><rect width="{}" height="1"/></svg>',
        filled_percent(part, whole),
    )
