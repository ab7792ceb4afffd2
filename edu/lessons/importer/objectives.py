"""Learning objectives and key terms, read from a section's own structure.

Objectives come from what the section is built of: a sub-heading ("Describe respiratory
involvement"), a definition ("Define neuromuscular weakness"), a classification whose items
carry examples and features ("Name the examples and features of muscle disorders"), a list of
terms ("Explain Gowers manoeuvre") and, in a section about pitfalls, each pitfall ("Avoid
confusing weakness with fatigue"). Key terms are the terms the section explains: labelled list
items, "Term: explanation" lines, the subject of a definition and bold phrases, but not labels
that repeat (such as "Examples:"), which are field names rather than terms.

An author who writes the objectives by hand puts them under a sub-heading "Objectives" (or
"Learning objectives") as a list: those items become the lesson's objectives word for word,
and the sub-heading with its list leaves the body (the lesson page shows objectives on their
own). The mechanical objectives are for documents that state none, such as pasted web pages.
"""

from __future__ import annotations

import re
from dataclasses import replace

from .document import Block, ListBlock, Paragraph, Section, SubHeading, walk_items
from .inline import Vocabulary, join_words, lowercase_common, sentence_case, to_plain

_MOST_OBJECTIVES = 8
_PITFALL_HEADING = re.compile(r"pitfall|mistake|error|trap|caveat|avoid", re.IGNORECASE)
_DEFINITION = re.compile(
    r"^(?P<subject>[A-Z][^,.;:()]{2,60}?) (?:is|are) (?:defined as|the term for)\b"
    r"|^(?P<subject2>[A-Z][^,.;:()]{2,60}?) (?:refers|refer) to\b"
)
_BOLD = re.compile(r"(?<!\\)\*\*(?P<phrase>[^*\n]{2,60}?)\*\*")
_STATED = re.compile(r"^(?:learning )?objectives$", re.IGNORECASE)


def _stated(section: Section) -> tuple[int, ListBlock] | None:
    """Where the author's own objectives sit: an "Objectives" sub-heading and the list under it."""
    blocks = section.blocks
    for index, block in enumerate(blocks[:-1]):
        following = blocks[index + 1]
        if (
            isinstance(block, SubHeading)
            and _STATED.match(to_plain(block.text).strip(" :"))
            and isinstance(following, ListBlock)
        ):
            return index, following
    return None


def without_stated_objectives(section: Section) -> Section:
    """The section as the lesson body shows it: the author's objectives block taken out."""
    stated = _stated(section)
    if stated is None:
        return section
    index, _ = stated
    return replace(section, blocks=section.blocks[:index] + section.blocks[index + 2 :])


def _parts(section: Section) -> list[tuple[str | None, list[Block]]]:
    """The blocks before the first sub-heading, then each sub-heading with its blocks."""
    parts: list[tuple[str | None, list[Block]]] = [(None, [])]
    for block in section.blocks:
        if isinstance(block, SubHeading):
            parts.append((to_plain(block.text), []))
        else:
            parts[-1][1].append(block)
    return [part for part in parts if part[0] is not None or part[1]]


def _lists(blocks: list[Block]) -> list[ListBlock]:
    return [block for block in blocks if isinstance(block, ListBlock)]


def _terms(blocks: list[Block]) -> list[str]:
    """Terms of the top-level items and paragraphs, as plain text."""
    terms = [to_plain(p.term) for p in blocks if isinstance(p, Paragraph) and p.term]
    for block in _lists(blocks):
        terms.extend(to_plain(item.term) for item in block.items if item.term)
    return [term for term in terms if term]


def _definition_subjects(blocks: list[Block]) -> list[str]:
    subjects: list[str] = []
    for block in blocks:
        if not isinstance(block, Paragraph) or block.term:
            continue
        match = _DEFINITION.match(to_plain(block.text))
        if match:
            subjects.append((match.group("subject") or match.group("subject2")).strip())
    return subjects


def _is_gerund(term: str) -> bool:
    first = term.split(" ", 1)[0].lower()
    return len(first) > 4 and first.endswith("ing")


