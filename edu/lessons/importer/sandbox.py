"""Runs the PDF, Word and web-page converters in a child process with time and memory limits.

A malformed or hostile file (a PDF whose object graph never ends, a decompression bomb) must
not hang a web worker or take the machine's memory, and parsers of binary formats are where
such files hurt. The child gets the bytes on standard input, at most `MEMORY_BYTES` of address
space and `CPU_SECONDS` of processor time, and is killed after `WALL_SECONDS`; it answers with
JSON. Anything that goes wrong there comes back as an `ImportFailed` with a plain message.

`python -m edu.lessons.importer.sandbox KIND NAME` is the child's entry point.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from .errors import ImportFailed
from .formats import (
    Converted,
    docx_to_markdown_document,
    html_to_markdown_document,
    pdf_to_markdown_document,
)
from .furniture import Removal

CONVERTERS = {
    "pdf": pdf_to_markdown_document,
    "docx": docx_to_markdown_document,
    "html": html_to_markdown_document,
}
MEMORY_BYTES = 1536 * 1024 * 1024
CPU_SECONDS = 30
WALL_SECONDS = 45
_ROOT = Path(__file__).resolve().parents[3]


def _limits() -> None:  # pragma: no cover - runs in the child before exec
    import resource

    resource.setrlimit(resource.RLIMIT_AS, (MEMORY_BYTES, MEMORY_BYTES))
    resource.setrlimit(resource.RLIMIT_CPU, (CPU_SECONDS, CPU_SECONDS))


def convert(kind: str, data: bytes, shown: str, *, isolated: bool = True) -> Converted:
    """The document as Markdown; in a limited child process unless `isolated` is false."""
    if not isolated:
        return CONVERTERS[kind](data, shown)
    try:
        done = subprocess.run(  # noqa: S603 - our own interpreter and module, no shell
            [sys.executable, "-m", "edu.lessons.importer.sandbox", kind, shown],
            input=data,
            capture_output=True,
            timeout=WALL_SECONDS,
            cwd=_ROOT,
            preexec_fn=_limits,  # noqa: PLW1509
            check=False,
        )
    except subprocess.TimeoutExpired:
        raise ImportFailed(
            shown, None, f"refused: reading the {kind.upper()} took longer than {WALL_SECONDS} s"
        ) from None
    try:
        answer = json.loads(done.stdout.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError):
        raise ImportFailed(
            shown,
            None,
            f"refused: reading the {kind.upper()} ran out of time or memory",
        ) from None
    if not answer.get("ok"):
        raise ImportFailed(shown, answer.get("line"), answer.get("message", "cannot be read"))
    removals = tuple(Removal(*removal) for removal in answer["removals"])
    return Converted(answer["markdown"], removals)


def main() -> None:  # pragma: no cover - exercised through convert()
    kind, shown = sys.argv[1], sys.argv[2]
    data = sys.stdin.buffer.read()
    try:
        converted = CONVERTERS[kind](data, shown)
        answer = {
            "ok": True,
            "markdown": converted.markdown,
            "removals": [[r.line, r.why, r.last_line, r.excerpt] for r in converted.removals],
        }
    except ImportFailed as failure:
        answer = {"ok": False, "message": failure.message, "line": failure.line}
    except RecursionError:
        answer = {"ok": False, "message": "refused: the document is nested too deeply"}
    except MemoryError:
        answer = {"ok": False, "message": "refused: reading the document ran out of memory"}
    sys.stdout.write(json.dumps(answer))


if __name__ == "__main__":
    main()
