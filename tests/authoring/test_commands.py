"""validate_content and load_content on the project's own content and on broken copies of it."""

import shutil

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command

from edu.lessons.models import Lesson


def test_the_project_content_is_valid(capsys):
    call_command("validate_content")
    assert "All content is valid." in capsys.readouterr().out


@pytest.mark.django_db
def test_load_content_twice_changes_nothing_the_second_time(capsys):
    call_command("load_content")
    first = capsys.readouterr().out
    assert "lessons: 6 created" in first
    call_command("load_content")
    second = capsys.readouterr().out
    for line in second.splitlines():
        if line.startswith(("lessons:", "cases:", "questions:")):
            assert set(part.split(" ", 1)[1] for part in line.split(": ")[1].split(", ")) == {
                "unchanged"
            }, line


@pytest.fixture
def broken_content(tmp_path):
    copy = tmp_path / "content"
    shutil.copytree(settings.CONTENT_DIR, copy)
    lesson = sorted((copy / "lessons").glob("*/*.md"))[0]
    lesson.write_text(lesson.read_text().replace("order = 1", "order = 'first'"))
    return copy, lesson


def test_validate_content_names_the_file_and_field(broken_content, capsys):
    copy, lesson = broken_content
    with pytest.raises(CommandError, match="1 fault"):
        call_command("validate_content", content_dir=copy)
    err = capsys.readouterr().err
    assert f"content/lessons/{lesson.parent.name}/{lesson.name}: order: must be a int" in err


@pytest.mark.django_db
def test_load_content_with_a_fault_loads_nothing(broken_content, capsys):
    copy, _ = broken_content
    with pytest.raises(CommandError, match="nothing was loaded"):
        call_command("load_content", content_dir=copy)
    assert Lesson.objects.count() == 0