def objectives_for(section: Section, known: Vocabulary) -> tuple[str, ...]:
    """What a learner should be able to do after the lesson: the author's own list when the
    section states one, otherwise drawn from the section's structure."""
    stated = _stated(section)
    if stated is not None:
        return tuple(
            dict.fromkeys(to_plain(item.text).strip() for item in stated[1].items if item.text)
        )
    heading = to_plain(section.heading)
    pitfalls = bool(_PITFALL_HEADING.search(heading))

    def lower(text: str) -> str:
        return lowercase_common(text, known)

    found: list[str] = []
    for subheading, blocks in _parts(section):
        if subheading is not None:
            terms = _terms(blocks)
            listed = f": {join_words([lower(term) for term in terms])}" if terms else ""
            found.append(f"Describe {lower(subheading)}{listed}")
            continue
        found.extend(f"Define {lower(subject)}" for subject in _definition_subjects(blocks))
        found.extend(
            f"Explain {lower(to_plain(block.term))}"
            for block in blocks
            if isinstance(block, Paragraph) and block.term
        )
        for block in _lists(blocks):
            found.extend(_list_objectives(block, heading, pitfalls, lower))
    if not found and heading.endswith("?"):
        # A patient page's question heading ("What is MND?") is the objective itself.
        found.append(f"Answer: {heading}")
    elif not found:
        found.append(f"Summarise {_sentence_middle(lower(heading), known)}")
    unique = list(dict.fromkeys(objective.rstrip(" :") for objective in found))
    return tuple(unique[:_MOST_OBJECTIVES])


def _sentence_middle(phrase: str, known: Vocabulary) -> str:
    """A heading's first word loses the capital it had only for starting the heading
    ("Signs and symptoms" -> "signs and symptoms"); names and acronyms keep theirs."""
    first, _, rest = phrase.partition(" ")
    if first[1:].islower() and first not in known.names:
        first = first.lower()
    return f"{first} {rest}".rstrip()


def _list_objectives(block: ListBlock, heading: str, pitfalls: bool, lower) -> list[str]:
    found: list[str] = []
    unlabelled = 0
    for item in block.items:
        if not item.term:
            unlabelled += 1
            continue
        term = to_plain(item.term)
        fields = [
            to_plain(child.term) for sub in item.children for child in sub.items if child.term
        ]
        if fields:
            found.append(f"Name the {join_words([f.lower() for f in fields])} of {lower(term)}")
        elif pitfalls and _is_gerund(term):
            found.append(f"Avoid {lower(term)}")
        else:
            found.append(f"Explain {lower(term)}")
    if unlabelled * 2 >= len(block.items):
        found.insert(0, f"Describe {lower(heading)}")
    return found


def key_terms_for(section: Section, known: Vocabulary) -> tuple[str, ...]:
    """The terms the section explains, in reading order, each once."""
    units: list[list[str]] = []
    for block in section.blocks:
        if isinstance(block, Paragraph):
            units.append([*_definition_subjects([block]), *_unit_terms(block.term, block.text)])
        elif isinstance(block, ListBlock):
            units.extend(_unit_terms(item.term, item.text) for item in walk_items(block))
    counts: dict[str, int] = {}
    for unit in units:
        for term in {term.casefold() for term in unit}:
            counts[term] = counts.get(term, 0) + 1
    terms: list[str] = []
    for term in (term for unit in units for term in unit):
        # A label used by several items ("Examples:") names a field, not a term.
        if counts[term.casefold()] == 1 and not _is_gerund(term):
            terms.append(sentence_case(term, known))
    if not terms:
        terms = [
            sentence_case(to_plain(block.text), known)
            for block in section.blocks
            if isinstance(block, SubHeading)
        ]
    return tuple(dict.fromkeys(terms))


def _unit_terms(term: str | None, text: str) -> list[str]:
    found = [to_plain(term)] if term else []
    found.extend(to_plain(match.group("phrase")) for match in _BOLD.finditer(text))
    return [term.strip(" :") for term in found if term.strip(" :")]
