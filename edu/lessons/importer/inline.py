"""Inline text: citation markers, "Term: explanation" pairs, escaping, slugs and casing.

Plain-text sources mark citations with bare numbers at the end of a line ("... fatigue 2",
"... patients 1, 3") or with brackets ("[1]"); Markdown sources use brackets. Both become
Markdown footnote markers (`[^2]`) here, and plain text is escaped so that a stray `*` or `[`
in a web copy cannot turn into emphasis or a link.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass

MARKER = re.compile(r"\[\^(\d{1,3})\]")

# "[1]", "[1, 3]", "[2-4]", and runs of them side by side ("[1][2]"); not a link ("[1](...)"),
# a reference link ("[x][1]") or a reference definition ("[1]: ...").
_ONE_BRACKET = r"\[\d{1,3}(?:[ \t]*[,;–-][ \t]*\d{1,3})*\]"
_BRACKETED = re.compile(rf"(?<![\\\]!^])((?:{_ONE_BRACKET})+)(?![(\[:])")
_IN_BRACKETS = re.compile(r"\[([^\]]*)\]")

# Bare numbers ending a line, after a word, a closing bracket or a full stop.
_TRAILING = re.compile(
    r"(?<=[^\W\d_]|[)\].])[ \t]+(?P<numbers>\d{1,3}(?:[ \t]*,[ \t]*\d{1,3})*)[ \t]*$"
)
_LAST_WORD = re.compile(r"([^\W\d_]+)[^\w]*$")

# Words after which a number at the end of a line is a quantity, not a citation.
_QUANTITY_WORD_LIST = """
    type types grade grades stage stages level levels phase class step steps part parts day
    days week weeks month months year years hour hours minute minutes chapter table figure fig
    page pages p pp no number version score scale dose doses cycle cycles session sessions lead
    leads factor trisomy chromosome gen generation c l t s cn ig mrc to and or of than from by
    vs versus x times aged age ages under over about approximately around least most only is
    are was were be equals reach reaches top
"""
_QUANTITY_WORDS = frozenset(_QUANTITY_WORD_LIST.split())

_LONGEST_RANGE = 20


def citation_numbers(spec: str) -> list[int] | None:
    """`"1, 3"` -> [1, 3]; `"2-4"` -> [2, 3, 4]; None when it cannot be a citation."""
    numbers: list[int] = []
    for part in re.split(r"[ \t]*[,;][ \t]*", spec.strip()):
        bounds = re.split(r"[ \t]*[–-][ \t]*", part)
        if len(bounds) == 1:
            numbers.append(int(bounds[0]))
            continue
        low, high = int(bounds[0]), int(bounds[-1])
        if len(bounds) != 2 or not 0 < high - low <= _LONGEST_RANGE:
            return None
        numbers.extend(range(low, high + 1))
    if any(number < 1 for number in numbers):
        return None
    return numbers


def run_numbers(run: str) -> list[int] | None:
    """`"[1][2, 4]"` -> [1, 2, 4]: every number of a run of bracketed citations, in order."""
    numbers: list[int] = []
    for spec in _IN_BRACKETS.findall(run):
        found = citation_numbers(spec)
        if found is None:
            return None
        numbers.extend(found)
    return list(dict.fromkeys(numbers))


def markers(numbers: Iterable[int]) -> str:
    return "".join(f"[^{number}]" for number in numbers)


def split_trailing_citation(raw: str) -> tuple[str, list[int]]:
    """The line without its trailing citation numbers, and those numbers."""
    match = _TRAILING.search(raw)
    if not match:
        return raw, []
    word = _LAST_WORD.search(raw[: match.start()])
    if word and word.group(1).casefold() in _QUANTITY_WORDS:
        return raw, []
    numbers = citation_numbers(match.group("numbers"))
    if numbers is None:
        return raw, []
    return raw[: match.start()].rstrip(), numbers


def escape_plain(text: str) -> str:
    """Plain text made safe to embed in Markdown (no accidental emphasis, links or HTML)."""
    text = re.sub(r"([\\`*_\[\]])", r"\\\1", text)
    return text.replace("<", "&lt;")


def escape_block_start(text: str) -> str:
    """Stops plain text at the start of a block from reading as a heading, quote or list."""
    if re.match(r"[#>+=-]", text):
        return "\\" + text
    return re.sub(r"^(\d+)([.)])(?=\s|$)", r"\1\\\2", text)


def plain_to_markdown(raw: str, *, trailing_citations: bool = True) -> str:
    """A line of plain text as inline Markdown, its citations as footnote markers."""
    body, trailing = split_trailing_citation(raw) if trailing_citations else (raw, [])
    pieces: list[str] = []
    last = 0
    for match in _BRACKETED.finditer(body):
        numbers = run_numbers(match.group(1))
        pieces.append(escape_plain(body[last : match.start()]))
        pieces.append(markers(numbers) if numbers else escape_plain(match.group()))
        last = match.end()
    pieces.append(escape_plain(body[last:]))
    text = _attach_markers("".join(pieces)) + markers(trailing)
    return escape_block_start(text.strip())


def markdown_citations(text: str) -> str:
    """Markdown text with "[1]"-style citations turned into footnote markers."""

    def replace(match: re.Match[str]) -> str:
        numbers = run_numbers(match.group(1))
        return markers(numbers) if numbers else match.group()

    return _attach_markers(_BRACKETED.sub(replace, text))


def _attach_markers(text: str) -> str:
    """Footnote markers sit right after the word they support: "fatigue[^2]", not "fatigue [^2]"."""
    return re.sub(r"[ \t]+(?=\[\^\d)", "", text)


def citations_in(markdown: str) -> list[int]:
    return [int(number) for number in MARKER.findall(markdown)]


_BOLD_TERM = re.compile(r"^\*\*(?P<term>[^*\n]+?)(?::\*\*|\*\*:)(?:\s+(?P<rest>.*))?$")
_PLAIN_TERM = re.compile(r"^(?P<term>[^\W\d_][^:]*?):(?:[ \t]+(?P<rest>\S.*))?$")


def split_term(text: str, *, max_words: int, allow_label: bool) -> tuple[str | None, str]:
    """("Debility", "Manifested as ...") from "Debility: Manifested as ..."; (None, text) else.

    A label is a term with nothing after its colon ("Muscle disorders:"); only list items
    may be labels, since a paragraph ending in a colon is an introductory sentence.
    """
    bold = _BOLD_TERM.match(text)
    match = bold or _PLAIN_TERM.match(text)
    if not match:
        return None, text
    term = match.group("term").strip()
    rest = (match.group("rest") or "").strip()
    if not rest and not allow_label:
        return None, text
    if not bold and not _looks_like_term(term, max_words):
        return None, text
    return term, rest


def _looks_like_term(term: str, max_words: int) -> bool:
    words = term.split()
    return (
        0 < len(words) <= max_words
        and term[0].isupper()
        and not re.search(r"[.;!?]\s|\[\^|https?$|[\\*_`]", term)
    )


def to_plain(markdown: str) -> str:
    """Inline Markdown as plain text: no footnote markers, emphasis, links or escapes."""
    text = MARKER.sub("", markdown)
    text = re.sub(r"!?\[([^\]]*)\]\([^)]*\)", r"\1", text)
    text = re.sub(r"(?<!\\)(\*\*|__|\*|`)", "", text)
    text = re.sub(r"(?<![\\\w])_(?=\S)|(?<=\S)(?<!\\)_(?!\w)", "", text)
    text = re.sub(r"\\(.)", r"\1", text)
    text = text.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")
    return re.sub(r"\s+", " ", text).strip()


def slugify(text: str, *, max_length: int = 60) -> str:
    """A lowercase ASCII slug, cut at a word boundary: "Guillain-Barré syndrome" ->
    "guillain-barre-syndrome"."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")
    if len(slug) > max_length:
        slug = slug[: max_length + 1].rsplit("-", 1)[0] if "-" in slug[:max_length] else slug
        slug = slug[:max_length].strip("-")
    return slug


