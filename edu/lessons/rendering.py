"""Markdown to safe HTML, done once when content is loaded so pages do no Markdown work."""

import markdown
import nh3

EXTENSIONS = ["footnotes", "tables", "toc", "sane_lists", "attr_list"]
EXTENSION_CONFIGS = {
    "footnotes": {"BACKLINK_TITLE": "Back to the text", "SUPERSCRIPT_TEXT": "{}"},
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


def render_lesson(body: str) -> tuple[str, str]:
    """Return (body_html, toc_html), both sanitised."""
    md = markdown.Markdown(extensions=EXTENSIONS, extension_configs=EXTENSION_CONFIGS)
    html = md.convert(body)
    toc = md.toc if md.toc_tokens else ""
    return sanitise(html), sanitise(toc)
