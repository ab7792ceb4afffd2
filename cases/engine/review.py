"""What `validate_content` tells a case author beyond faults: how the expert belief plays out.

For each sound case: the belief at the end of the expert path, the findings that tell the answer
from its main mimic, and warnings (never faults: the case still loads) for a case that gives
itself away (the answer ahead after the presentation alone; the diagnosis or a synonym of it in
the library card or the opening), key findings that move no level, and an expert path that does
not end with the answer ahead.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from cases.engine.belief import (
    answer_levels,
    describe,
    mimic,
    presentation_belief,
    separating_findings,
)
from cases.engine.faults import Fault
from cases.engine.levels import level_label, level_short
from cases.engine.schema import Action, Case, DiagnosisOption
from cases.engine.scoring import expert_events
from cases.engine.state import replay

# Other names of diseases the library teaches, found by a word in the diagnosis label. Authors
# add their own per option with `aliases`; these catch the usual ones without any help.
KNOWN_SYNONYMS: dict[str, tuple[str, ...]] = {
    "amyotrophic lateral sclerosis": (
        "ALS",
        "motor neuron disease",
        "motor neurone disease",
        "MND",
        "Lou Gehrig",
    ),
    "radiculopathy": ("radiculopathy", "trapped nerve", "pinched nerve", "slipped disc"),
    "dermatomyositis": ("dermatomyositis", "myositis"),
    "duchenne": ("Duchenne", "DMD", "muscular dystrophy", "dystrophinopathy"),
    "guillain": ("Guillain", "GBS", "AIDP", "acute inflammatory demyelinating"),
    "critical illness": (
        "critical illness polyneuropathy",
        "critical illness myopathy",
        "ICU-acquired weakness",
        "ICUAW",
    ),
    "lambert-eaton": ("Lambert-Eaton", "LEMS", "myasthenic syndrome"),
    "cholinergic crisis": ("cholinergic crisis",),
    "myasthenic crisis": ("myasthenic crisis",),
    "myasthenia gravis": ("myasthenia gravis",),
    "spinal muscular atrophy": ("spinal muscular atrophy", "SMA", "Werdnig-Hoffmann"),
    "myotonic dystrophy": ("myotonic dystrophy", "DM1", "Steinert"),
    "iron-deficiency": ("iron deficiency", "iron-deficiency anaemia", "iron-deficiency anemia"),
    "cervical spondylotic myelopathy": ("myelopathy", "cervical spondylosis"),
}
DISCRIMINATING_SHOWN = 6  # strongest first
_SMALL_WORDS = {"and", "or", "of", "the", "a", "an", "with", "from", "to", "in", "type"}
_SIDES = {"right", "left", "bilateral"}


@dataclass(frozen=True)
class CaseReview:
    """The report on one case for its author."""

    path: str
    case: Case
    ranked: tuple[tuple[str, float], ...]  # the expert's final belief, highest first
    mimic: str
    discriminating: tuple[Action, ...]
    clear_after: str  # label of the step where the answer became clear ("" if it never did)
    warnings: tuple[Fault, ...]

    def lines(self) -> list[str]:
        top = ", ".join(f"{level_short(level)} {round(p * 100)}%" for level, p in self.ranked[:3])
        shown = [action.id for action in self.discriminating[:DISCRIMINATING_SHOWN]]
        more = len(self.discriminating) - len(shown)
        found = "; ".join(shown) + (f" (and {more} more)" if more > 0 else "") or "none"
        lines = [
            f"{self.path}: expert path ends with {top}",
            f"{self.path}: told from {level_label(self.mimic)} by: {found}",
        ]
        if self.clear_after:
            lines.append(f"{self.path}: clear after: {self.clear_after}")
        return lines


def _plain_text(text: str) -> str:
    """Lower case, accents stripped, hyphens and punctuation as spaces: for phrase matching."""
    folded = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    return " " + re.sub(r"[^a-z0-9]+", " ", folded.lower()).strip() + " "


def _acronym(words: list[str]) -> str:
    letters = [word[0] for word in words if word.lower() not in _SMALL_WORDS and word[0].isalpha()]
    return "".join(letters).upper()


def diagnosis_names(option: DiagnosisOption) -> tuple[str, ...]:
    """Names that give the diagnosis away: its label's main part and parenthesis, an acronym
    of them, the author's aliases, and the known synonyms of the disease."""
    label = option.label
    names: list[str] = [*option.aliases]
    inside = re.findall(r"\(([^)]*)\)", label)
    main = re.split(r"\(|,| with | from | due to ", label)[0].strip()
    for part in [main, *inside]:
        words = [w for w in re.split(r"[\s\-]+", part) if w]
        words = [w for w in words if w.lower() not in _SIDES and not w.isdigit()]
        while words and words[-1].lower() in _SMALL_WORDS:
            words.pop()  # "Spinal muscular atrophy type 1" -> "Spinal muscular atrophy"
        if words:
            names.append(" ".join(words))
            acronym = _acronym(words)
            if len(acronym) >= 3:
                names.append(acronym)
    plain_label = _plain_text(label)
    for key, synonyms in KNOWN_SYNONYMS.items():
        if _plain_text(key) in plain_label:
            names.extend(synonyms)
    return tuple(dict.fromkeys(name for name in names if name))


