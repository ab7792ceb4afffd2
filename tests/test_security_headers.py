"""The Content-Security-Policy allows nothing inline, and nothing the site serves needs it to.

The header is checked as a browser receives it; the templates and the charts are checked for
the inline styles and scripts such a policy would block (tests/browser/test_content_security_
policy.py proves the same in Chromium, page by page).
"""

import re

import pytest
from django.conf import settings
from django.urls import reverse

from edu.charts.bars import bar_fill, filled_percent
from edu.charts.svg import Chart, Table

TEMPLATES = settings.BASE_DIR / "templates"


def directives(header: str) -> dict[str, list[str]]:
    parts = (part.split() for part in header.split(";") if part.strip())
    return {name: sources for name, *sources in parts}


@pytest.mark.django_db
@pytest.mark.parametrize("url", ["home", "lessons:index", "accounts:sign-in"])
def test_the_policy_has_no_unsafe_inline_for_scripts_or_styles(client, url):
    policy = directives(client.get(reverse(url))["Content-Security-Policy"])
    for directive in ("script-src", "style-src"):
        assert policy[directive] == ["'self'"], policy
    assert not any("unsafe" in source for sources in policy.values() for source in sources)
    assert policy["object-src"] == ["'none'"] and policy["frame-ancestors"] == ["'none'"]


def template_files():
    return sorted(TEMPLATES.rglob("*.html"))


@pytest.mark.parametrize("path", template_files(), ids=lambda p: str(p.relative_to(TEMPLATES)))
def test_no_template_carries_inline_style_or_script(path):
    text = path.read_text(encoding="utf-8")
    assert not re.search(r"\sstyle\s*=", text), "a style= attribute: use a class in static/css"
    assert "<style" not in text, "a <style> element: move it to static/css"
    for tag in re.findall(r"<script\b[^>]*>", text):
        assert "src=" in tag, f"an inline script {tag}: move it to static/js"
    assert not re.search(r"\son[a-z]+\s*=", text), "an event attribute: bind it in static/js"


def test_htmx_is_told_not_to_inject_its_indicator_style():
    base = (TEMPLATES / "base.html").read_text(encoding="utf-8")
    assert re.search(r"""name="htmx-config" content='\{"includeIndicatorStyles": false\}'""", base)


def test_a_wide_chart_scrolls_by_class_not_inline_style():
    table = Table(caption="t", columns=("a",), rows=(("x",),))
    html = Chart("T", "D", "<svg></svg>", table, "c", min_width=480).html()
    assert 'class="chart-min-480"' in html and "style=" not in html
    css = (settings.BASE_DIR / "static" / "css" / "site.css").read_text(encoding="utf-8")
    assert ".chart-min-480 {" in css
    with pytest.raises(ValueError):
        Chart("T", "D", "<svg></svg>", table, "c", min_width=333)


@pytest.mark.parametrize(
    "part,whole,width", [(1, 4, 25), (0.5, 1, 50), (3, 0, 0), (None, 1, 0), (7, 5, 100)]
)
def test_a_bar_is_filled_by_an_svg_width_not_a_style(part, whole, width):
    assert filled_percent(part, whole) == width
    html = bar_fill(part, whole)
    assert f'<rect width="{width}" height="1"/>' in html and "style" not in html
