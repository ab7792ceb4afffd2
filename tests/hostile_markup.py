"""Markup an author (or a pasted page) could slip into content, and a check that a page shows
it only as text.

Each payload carries a numbered `alert(N)`, so the check can also tell that the text did reach
the page (escaped), not that it was lost on the way, which would prove nothing.
"""

from __future__ import annotations

from html.parser import HTMLParser

# TOML-safe (no double quotes, no backslashes), so they go into content files as they are.
PAYLOADS = [
    "<script>alert(101)</script>",
    "<img src=x onerror=alert(102)>",
    "<a href=javascript:alert(103)>open</a>",
    "<iframe src=//evil.example/alert(104)></iframe>",
    "<p style=width:expression(alert(105))>wide</p>",
    "<svg onload=alert(106)></svg>",
    "<div onmouseover=alert(107)>hover</div>",
    "<object data=x.swf>alert(108)</object>",
    "<style>body{background:url(javascript:alert(109))}</style>",
    "<form action=//evil.example><button formaction=javascript:alert(110)>go</button></form>",
]
DANGEROUS_TAGS = {"script", "iframe", "object", "embed", "style", "frame", "frameset", "base"}
URL_ATTRIBUTES = {"href", "src", "action", "formaction", "xlink:href", "data"}


class _Elements(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.problems: list[str] = []
        self.text: list[str] = []

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if tag in DANGEROUS_TAGS and not (tag == "script" and attributes.get("src")):
            self.problems.append(f"<{tag}> element")
        for name, value in attrs:
            value = (value or "").strip().lower()
            if name.startswith("on"):
                self.problems.append(f"{name}= on <{tag}>")
            if name == "style":
                self.problems.append(f"style= on <{tag}>")
            if name in URL_ATTRIBUTES and value.replace(" ", "").startswith(
                ("javascript:", "data:text", "vbscript:")
            ):
                self.problems.append(f"{name}={value} on <{tag}>")

    def handle_data(self, data):
        self.text.append(data)


def live_markup_problems(html: str) -> list[str]:
    """Every script, event handler, inline style, frame or script URL the browser would act on."""
    parser = _Elements()
    parser.feed(html)
    return parser.problems


def shown_alerts(html: str) -> set[int]:
    """The payload numbers that appear as the page's text."""
    parser = _Elements()
    parser.feed(html)
    text = "".join(parser.text)
    return {n for n in range(101, 111) if f"alert({n})" in text}
