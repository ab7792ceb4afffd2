"""The document importer: turns a clinical overview (a web-page copy or Markdown) into lessons.

Pure Python, no Django: `manage.py import_document` is a thin shell around `import_document`,
and tests call the package directly. The stages, one module each: `decoding` (bytes to text),
`furniture` (page chrome out), `plaintext` / `markdown_source` (text to a `Document`),
`lessons` (one Markdown lesson per section), `drafts` (draft questions), `pipeline` (plan
everything in memory, then write only what changed).
"""

from .errors import ImportFailed, Notice
from .pipeline import (
    ImportPlan,
    ImportReport,
    import_document,
    plan_import,
    summary_lines,
    write_plan,
)

__all__ = [
    "ImportFailed",
    "ImportPlan",
    "ImportReport",
    "Notice",
    "import_document",
    "plan_import",
    "summary_lines",
    "write_plan",
]
