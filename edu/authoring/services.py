"""Importing a document from the site: preview it, then publish it into content/ and load it.

The site walks the same path as `manage.py import_document`: `plan_import_bytes` builds every
file in memory, `write_plan` writes under `settings.CONTENT_DIR` only the files whose text
changed, and the content kinds of `registry.CONTENT_KINDS` validate and load the whole folder,
as `load_content` does. Between preview and publish the upload waits in a staging folder under
its SHA-256, named by a signed token, so publishing imports exactly the bytes that were
previewed and nothing is written until the author confirms.
"""

from __future__ import annotations

import hashlib
import re
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.core import signing
from django.db import transaction

from edu.lessons.importer import ImportFailed, ImportPlan, write_plan
from edu.lessons.importer.inline import slugify
from edu.lessons.importer.pipeline import plan_import_bytes

from .registry import CONTENT_KINDS, LoadReport

MOST_UPLOAD_BYTES = 10 * 1024 * 1024
_SALT = "authoring.import"
_TOKEN_HOURS = 6
_SUFFIXES = {".pdf", ".docx", ".html", ".htm", ".md", ".markdown", ".txt", ".text"}


class PublishRefused(Exception):
    """Publishing could not happen; the message is for the author."""


@dataclass(frozen=True)
class Preview:
    plan: ImportPlan
    token: str


def staging_dir() -> Path:
    folder = Path(getattr(settings, "IMPORT_STAGING_DIR", "") or tempfile.gettempdir())
    folder = folder / "motor-unit-imports"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def suggested_topic(name: str) -> str:
    """A topic slug from a file name ("Foot Drop.pdf") or a title line."""
    stem = Path(name).stem if Path(name).suffix.lower() in _SUFFIXES else name
    return slugify(stem, max_length=50) or "imported-document"


def preview_document(*, data: bytes, name: str, topic: str, user) -> Preview:
    """Plans the import (raises `ImportFailed`) and stages the bytes for publishing."""
    if len(data) > MOST_UPLOAD_BYTES:
        raise ImportFailed(name, None, "the file is larger than 10 MB")
    plan = plan_import_bytes(data, name=_safe_name(name), topic=topic, shown=_safe_name(name))
    digest = hashlib.sha256(data).hexdigest()
    _forget_old_uploads()
    staged = staging_dir() / digest
    if not staged.exists():
        staged.write_bytes(data)
    token = signing.dumps({"sha": digest, "name": _safe_name(name), "user": user.pk}, salt=_SALT)
    return Preview(plan, token)


def publish_document(*, token: str, topic: str, user) -> tuple[ImportPlan, list[str], LoadReport]:
    """Writes the previewed document's files under the content folder and loads everything.

    Returns the plan, each file's outcome ("written" or "unchanged") and the load report;
    raises `PublishRefused` with a message for the author.
    """
    try:
        staged = signing.loads(token, salt=_SALT, max_age=_TOKEN_HOURS * 3600)
    except signing.BadSignature:
        raise PublishRefused("This preview has expired: upload the document again.") from None
    if staged.get("user") != user.pk:
        raise PublishRefused("This preview belongs to someone else: upload the document again.")
    path = staging_dir() / staged["sha"]
    try:
        data = path.read_bytes()
    except OSError:
        raise PublishRefused("This preview has expired: upload the document again.") from None
    try:
        plan = plan_import_bytes(data, name=staged["name"], topic=topic, shown=staged["name"])
        report = write_plan(plan, Path(settings.CONTENT_DIR))
    except ImportFailed as failure:
        raise PublishRefused(_for_author(failure)) from None
    content_dir = Path(settings.CONTENT_DIR)
    faults = [fault for kind in CONTENT_KINDS for fault in kind.validate(content_dir)]
    if faults:
        raise PublishRefused(
            f"The files were written but the content folder has {len(faults)} fault(s), so "
            f"nothing was loaded; the first: {faults[0]}"
        )
    loaded = LoadReport()
    with transaction.atomic():
        for kind in CONTENT_KINDS:
            kind.load(content_dir, loaded)
    return plan, [file.outcome for file in report.files], loaded


def _forget_old_uploads() -> None:
    """Staged uploads older than a token's life can no longer be published: delete them."""
    oldest = time.time() - _TOKEN_HOURS * 3600
    for path in staging_dir().iterdir():
        try:
            if path.is_file() and path.stat().st_mtime < oldest:
                path.unlink()
        except OSError:
            continue


def _safe_name(name: str) -> str:
    base = Path(name or "document").name
    return re.sub(r"[^\w.\- ]", "_", base)[:120] or "document"


def _for_author(failure: ImportFailed) -> str:
    if "cannot write" in failure.message:
        return (
            "This server cannot write to its content folder (a read-only file system). Import "
            "the document with `manage.py import_document` on a checkout and commit the files."
        )
    return str(failure)
