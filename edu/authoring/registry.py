"""The content kinds that `load_content` and `validate_content` know, in loading order.

Lessons load first because questions and cases point at them. Each kind names a validator
`(content_dir) -> list[Fault]` and a loader `(content_dir, report) -> None`, and may name a
reviewer `(content_dir) -> list` of reports with `.lines()` and `.warnings` (advice for the
author that does not stop the content loading); adding a content kind means adding a line
here, not editing the commands.
"""

from dataclasses import dataclass, field
from importlib import import_module


@dataclass(frozen=True)
class ContentKind:
    name: str
    validator: str
    loader: str
    reviewer: str = ""

    def validate(self, content_dir):
        return _resolve(self.validator)(content_dir)

    def review(self, content_dir) -> list:
        return _resolve(self.reviewer)(content_dir) if self.reviewer else []

    def load(self, content_dir, report):
        return _resolve(self.loader)(content_dir, report)


@dataclass
class LoadReport:
    """Counts per content kind: created, updated, unchanged, withdrawn."""

    counts: dict[str, dict[str, int]] = field(default_factory=dict)

    def add(self, kind: str, outcome: str, n: int = 1) -> None:
        self.counts.setdefault(kind, {}).setdefault(outcome, 0)
        self.counts[kind][outcome] += n

    def lines(self) -> list[str]:
        return [
            f"{kind}: " + ", ".join(f"{n} {outcome}" for outcome, n in outcomes.items())
            for kind, outcomes in self.counts.items()
        ]


def _resolve(dotted: str):
    module, _, name = dotted.rpartition(".")
    return getattr(import_module(module), name)


CONTENT_KINDS: list[ContentKind] = [
    ContentKind(
        "lessons", "edu.lessons.content.validate_lessons", "edu.lessons.content.load_lessons"
    ),
    ContentKind(
        "cases",
        "cases.content.validate_cases",
        "cases.content.load_cases",
        reviewer="cases.content.review_cases",
    ),
    ContentKind(
        "questions", "edu.quizzes.content.validate_questions", "edu.quizzes.content.load_questions"
    ),
]
