"""Lesson HTML is sanitised, body and table of contents, against more than `<script>`.

The lesson page prints `body_html` and `toc_html` unescaped, so whatever reaches those fields
runs in a learner's browser. Each attack below is checked twice: on what `render_lesson`
returns (the unit), and on the lesson page after loading a lesson file that carries it (through
the page, as a learner would receive it).
"""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from edu.lessons.models import Lesson
from edu.lessons.rendering import render_lesson, sanitise
from tests.lessons.conftest import write_lesson

# name -> (Markdown an author, or a pasted page, could write; what must not survive)
ATTACKS = {
    "script tag": ("<script>alert('script')</script>", r"<script"),
    "onerror on an image": ('<img src="x.png" onerror="alert(1)">', r"onerror"),
    "onclick on a paragraph": ('<p onclick="alert(2)">Press here</p>', r"onclick"),
    "onmouseover on a span": ('<span onmouseover="alert(3)">hover</span>', r"onmouseover"),
    "onload on svg": ('<svg onload="alert(4)"></svg>', r"onload|<svg"),
    "onfocus via attr_list": ('Read this.\n{: onfocus="alert(5)" tabindex="0" }', r"onfocus"),
    "javascript: Markdown link": ("[open](javascript:alert(6))", r"javascript:"),
    "javascript: mixed case": ('<a href="JaVaScRiPt:alert(7)">x</a>', r"(?i)javascript:"),
    "javascript: entity-encoded": (
        '<a href="&#106;avascript:alert(8)">x</a>',
        r"(?i)&#106;avascript|javascript:",
    ),
    "data: link": ('<a href="data:text/html,<script>alert(9)</script>">x</a>', r"data:"),
    "iframe": ('<iframe src="https://attacker.example/"></iframe>', r"<iframe"),
    "object embed": ('<object data="x.swf"></object><embed src="x.swf">', r"<object|<embed"),
    "style expression": ('<p style="width: expression(alert(10))">wide</p>', r"expression|style="),
    "style url": ('<div style="background: url(javascript:alert(11))">b</div>', r"style="),
    "style tag": ("<style>body { background: red }</style>", r"<style"),
    "form": ('<form action="https://attacker.example/"><input name="q"></form>', r"<form|<input"),
    "heading attribute": ('## Heading {: onmouseover="alert(12)" }', r"onmouseover"),
    "base tag": ('<base href="https://attacker.example/">', r"<base"),
    "meta refresh": (
        '<meta http-equiv="refresh" content="0;url=javascript:alert(16)">',
        r"<meta|javascript:",
    ),
    "formaction": (
        '<button formaction="javascript:alert(17)">x</button>',
        r"formaction|javascript:",
    ),
    "vbscript: link": ('<a href="vbscript:msgbox(18)">x</a>', r"(?i)vbscript:"),
    "svg xlink": (
        '<svg><a xlink:href="javascript:alert(19)"><text>x</text></a></svg>',
        r"javascript:",
    ),
    "math namespace": ("<math><mtext><img src=x onerror=alert(20)></mtext></math>", r"onerror"),
    "iframe srcdoc": ('<iframe srcdoc="<script>alert(21)</script>"></iframe>', r"<iframe|srcdoc"),
    "noscript confusion": (
        '<noscript><p title="</noscript><img src=x onerror=alert(22)>">',
        r"onerror",
    ),
}
TOC_ATTACKS = {
    "markup in a heading": ("## Intro <img src=x onerror=alert(13)> text", r"<img|onerror="),
    "markup in a toc label": (
        '## Plain {data-toc-label="<img src=x onerror=alert(14)>Label"}',
        r"<img|onerror=",
    ),
    "script in a heading": ("## Steps <script>alert(15)</script>", r"<script"),
}
SAFE_KEEPS = ["Before the attack.", "After the attack."]


def wrap(markdown: str) -> str:
    before, after = SAFE_KEEPS
    return f"## Part one\n\n{before}\n\n{markdown}\n\n{after}\n\n## Part two\n\nEnd.\n"


@pytest.mark.parametrize("name", sorted(ATTACKS))
def test_render_lesson_removes_the_attack_from_the_body(name):
    markdown, forbidden = ATTACKS[name]
    body, _toc = render_lesson(wrap(markdown))
    assert not re.search(forbidden, body), body
    for kept in SAFE_KEEPS:
        assert kept in body


