"""Layout families: the page furniture of each place teachers copy from, and a detector.

Each family is one readable table of rules (see `furniture.Furniture`), plus the signs that a
document comes from it and how its copies are laid out. `detect_layout` counts each family's
signs in the text and picks the family with the most (at least two); a document that matches
none imports with `GENERIC`, whose rules every family also applies. To teach the importer a new
site, add a rule to its family's table, with a test in `tests/lessons/test_importer_layouts.py`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .furniture import FURNITURE, LINE, Furniture, rule


@dataclass(frozen=True)
class Layout:
    """A layout family: its name, the signs that identify it, and its furniture rules.

    `line_blocks` is true where a copy puts every paragraph and list item on its own line with
    no blank line between them (a browser's copy of a page built of `<p>` and `<li>`), so each
    line is read as a block of its own rather than joined into one paragraph.
    """

    name: str
    label: str
    signs: tuple[re.Pattern[str], ...]
    furniture: tuple[Furniture, ...]
    line_blocks: bool = False


def _signs(*patterns: str) -> tuple[re.Pattern[str], ...]:
    return tuple(re.compile(pattern, re.IGNORECASE | re.MULTILINE) for pattern in patterns)


# A "box" heading followed by its lines up to the next blank line.
_BOX = r"^[ \t]*{}[ \t]*(?:\n[ \t]*\S[^\n]*)*"

# Chrome that any site may have; every family applies these after its own rules.
GENERIC_FURNITURE: tuple[Furniture, ...] = (
    rule(LINE.format(r"Skip to (?:main )?content"), "skip link"),
    rule(r"^[^\n]*\bwe use cookies\b[^\n]*$", "cookie banner"),
    rule(r"^[ \t]*Home[ \t]*(?:>|›|»|/)[^\n]*$", "breadcrumb trail"),
    rule(LINE.format(r"(?:Print|Share|Email)(?: this (?:page|article))?"), "print/share button"),
    rule(LINE.format(r"(?:Back to top|Top of page|\^ Top)"), "back-to-top link"),
    rule(_BOX.format(r"(?:On this page|In this article|Navigate to|Jump to)"), "contents box"),
    rule(
        r"^[ \t]*(?:Was this (?:page|information) (?:helpful|useful)\?)[ \t]*(?:\n[ \t]*Yes[ \t]"
        r"*(?:/|\|)?[ \t]*No[ \t]*)?$",
        "feedback prompt",
    ),
    rule(r"^[^\n]*\b(?:sign up for|subscribe to) our newsletter\b[^\n]*$", "newsletter prompt"),
    rule(r"^[ \t]*Follow us on[^\n]*$", "social-media links"),
    rule(r"^[ \t]*(?:Copyright[ \t]*)?©[^\n]*$", "copyright line"),
    rule(r"^[ \t]*(?:Copyright)[ \t]+\d{4}[^\n]*$", "copyright line"),
    rule(
        r"^[^\n]*\b(?:Privacy(?: policy)?|Terms(?: of use)?|Accessibility(?: statement)?|"
        r"Cookies?)\b[^\n]*\|[^\n]*$",
        "footer links",
    ),
    rule(
        r"^[ \t]*Last (?:updated|reviewed)(?: on)?[ \t]*:?[ \t]*(?P<updated>[^\n]*?)[ \t]*"
        r"(?:View editorial policy[^\n]*)?$",
        "last-updated stamp",
    ),
    rule(LINE.format(r"View (?:our )?editorial policy"), "editorial-policy link"),
    rule(
        r"^[ \t]*(?:Professional )?(?:Medical )?Disclaimer[ \t]*\n(?:[ \t]*\n)*[^\n]*$",
        "disclaimer",
    ),
)

MEDICAL_BOOK = Layout(
    "medical-book",
    "medical reference book web page",
    _signs(
        r"^[ \t]*Go to:[ \t]*$",
        r"\[PubMed: ?\d+\]",
        r"Bookshelf ID",
        r"Access free multiple choice questions",
        r"Author Information and Affiliations",
        r"^[ \t]*Last Update:",
    ),
    (
        # Every section heading sits under a "Go to:" line with no blank line between.
        rule(LINE.format(r"Go to:"), "section navigation ('Go to:')", "next-heading"),
        rule(r"^[^\n]*\[Internet\][^\n]*$", "book citation line"),
        rule(
            r"^[ \t]*Author Information and Affiliations[ \t]*(?:\n[^\n]*?)*?\n[ \t]*"
            r"Last Update:[ \t]*(?P<updated>[^\n]*?)\.?[ \t]*$",
            "authors and affiliations",
        ),
        rule(r"^[ \t]*Last Update:[ \t]*(?P<updated>[^\n]*?)\.?[ \t]*$", "last-updated stamp"),
        rule(_BOX.format(r"Continuing Education Activity"), "continuing-education blurb"),
        rule(_BOX.format(r"Review Questions"), "review-questions box"),
        rule(r"^[^\n]*Access free multiple choice questions[^\n]*$", "question-bank link"),
        rule(LINE.format(r"Comment on this article\.?"), "comment link"),
        rule(r"^[ \t]*Disclosure:[^\n]*$", "disclosure statement"),
        rule(r"^[^\n]*distributed under the terms of the Creative Commons[^\n]*$", "licence"),
        rule(r"^[^\n]*Bookshelf ID:[^\n]*$", "bookshelf identifier"),
    ),
    line_blocks=True,
)

_INFOBOX_KEYS = (
    r"Other names|Pronunciation|Specialty|Symptoms|Complications|Usual onset|Duration|Types|"
    r"Causes|Risk factors|Diagnostic method|Differential diagnosis|Prevention|Treatment|"
    r"Medication|Prognosis|Frequency|Deaths|Named after"
)

ENCYCLOPEDIA = Layout(
    "encyclopedia",
    "encyclopedia article",
    _signs(
        r"\[edit\]",
        r"^[ \t]*Jump to (?:navigation|search)",
        r"^[ \t]*\^ ",
        r"^[ \t]*Categories?:",
        r"This page was last edited",
        r"the free encyclopedia",
    ),
    (
        rule(LINE.format(r"Jump to (?:navigation|search)"), "skip link"),
        rule(r"^[ \t]*From [^\n]*the free encyclopedia[ \t]*$", "site tagline"),
        rule(r"^[^\n]*\bredirects here\.[^\n]*$", "hatnote"),
        rule(r"^[ \t]*For (?:other uses|the [^\n,]+), see [^\n]*$", "hatnote"),
        # The infobox: an optional caption line, then "Key<tab>value" rows.
        rule(
            rf"^(?:[^\n\t]+\n)?(?:[ \t]*(?:{_INFOBOX_KEYS})\t[^\n]*(?:\n|$))+",
            "infobox",
        ),
        rule(
            r"^[ \t]*Contents[ \t]*(?:\n[ \t]*(?:hide|show|\(?Top\)?|\d+(?:\.\d+)*[ \t]+[^\n]*)"
            r"[ \t]*(?=\n|$))+",
            "contents box",
        ),
        rule(
            r"^[ \t]*(?:See also|External links|Further reading|Notes)(?:[ \t]*\[edit\])?"
            r"[ \t]*(?:\n[ \t]*\S[^\n]*)*",
            "link list (see also, external links, notes)",
        ),
        rule(r"\[edit\](?=[ \t]*$)", "edit marker", "heading"),
        rule(
            r"[ \t]*\[(?:citation needed|clarification needed|when\?|who\?|[a-z]|note \d+)\]",
            "inline editorial note",
        ),
        rule(r"^[ \t]*Categories?:[^\n]*$", "categories"),
        rule(r"^[ \t]*Retrieved from [^\n]*$", "retrieved-from line"),
        rule(
            r"^[ \t]*This page was last edited on (?P<updated>\d{1,2} \w+ \d{4})[^\n]*$",
            "last-edited stamp",
        ),
        rule(r"^[^\n]*Text is available under the Creative Commons[^\n]*$", "licence"),
        rule(
            LINE.format(
                r"(?:Privacy policy|About (?:the encyclopedia|us)|Disclaimers|Mobile view|"
                r"Contact us|Code of Conduct|Developers|Statistics|Cookie statement)"
            ),
            "site footer",
        ),
    ),
    line_blocks=True,
)

PATIENT_GUIDE = Layout(
    "patient-guide",
    "society guideline or patient-information page",
    _signs(
        r"Page last reviewed",
        r"Next review due",
        r"Was this (?:page|information) (?:helpful|useful)",
        r"information for (?:patients|the public|families)",
        r"Registered charity",
        r"^[ \t]*On this page[ \t]*$",
        r"^[ \t]*Print this page[ \t]*$",
    ),
    (
        rule(r"^[ \t]*Page last reviewed:?[ \t]*(?P<updated>[^\n]*?)[ \t]*$", "review date"),
        rule(r"^[ \t]*Next review due:?[^\n]*$", "next review date"),
        rule(r"^[^\n]*Registered charity[^\n]*$", "charity registration"),
        rule(
            LINE.format(r"(?:Download|Order) (?:this|a printed) (?:leaflet|booklet)[^\n]*"),
            "leaflet link",
        ),
    ),
    line_blocks=True,
)

FORMULARY = Layout(
    "formulary",
    "national formulary or clinical-summary page",
    _signs(
        r"^[ \t]*Indications and dose[ \t]*$",
        r"^[ \t]*Medicinal forms[ \t]*$",
        r"^[ \t]*Drug action[ \t]*$",
        r"^[ \t]*(?:Side-effects|Contra-indications)[ \t]*$",
        r"Open Government Licence",
        r"^[ \t]*Last revised",
        r"Search the formulary|Have I got the right topic",
    ),
    (
        rule(r"^[ \t]*Search the formulary[^\n]*$", "search box"),
        rule(r"^[^\n]*\b(?:A to Z drugs|Treatment summaries)\b[^\n]*$", "site navigation"),
        rule(_BOX.format(r"Medicinal forms"), "medicinal forms (links to products)"),
        rule(
            r"^[ \t]*Last revised(?: in| on)?:?[ \t]*(?P<updated>[^\n]*?)[ \t]*$", "revision date"
        ),
        rule(r"^[^\n]*Open Government Licence[^\n]*$", "licence"),
        rule(LINE.format(r"Have I got the right topic\?"), "topic check"),
        rule(LINE.format(r"How up-to-date is this topic\?"), "update note"),
    ),
    line_blocks=True,
)

# The copied clinical overview page the site was built on (its table is furniture.FURNITURE).
REFERENCE_PAGE = Layout(
    "reference-page",
    "clinical overview page (the reference layout)",
    _signs(
        r"All articles are reviewed",
        r"Article Review Status",
        r"pending human review",
        r"Have a follow[- ]up question",
        r"Which (?:best )?describes you",
        r"Help us tailor your experience",
    ),
    FURNITURE,
)

GENERIC = Layout("generic", "no known layout (generic rules)", (), ())

FAMILIES: tuple[Layout, ...] = (
    MEDICAL_BOOK,
    ENCYCLOPEDIA,
    PATIENT_GUIDE,
    FORMULARY,
    REFERENCE_PAGE,
)
_FEWEST_SIGNS = 2


@dataclass(frozen=True)
class Detection:
    """The family chosen and the signs of it that the document showed."""

    layout: Layout
    signs: tuple[str, ...]


def detect_layout(text: str) -> Detection:
    """The family whose signs the text shows most (at least two), else `GENERIC`."""
    best: Detection = Detection(GENERIC, ())
    for family in FAMILIES:
        shown = tuple(sign.pattern for sign in family.signs if sign.search(text))
        if len(shown) >= _FEWEST_SIGNS and len(shown) > len(best.signs):
            best = Detection(family, shown)
    return best


def rules_for(layout: Layout) -> tuple[Furniture, ...]:
    """The family's own rules, then the generic ones."""
    return layout.furniture + GENERIC_FURNITURE


def by_name(name: str) -> Layout:
    """A family by its name (`--layout` on the command line); raises KeyError."""
    for family in (*FAMILIES, GENERIC):
        if family.name == name:
            return family
    raise KeyError(name)
