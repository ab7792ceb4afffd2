"""A fault found in a content file, named by file and key path so an author can fix it fast."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Fault:
    """One problem in one content file.

    Prints as `content/cases/gbs.toml: stages[2].id: duplicate id 'ward'`.
    """

    path: str
    key: str
    message: str

    def __str__(self) -> str:
        return f"{self.path}: {self.key}: {self.message}"
