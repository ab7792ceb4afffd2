"""The document importer: turns a clinical overview (a web-page copy, Markdown, a saved web
page, a PDF or a Word file) into lessons.

Pure Python, no Django: `manage.py import_document` and the site's import page are thin shells
around `plan_import` / `write_plan`, and tests call the package directly. The stages, one
module each: `formats` (PDF, Word and HTML to Markdown, run in a limited child process by
`sandbox`), `decoding` (bytes to text), `layouts` and `furniture` (which site it came from,
and its page chrome out), `plaintext` / `markdown_source` (text to a `Document`), `lessons`
(one Markdown lesson per section), `drafts` (draft questions), `pipeline` (plan everything in
memory, then write only what changed) and `explain` (what each line became).

The names below load on first use, so the sandbox child imports only the converters.
"""

from importlib import import_module

_EXPORTS = {
    "ImportFailed": "errors",
    "Notice": "errors",
    "ImportPlan": "pipeline",
    "ImportReport": "pipeline",
    "import_document": "pipeline",
    "plan_import": "pipeline",
    "plan_import_bytes": "pipeline",
    "summary_lines": "pipeline",
    "write_plan": "pipeline",
}

__all__ = sorted(_EXPORTS)


def __getattr__(name: str):
    if name not in _EXPORTS:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(import_module(f".{_EXPORTS[name]}", __name__), name)
    globals()[name] = value
    return value
