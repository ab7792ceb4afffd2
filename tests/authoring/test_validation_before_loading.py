"""Every content file is validated before anything loads, whatever kind and wherever it sorts.

The older tests broke only the first lesson, so a `load_content` that validated lessons alone
(or stopped at the first file) would still have passed them. Here one fault is planted in each
kind (lessons, cases, questions), in the first and in the last file of that kind: the validator
of that kind names the file (the unit), and `load_content` refuses and loads nothing (the
command, as an author runs it).
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command

from cases.models import Case
from edu.authoring.registry import CONTENT_KINDS
from edu.lessons.models import Lesson
from edu.quizzes.models import Question

# kind -> (glob under content/, text to replace, broken replacement)
FAULTS = {
    "lessons": ("lessons/*/*.md", "order = ", "order = 'first' #"),
    "cases": ("cases/*.toml", 'difficulty = "', 'difficulty = "impossible" #"'),
    "questions": ("questions/*.toml", 'kind = "', 'kind = "essay" #"'),
}


def break_one_file(content: Path, kind: str, which: str) -> Path:
    pattern, old, new = FAULTS[kind]
    files = sorted(content.glob(pattern))
    target = files[0] if which == "first" else files[-1]
    text = target.read_text(encoding="utf-8")
    assert old in text, f"{target.name} has no '{old}' to break"
    target.write_text(text.replace(old, new, 1), encoding="utf-8")
    return target


@pytest.fixture
def content_copy(tmp_path) -> Path:
    copy = tmp_path / "content"
    shutil.copytree(settings.CONTENT_DIR, copy)
    return copy


def kind_named(name: str):
    return next(kind for kind in CONTENT_KINDS if kind.name == name)


def test_every_content_kind_has_a_planted_fault_here():
    assert {kind.name for kind in CONTENT_KINDS} == set(FAULTS)


@pytest.mark.parametrize("which", ["first", "last"])
@pytest.mark.parametrize("kind", sorted(FAULTS))
def test_the_kinds_validator_names_the_broken_file(content_copy, kind, which):
    broken = break_one_file(content_copy, kind, which)
    faults = [str(fault) for fault in kind_named(kind).validate(content_copy)]
    assert len(faults) >= 1
    assert all(broken.name in fault for fault in faults), faults


@pytest.mark.django_db
@pytest.mark.parametrize("which", ["first", "last"])
@pytest.mark.parametrize("kind", sorted(FAULTS))
def test_load_content_with_any_broken_file_loads_nothing(content_copy, kind, which, capsys):
    broken = break_one_file(content_copy, kind, which)
    with pytest.raises(CommandError, match="nothing was loaded"):
        call_command("load_content", content_dir=content_copy)
    assert broken.name in capsys.readouterr().err
    assert (Lesson.objects.count(), Case.objects.count(), Question.objects.count()) == (0, 0, 0)


def test_validate_content_lists_the_faults_of_every_kind_at_once(content_copy, capsys):
    broken = [break_one_file(content_copy, kind, "last") for kind in sorted(FAULTS)]
    with pytest.raises(CommandError, match="fault"):
        call_command("validate_content", content_dir=content_copy)
    err = capsys.readouterr().err
    for path in broken:
        assert path.name in err


@pytest.mark.django_db
def test_load_content_refuses_with_every_fault_validate_content_finds(content_copy, capsys):
    """load_content runs the full validation, not a part of it: the faults it prints before
    refusing are exactly the ones validate_content lists."""
    broken = [break_one_file(content_copy, kind, "last") for kind in sorted(FAULTS)]
    with pytest.raises(CommandError):
        call_command("validate_content", content_dir=content_copy)
    validated = capsys.readouterr().err.splitlines()
    with pytest.raises(CommandError, match="nothing was loaded"):
        call_command("load_content", content_dir=content_copy)
    refused = capsys.readouterr().err.splitlines()
    assert refused == validated
    assert all(any(path.name in line for line in refused) for path in broken)
