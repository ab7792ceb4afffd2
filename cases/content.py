"""Case files on disk -> Case and CaseVersion rows: validation and idempotent loading.

Called by `manage.py validate_content` and `manage.py load_content` (see edu.authoring). A file
whose data changed becomes a new CaseVersion and the case's current one; attempts already
started stay on the version they began with. A case whose file is gone is withdrawn from the
library, never deleted, because attempts point at it.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.db.models import Max

from cases.engine.faults import Fault
from cases.engine.review import CaseReview, review_case
from cases.engine.schema import Case as CaseDefinition
from cases.engine.validation import (
    CaseInvalid,
    load_case,
    read_case_toml,
    validate_case_data,
)
from cases.models import Case, CaseVersion

KIND = "cases"


@dataclass(frozen=True)
class CaseFile:
    """A case file read and checked: its data as stored, the parsed case and the data's hash."""

    path: Path
    shown: str
    data: dict[str, Any]
    case: CaseDefinition
    content_hash: str


def case_paths(content_dir: Path) -> list[Path]:
    return sorted((Path(content_dir) / "cases").glob("*.toml"))


def _shown(path: Path, content_dir: Path) -> str:
    """The path printed in faults: `content/cases/gbs.toml`, as authors know it."""
    try:
        return str(Path("content") / path.relative_to(content_dir))
    except ValueError:
        return str(path)


def canonical_json(data: dict[str, Any]) -> str:
    """One spelling of the data, so the same case always hashes the same."""
    return json.dumps(data, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def content_hash(data: dict[str, Any]) -> str:
    return hashlib.sha256(canonical_json(data).encode("utf-8")).hexdigest()


def _read_data(path: Path, shown: str) -> dict[str, Any]:
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        raise CaseInvalid([Fault(shown, "(file)", f"cannot read the file: {error}")]) from None
    return read_case_toml(text, shown)


def read_case_file(path: Path, content_dir: Path) -> CaseFile:
    """The checked case in a file; raises CaseInvalid naming every fault."""
    shown = _shown(path, content_dir)
    raw = _read_data(path, shown)
    case = load_case(raw, shown)
    # Stored as it round-trips through JSON, so the definition and its hash always agree.
    data = json.loads(canonical_json(raw))
    return CaseFile(path=path, shown=shown, data=data, case=case, content_hash=content_hash(data))


def validate_cases(content_dir: Path) -> list[Fault]:
    """Every fault in every case file, including lessons the case points at that do not exist."""
    from edu.lessons.content import lesson_keys  # lessons are another app's content

    content_dir = Path(content_dir)
    known_lessons = lesson_keys(content_dir)
    faults: list[Fault] = []
    for path in case_paths(content_dir):
        shown = _shown(path, content_dir)
        try:
            data = _read_data(path, shown)
        except CaseInvalid as invalid:
            faults.extend(invalid.faults)
            continue
        found = validate_case_data(data, shown)
        faults.extend(found)
        if found:
            continue
        for index, key in enumerate(data.get("lessons", [])):
            if key not in known_lessons:
                faults.append(
                    Fault(shown, f"lessons[{index}]", f"no lesson '{key}' in content/lessons")
                )
    return faults


def review_cases(content_dir: Path) -> list[CaseReview]:
    """The author's report on every sound case file (faulty ones are left to validate_cases)."""
    content_dir = Path(content_dir)
    reviews = []
    for path in case_paths(content_dir):
        try:
            case_file = read_case_file(path, content_dir)
        except CaseInvalid:
            continue
        reviews.append(review_case(case_file.case, case_file.shown))
    return reviews


def patient_line(case: CaseDefinition) -> str:
    patient = case.patient
    return f"{patient.age}, {patient.sex}. {patient.complaint}"


def _case_fields(case_file: CaseFile) -> dict[str, Any]:
    case = case_file.case
    return {
        "title": case.title,
        "summary": case.summary,
        "patient_line": patient_line(case),
        "level": case.localization.answer,
        "difficulty": case.difficulty,
        "is_active": True,
    }


def load_case_file_into_db(case_file: CaseFile) -> str:
    """Create or update one case from its file; returns the outcome for the load report."""
    case = Case.objects.filter(slug=case_file.case.id).first()
    fields = _case_fields(case_file)
    if case is None:
        case = Case.objects.create(slug=case_file.case.id, **fields)
        outcome = "created"
    else:
        for name, value in fields.items():
            setattr(case, name, value)
        outcome = ""
    version = case.versions.filter(content_hash=case_file.content_hash).first()
    if version is None:
        number = (case.versions.aggregate(top=Max("number"))["top"] or 0) + 1
        version = CaseVersion.objects.create(
            case=case,
            number=number,
            content_hash=case_file.content_hash,
            definition=case_file.data,
            source_path=case_file.shown,
        )
        outcome = outcome or "new version"
    elif outcome == "":
        # The file matches a version on record: unchanged, or put back as it once was.
        outcome = "unchanged" if case.current_version_id == version.pk else "restored version"
        if outcome == "unchanged" and all(
            getattr(case, name) == value for name, value in fields.items()
        ):
            return outcome
    case.current_version = version
    case.save()
    return outcome


def load_cases(content_dir: Path, report) -> None:
    """Sync every case file into the database; report each case's outcome under "cases"."""
    content_dir = Path(content_dir)
    loaded: set[str] = set()
    for path in case_paths(content_dir):
        case_file = read_case_file(path, content_dir)
        report.add(KIND, load_case_file_into_db(case_file))
        loaded.add(case_file.case.id)
    withdrawn = Case.objects.filter(is_active=True).exclude(slug__in=loaded)
    count = withdrawn.update(is_active=False)
    if count:
        report.add(KIND, "withdrawn", count)