def _mentions(text: str, name: str) -> bool:
    if name.isupper() or any(char.isdigit() for char in name) and len(name) <= 5:
        # An acronym: whole word, exact case, so "SMA" is not found in "small".
        return re.search(rf"(?<![A-Za-z0-9]){re.escape(name)}(?![A-Za-z0-9])", text) is not None
    return _plain_text(name) in _plain_text(text)


def _give_aways(case: Case, path: str) -> list[Fault]:
    answer = next((o for o in case.diagnosis.options if o.id == case.diagnosis.answer), None)
    if answer is None:
        return []
    names = diagnosis_names(answer)
    first = case.first_stage
    places = [
        ("title", case.title, "library card"),
        ("summary", case.summary, "library card"),
        ("patient.complaint", case.patient.complaint, "library card"),
        ("patient.vignette", case.patient.vignette, "opening"),
        (f"stages[{first.id}].description", first.description, "opening"),
    ]
    found = []
    for key, text, where in places:
        named = [name for name in names if _mentions(text, name)]
        if named:
            found.append(
                Fault(
                    path,
                    key,
                    f"warning: the {where} names the diagnosis ('{named[0]}'): "
                    "a learner should reach it, not read it",
                )
            )
    return found


def _moves_no_level(action: Action) -> bool:
    findings = [action.base_finding, *action.by_stage.values()]
    return not any(finding.supports or finding.against for finding in findings)


def review_case(case: Case, path: str) -> CaseReview:
    """The author's report on a sound case (see the module docstring)."""
    from cases.engine.belief import belief_points, clear_point

    events = expert_events(case)
    state = replay(case, events)
    expert = state.beliefs[-1]
    levels = answer_levels(case)
    rival = mimic(case, expert)
    discriminating = separating_findings(case, case.localization.answer, rival, events)
    clear = clear_point(case, belief_points(case, state.steps, state.beliefs))
    warnings: list[Fault] = []

    start = presentation_belief(case)
    best = max(start.probability(level) for level in levels)
    others = [start.probability(level) for level in start.probabilities if level not in levels]
    if best > max(others) + 1e-9:
        warnings.append(
            Fault(
                path,
                "patient",
                f"warning: {describe(levels)} is already ahead after the presentation alone "
                "(the vignette gives the level away); move that evidence into findings",
            )
        )
    warnings.extend(_give_aways(case, path))
    for action in case.actions:
        if action.is_key and not action.is_decision and _moves_no_level(action):
            warnings.append(
                Fault(
                    path,
                    f"actions[{action.id}]",
                    "warning: tagged 'key' but its finding moves no level (no supports or "
                    "against): give it some, or drop 'key' if it is there for safety "
                    "(tag it 'critical')",
                )
            )
    final_best = max(expert.probability(level) for level in levels)
    if any(expert.probability(lv) >= final_best for lv in expert.probabilities if lv not in levels):
        warnings.append(
            Fault(
                path,
                "actions",
                f"warning: the expert path does not end with {describe(levels)} ahead "
                f"(it ends with {level_label(expert.leader)}); check supports and against",
            )
        )
    if not discriminating:
        warnings.append(
            Fault(
                path,
                "localization.mimic",
                f"warning: no finding on the expert path tells the answer from "
                f"{level_label(rival)}",
            )
        )
    return CaseReview(
        path=path,
        case=case,
        ranked=expert.ranked,
        mimic=rival,
        discriminating=discriminating,
        clear_after=clear.label if clear and clear.index else "",
        warnings=tuple(warnings),
    )
