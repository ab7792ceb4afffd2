"""`load_content` loads all or nothing: a loader that fails after others have written leaves the
database exactly as it was.

Validation catches faults in the files, but a load can still fail halfway (a disk error, a
constraint the validator does not know, a bug in one loader). Lessons load first, so without one
transaction around every loader a failure in the cases or questions loader would leave new
lessons live beside old cases and questions.
"""

from __future__ import annotations

import shutil
from importlib import import_module

import pytest
from django.apps import apps
from django.conf import settings
from django.core.management import call_command

LOADERS = {
    "cases": "cases.content.load_cases",
    "questions": "edu.quizzes.content.load_questions",
}
CONTENT_APPS = ("lessons", "cases", "quizzes")


class LoaderBroke(Exception):
    pass


def database_state() -> dict[str, list[dict]]:
    """Every row of every model the content apps own, in a comparable form."""
    return {
        model._meta.label: list(model.objects.order_by("pk").values())
        for label in CONTENT_APPS
        for model in apps.get_app_config(label).get_models()
    }


def break_after_loading(monkeypatch, kind: str) -> None:
    """The loader of `kind` does its whole job, then fails, as a late error would."""
    module_name, _, name = LOADERS[kind].rpartition(".")
    module = import_module(module_name)
    real = getattr(module, name)

    def load_then_fail(content_dir, report):
        real(content_dir, report)
        raise LoaderBroke(f"the {kind} loader broke after writing")

    monkeypatch.setattr(module, name, load_then_fail)


@pytest.fixture
def content_copy(tmp_path):
    copy = tmp_path / "content"
    shutil.copytree(settings.CONTENT_DIR, copy)
    return copy


@pytest.mark.django_db
@pytest.mark.parametrize("kind", sorted(LOADERS))
def test_a_loader_failing_on_an_empty_database_leaves_it_empty(monkeypatch, content_copy, kind):
    assert all(rows == [] for rows in database_state().values())
    break_after_loading(monkeypatch, kind)

    with pytest.raises(LoaderBroke):
        call_command("load_content", content_dir=content_copy)

    counts = {label: len(rows) for label, rows in database_state().items()}
    assert counts == dict.fromkeys(counts, 0)


@pytest.mark.django_db
@pytest.mark.parametrize("kind", sorted(LOADERS))
def test_a_loader_failing_after_lessons_changed_keeps_the_old_content(
    monkeypatch, content_copy, kind, capsys
):
    call_command("load_content", content_dir=content_copy)
    capsys.readouterr()
    before = database_state()
    lesson = sorted((content_copy / "lessons").glob("*/*.md"))[0]
    text = lesson.read_text(encoding="utf-8")
    lesson.write_text(text.replace("title = ", 'title = "Retitled" #', 1), encoding="utf-8")
    break_after_loading(monkeypatch, kind)

    with pytest.raises(LoaderBroke):
        call_command("load_content", content_dir=content_copy)

    assert database_state() == before
    assert "Content loaded." not in capsys.readouterr().out


@pytest.mark.django_db
def test_the_same_content_loads_once_the_loader_is_fixed(monkeypatch, content_copy, capsys):
    """The failed run left nothing half-done that would get in the way of the next one."""
    break_after_loading(monkeypatch, "questions")
    with pytest.raises(LoaderBroke):
        call_command("load_content", content_dir=content_copy)
    monkeypatch.undo()

    call_command("load_content", content_dir=content_copy)

    out = capsys.readouterr().out
    assert "lessons: 6 created" in out and "Content loaded." in out