@dataclass(frozen=True)
class Vocabulary:
    """What a document's own prose says about capitals: the words it writes in lower case, and
    the words it capitalises mid-sentence (names such as "Duchenne")."""

    lower: frozenset[str]
    names: frozenset[str]


def vocabulary(texts: Iterable[str]) -> Vocabulary:
    lower: set[str] = set()
    names: set[str] = set()
    for text in texts:
        lower.update(re.findall(r"\b[a-z][a-z'-]*\b", text))
        names.update(re.findall(r"\b[a-z][a-z'-]* ([A-Z][a-z'-]+)\b", text))
    return Vocabulary(frozenset(lower), frozenset(names))


# Endings of common English and medical words; eponyms ("Gowers", "Duchenne", "Becker") rarely
# have them, and hyphenated names ("Guillain-Barré") never match the capitalised-word test.
_COMMON_ENDINGS = (
    "ity",
    "ion",
    "ment",
    "ness",
    "ary",
    "ory",
    "al",
    "ic",
    "iac",
    "ive",
    "ous",
    "ence",
    "ance",
    "ure",
    "ism",
    "ing",
    "ry",
    "ar",
    "ia",
    "osis",
    "itis",
    "phy",
    "thy",
    "ed",
    "ful",
    "less",
)
_SHORTEST_ENDING_WORD = 5
_CAPITALISED = re.compile(r"[A-Z][a-z'-]*")


def lowercase_common(phrase: str, known: Vocabulary) -> str:
    """Lower-cases the capitalised common words of a heading or term for use mid-sentence.

    In a Title Case phrase ("Anterior Horn Cell Disorders") the capitals are styling, so every
    word loses its capital unless the document shows it is a name. Otherwise a capitalised word
    is lowered when the document also writes it in lower case or it has a common ending.
    """
    words = phrase.split(" ")
    long_words = [word for word in words if len(word) >= 4]
    title_case = len(long_words) >= 2 and all(word[0].isupper() for word in long_words)
    for index, word in enumerate(words):
        if not _CAPITALISED.fullmatch(word) or word in known.names:
            continue
        lower = word.lower()
        singular = lower.removesuffix("s")
        ending = len(singular) >= _SHORTEST_ENDING_WORD and singular.endswith(_COMMON_ENDINGS)
        if title_case or ending or {lower, lower + "s", singular} & known.lower:
            words[index] = lower
    return " ".join(words)


def sentence_case(phrase: str, known: Vocabulary) -> str:
    """ "Anterior Horn Cell Disorders" -> "Anterior horn cell disorders"."""
    lowered = lowercase_common(phrase, known)
    return lowered[:1].upper() + lowered[1:]


def join_words(items: list[str]) -> str:
    """["a", "b", "c"] -> "a, b and c"."""
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " and " + items[-1]


_FEWEST_PROSE_WORDS = 8
_PROSE_END = re.compile(r"(?:[.!?][\"'”’)]?|\))(?:\s*\[[^\]]*\])*\s*(?:\d{1,3}(?:,\s*\d{1,3})*)?$")


def is_prose(text: str) -> bool:
    """A full sentence or more: at least eight words ending with a full stop (citations after
    it allowed). The lead of a document is prose; a banner or button label is not."""
    return len(text.split()) >= _FEWEST_PROSE_WORDS and bool(_PROSE_END.search(text.strip()))
