"""What the importer says when it cannot import, or imports with reservations.

Both name the file and line the way compilers do (`notes.txt:12: ...`), so an author can jump
straight to the place; neither carries a traceback.
"""

from __future__ import annotations

from dataclasses import dataclass


class ImportFailed(Exception):
    """The document cannot be imported; nothing has been written."""

    def __init__(self, path: str, line: int | None, message: str) -> None:
        self.path = path
        self.line = line
        self.message = message
        super().__init__(str(self))

    def __str__(self) -> str:
        if self.line is None:
            return f"{self.path}: {self.message}"
        return f"{self.path}:{self.line}: {self.message}"


@dataclass(frozen=True)
class Notice:
    """Something the import did that an author should check, e.g. an unresolved citation."""

    path: str
    line: int
    message: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.message}"
