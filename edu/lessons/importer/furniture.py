"""Page furniture: the parts of a copied web page that are not the article.

The rules live in one table per layout family (`layouts.py`); this module holds the machinery
and `FURNITURE`, the table of the reference layout (the copied clinical overview page the site
was built on). Each rule is a regular expression matched against the whole text (multi-line,
case-insensitive); a match is blanked line for line, so the line numbers in later messages still
point into the original file. A rule may capture `updated`, the page's "last updated" date,
which is kept as metadata. A rule's `effect` says what its match means besides "not article":
`"heading"` marks the line it sat on as a heading (an encyclopedia's "[edit]" marker), and
`"next-heading"` marks the next non-blank line as one (a reference book's "Go to:" line).

The furniture list is only half of the defence: the parsers also find the article's start (the
first heading followed by content) and end (the references block) from the document's structure,
so an unlisted banner before the article or an unlisted footer after the references is dropped
anyway, with a notice naming its line.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime

from .errors import Notice


@dataclass(frozen=True)
class Furniture:
    """One pattern of page chrome and why it is not part of the article."""

    pattern: re.Pattern[str]
    why: str
    effect: str = "drop"


def _rule(pattern: str, why: str, effect: str = "drop") -> Furniture:
    return Furniture(re.compile(pattern, re.IGNORECASE | re.MULTILINE), why, effect)


rule = _rule


_LONGEST_EXCERPT = 60

# A whole line, allowing surrounding spaces: most furniture sits alone on its line.
_LINE = r"^[ \t]*{}[ \t]*$"
LINE = _LINE

FURNITURE: tuple[Furniture, ...] = (
    # The site's reviewer badge ("Medical Advisory BoardAll articles are reviewed ...").
    _rule(r"^[^\n]*All articles are reviewed[^\n]*$", "review badge"),
    # The caution banner shown while an article waits for human review.
    _rule(r"^[^\n]*(?:Educational purpose only|pending human review)[^\n]*$", "review banner"),
    # The review-status widget: its title, then one status word per line.
    _rule(
        r"^[ \t]*Article Review Status[ \t]*"
        r"(?:\n[ \t]*(?:Submitted|Under Review|In Review|Pending|Approved|Published|Rejected)"
        r"[ \t]*)*$",
        "review-status block",
    ),
    # The date stamp and its editorial-policy link; the date is kept as `source_updated`.
    _rule(
        r"^[ \t]*Last (?:updated|reviewed)(?: on)?[ \t]*:?[ \t]*(?P<updated>[^\n]*?)[ \t]*"
        r"(?:View editorial policy[^\n]*)?$",
        "last-updated stamp",
    ),
    # A lone editorial-policy link.
    _rule(_LINE.format(r"View (?:our )?editorial policy"), "editorial-policy link"),
    # The personalisation button and the prompt under it.
    _rule(_LINE.format(r"Personali[sz]e"), "personalisation button"),
    _rule(_LINE.format(r"Help us tailor your experience"), "personalisation prompt"),
    # The audience question ("Which best describes you? ...") and its answer buttons.
    _rule(r"^[ \t]*Which (?:best )?describes you\?[^\n]*$", "audience question"),
    # The disclaimer: its heading, then the paragraph under it.
    _rule(
        r"^[ \t]*(?:Professional )?(?:Medical )?Disclaimer[ \t]*\n(?:[ \t]*\n)*[^\n]*$",
        "disclaimer",
    ),
    _rule(r"^[^\n]*This information is intended for healthcare professionals[^\n]*$", "disclaimer"),
    # The follow-up call to action after the article.
    _rule(_LINE.format(r"Have a follow[- ]up question\?"), "call to action"),
    _rule(r"^[^\n]*Ask any follow[- ]up question[^\n]*$", "call to action"),
)

# Headings that end the article and open its reference list.
REFERENCES_HEADING = re.compile(
    r"(?:references?|reference list|sources|bibliography|works cited|citations)",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class Removal:
    """Furniture that was blanked: its first and last line, the rule's reason, an excerpt."""

    line: int
    why: str
    last_line: int = 0
    excerpt: str = ""


