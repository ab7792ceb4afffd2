"""Markdown to safe HTML, done once when content is loaded so pages do no Markdown work.

A reference cited several times in a lesson gets one back-link per citation; Markdown's
footnotes draw each as an arrow ("↩↩↩"). We keep one arrow, back to the first mention, and
number the others ("↩ 2 3"), each still a link back to its own mention.

A table wider than a phone scrolls sideways inside a focusable region, so that someone using
the keyboard can scroll it too (WCAG 2.1.1; axe's scrollable-region-focusable).
"""

import re

import markdown
import nh3

# Bump when the HTML made from the same Markdown changes, so load_content renders lessons again.
RENDERING_VERSION = "3"

EXTENSIONS = ["footnotes", "tables", "toc", "sane_lists", "attr_list"]
EXTENSION_CONFIGS = {
    # U+FE0E asks for the plain arrow, not an emoji, where a font has both.
    "footnotes": {
        "BACKLINK_TITLE": "Back to the text",
        "BACKLINK_TEXT": "&#8617;&#xFE0E;",
        "SUPERSCRIPT_TEXT": "{}",
    },
    "toc": {"toc_depth": "2-3", "permalink": False},
}

ALLOWED_TAGS = {
    "a",
    "abbr",
    "b",
    "blockquote",
    "br",
    "code",
    "dd",
    "del",
    "div",
    "dl",
    "dt",
    "em",
    "h2",
    "h3",
    "h4",
    "hr",
    "i",
    "li",
    "ol",
    "p",
    "pre",
    "strong",
    "sub",
    "sup",
    "table",
    "tbody",
    "td",
    "tfoot",
    "th",
    "thead",
    "tr",
    "ul",
}
ALLOWED_ATTRIBUTES = {
    "*": {"id", "class"},
    "a": {"href", "title", "role"},
    "td": {"align"},
    "th": {"align", "scope"},
    "ol": {"start"},
}


def sanitise(html: str) -> str:
    return nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes={"http", "https", "mailto"},
        link_rel="noopener noreferrer",
    )


LATER_BACKREF = re.compile(
    r'<a class="footnote-backref" href="#fnref(?P<n>\d+):(?P<id>[^"]+)" title="[^"]*">[^<]*</a>'
)


def one_arrow_per_footnote(html: str) -> str:
    """Later back-links of a footnote show their mention's number instead of another arrow."""
    return LATER_BACKREF.sub(
        lambda m: (
            f'<a class="footnote-backref footnote-backref-more" href="#fnref{m["n"]}:{m["id"]}" '
            f'title="Back to mention {m["n"]} in the text">{m["n"]}</a>'
        ),
        html,
    )


TABLE = re.compile(r"<table\b.*?</table>", re.DOTALL)


def scrollable_tables(html: str) -> str:
    """Wrap each table in a named, focusable region that scrolls (added after sanitising, which
    allows neither tabindex nor role in authored content)."""
    numbers = iter(range(1, 1000))
    return TABLE.sub(
        lambda m: (
            f'<div class="table-scroll" tabindex="0" role="region" '
            f'aria-label="Table {next(numbers)}">{m[0]}</div>'
        ),
        html,
    )


def render_lesson(body: str) -> tuple[str, str]:
    """Return (body_html, toc_html), both sanitised."""
    md = markdown.Markdown(extensions=EXTENSIONS, extension_configs=EXTENSION_CONFIGS)
    html = one_arrow_per_footnote(md.convert(body))
    toc = md.toc if md.toc_tokens else ""
    return scrollable_tables(sanitise(html)), sanitise(toc)
