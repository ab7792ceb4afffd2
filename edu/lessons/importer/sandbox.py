"""Runs the PDF, Word and web-page converters in a child process with time and memory limits.

A malformed or hostile file (a PDF whose object graph never ends, a decompression bomb) must
not hang a web worker or take the machine's memory, and parsers of binary formats are where
such files hurt. The child sets its own limits first (at most `MEMORY_BYTES` of address space and
`CPU_SECONDS` of processor time; no `preexec_fn`, which is unsafe in a threaded server), reads
the bytes from standard input, is killed after `WALL_SECONDS`, and answers with JSON.
Anything that goes wrong there comes back as an `ImportFailed` with a plain message.

`python -m edu.lessons.importer.sandbox KIND NAME MEMORY_BYTES CPU_SECONDS` is the child's
entry point.
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


def _limits(memory: int, cpu: int) -> None:  # pragma: no cover - runs in the child
    import resource

    resource.setrlimit(resource.RLIMIT_AS, (memory, memory))
    resource.setrlimit(resource.RLIMIT_CPU, (cpu, cpu))


def convert(kind: str, data: bytes, shown: str, *, isolated: bool = True) -> Converted:
    """The document as Markdown; in a limited child process unless `isolated` is false."""
    if not isolated:
        return CONVERTERS[kind](data, shown)
    try:
        done = subprocess.run(  # noqa: S603 - our own interpreter and module, no shell
            [
                sys.executable,
                "-m",
                "edu.lessons.importer.sandbox",
                kind,
                shown,
                str(MEMORY_BYTES),
                str(CPU_SECONDS),
            ],
            input=data,
            capture_output=True,
            timeout=WALL_SECONDS,  # read at call time, so a test can shorten it
            cwd=_ROOT,
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
    kind, shown, memory, cpu = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
    _limits(memory, cpu)
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