@pytest.mark.parametrize("name", sorted(TOC_ATTACKS))
def test_render_lesson_removes_the_attack_from_the_table_of_contents(name):
    markdown, forbidden = TOC_ATTACKS[name]
    body, toc = render_lesson(f"{markdown}\n\nText.\n\n## Next\n\nMore.\n")
    assert 'href="#next"' in toc
    assert not re.search(forbidden, toc), toc
    assert not re.search(forbidden, body), body


def test_both_stored_fields_are_what_the_sanitiser_lets_through():
    """A fixed point: sanitising the output again changes nothing, for the body and for the
    table of contents (an unsanitised toc lacks the rel the sanitiser puts on every link)."""
    text = "\n\n".join(markdown for markdown, _ in ATTACKS.values())
    body, toc = render_lesson(wrap(text) + "\n## [A link](https://example.org) heading\n")
    assert toc and body
    assert sanitise(body) == body
    assert sanitise(toc) == toc
    assert 'rel="noopener noreferrer"' in toc


def test_ordinary_lesson_markup_survives_sanitising():
    body, toc = render_lesson(
        "## Signs\n\nSee [the guide](https://example.org/guide).\n\n"
        "| Site | Sign |\n|---|---|\n| Muscle | proximal |\n\n"
        "A claim.[^1]\n\n[^1]: A source, 2024.\n"
    )
    assert '<a href="https://example.org/guide" rel="noopener noreferrer">the guide</a>' in body
    assert "<table>" in body and '<sup id="fnref:1">' in body
    assert 'href="#signs"' in toc


# Through the page ----------------------------------------------------------------------------


@pytest.fixture
def lesson_page(client, content_dir, load):
    """Loads one lesson file holding every attack and returns the lesson page's HTML."""
    attacks = "\n\n".join(markdown for markdown, _ in ATTACKS.values())
    headings = "\n\n".join(f"{markdown}\n\nText under it." for markdown, _ in TOC_ATTACKS.values())
    write_lesson(content_dir, 1, body_extra=f"\n{wrap(attacks)}\n{headings}\n")
    load(content_dir)
    lesson = Lesson.objects.get()
    response = client.get(reverse("lessons:lesson", args=[lesson.topic.slug, lesson.slug]))
    assert response.status_code == 200
    html = response.content.decode()
    assert SAFE_KEEPS[0] in html and SAFE_KEEPS[1] in html
    return html


def lesson_parts(html: str) -> tuple[str, str]:
    """(lesson body, table of contents) as the page shows them; the page's own markup (its
    forms, the scripts it loads) lies outside both."""
    toc = re.search(r'<nav aria-label="On this page".*?</nav>', html, re.S)
    body = re.search(r'<div class="lesson-body">(.*)</div>\s*</div>\s*</article>', html, re.S)
    assert toc and body, "the lesson page lost its table of contents or body"
    return body.group(1), toc.group()


@pytest.mark.parametrize("name", sorted(ATTACKS))
def test_the_lesson_page_carries_no_attack_in_its_body(lesson_page, name):
    _markdown, forbidden = ATTACKS[name]
    body, _toc = lesson_parts(lesson_page)
    assert "Text under it." in body
    assert not re.search(forbidden, body), body


@pytest.mark.parametrize("name", sorted(TOC_ATTACKS))
def test_the_lesson_page_carries_no_attack_in_its_table_of_contents(lesson_page, name):
    _markdown, forbidden = TOC_ATTACKS[name]
    _body, toc = lesson_parts(lesson_page)
    assert "On this page" in toc
    assert not re.search(forbidden, toc), toc


def test_the_pages_table_of_contents_is_sanitised_output(lesson_page):
    """Markdown already escapes heading text, so the sign that the contents went through the
    sanitiser is that sanitising them again changes nothing (every link carries its rel)."""
    _body, toc = lesson_parts(lesson_page)
    inner = toc.split("<h2>On this page</h2>", 1)[1].removesuffix("</nav>")
    assert 'href="#' in inner
    assert sanitise(inner) == inner