@dataclass(frozen=True)
class Cleaned:
    """The text with furniture blanked, what was removed, and the page's last-updated date."""

    text: str
    removals: tuple[Removal, ...]
    updated: str | None
    updated_line: int | None
    heading_lines: frozenset[int] = frozenset()


def remove_furniture(text: str, rules: tuple[Furniture, ...] | None = None) -> Cleaned:
    """Blanks every furniture match, keeping one newline per removed line."""
    removals: list[Removal] = []
    updated: str | None = None
    updated_line: int | None = None
    marked: set[int] = set()
    after: set[int] = set()
    for rule in FURNITURE if rules is None else rules:
        pieces: list[str] = []
        last = 0
        for match in rule.pattern.finditer(text):
            if not match.group().strip():
                continue
            line = text.count("\n", 0, match.start()) + 1
            excerpt = " ".join(match.group().split())
            if len(excerpt) > _LONGEST_EXCERPT:
                excerpt = excerpt[: _LONGEST_EXCERPT - 3].rstrip() + "..."
            removals.append(Removal(line, rule.why, line + match.group().count("\n"), excerpt))
            if rule.effect == "heading":
                marked.add(line)
            elif rule.effect == "next-heading":
                after.add(line + match.group().count("\n"))
            captured = match.groupdict().get("updated")
            if captured and updated is None:
                updated, updated_line = captured.strip(), line
            pieces.append(text[last : match.start()])
            pieces.append("\n" * match.group().count("\n"))
            last = match.end()
        if pieces:
            pieces.append(text[last:])
            text = "".join(pieces)
    lines = text.split("\n")
    for line in sorted(after):
        following = next((i for i in range(line, len(lines)) if lines[i].strip()), None)
        if following is not None:
            marked.add(following + 1)
    removals.sort(key=lambda removal: removal.line)
    return Cleaned(text, tuple(removals), updated, updated_line, frozenset(marked))


def is_references_heading(text: str) -> bool:
    """True for a heading that opens the reference list ("References", "Sources", ...)."""
    return REFERENCES_HEADING.fullmatch(text.strip().strip("#: ").strip()) is not None


_DATE_FORMATS = ("%B %d, %Y", "%b %d, %Y", "%d %B %Y", "%d %b %Y", "%Y-%m-%d", "%B %Y")


def iso_date(text: str) -> str | None:
    """`"August 9, 2025"` -> `"2025-08-09"`; None when the stamp is not a date we know."""
    cleaned = re.sub(r"\s+", " ", text.replace(".", "")).strip(" ,")
    for date_format in _DATE_FORMATS:
        try:
            return datetime.strptime(cleaned, date_format).date().isoformat()
        except ValueError:
            continue
    return None


def dropped_notices(
    lines: list[str],
    start: int,
    end: int,
    path: str,
    where: str,
    skip: set[int] | frozenset[int] = frozenset(),
) -> list[Notice]:
    """One notice per paragraph of leftover text in `lines[start:end]` (furniture is already
    blank), so an author sees what the structural start and end of the article cut off."""
    notices: list[Notice] = []
    index = start
    while index < end:
        if not lines[index].strip() or index in skip:
            index += 1
            continue
        first = index
        while index < end and lines[index].strip() and index not in skip:
            index += 1
        excerpt = " ".join(line.strip() for line in lines[first:index])
        if len(excerpt) > _LONGEST_EXCERPT:
            excerpt = excerpt[: _LONGEST_EXCERPT - 3].rstrip() + "..."
        notices.append(Notice(path, first + 1, f"dropped text {where}: '{excerpt}'"))
    return notices


def updated_date(cleaned: Cleaned, path: str, notices: list[Notice]) -> str | None:
    """The page's last-updated date as ISO text; a stamp that is not a date gets a notice."""
    if not cleaned.updated:
        return None
    updated = iso_date(cleaned.updated)
    if updated is None:
        notices.append(
            Notice(
                path,
                cleaned.updated_line or 1,
                f"'{cleaned.updated}' is not a date I can read; source_updated left out",
            )
        )
    return updated
