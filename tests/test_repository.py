"""The repository stands alone and its set-up does what the README says.

Someone who clones the project has only what is tracked in git: no file may send them to a path
outside it (a sibling folder of notes, a fact sheet on the author's machine). And `make run`
serves the site without the test tools, which only `make test` installs.
"""

import re
import subprocess
from pathlib import Path

import pytest
from django.core.management import call_command

ROOT = Path(__file__).resolve().parent.parent

# Built from pieces so that this file does not name them itself.
OUTSIDE_NAMES = ("../" + "shared", "/work" + "/", "CLINICAL" + ".md", "DESIGN" + ".md")
MARKDOWN_LINK = re.compile(r"\]\(([^)\s#]+)")


def tracked_text_files() -> list[Path]:
    names = subprocess.run(
        ["git", "ls-files"], cwd=ROOT, capture_output=True, text=True, check=True
    ).stdout.split()
    files = []
    for name in names:
        path = ROOT / name
        if path.is_file() and path.suffix not in {".png", ".svg", ".ico", ".sqlite3"}:
            files.append(path)
    return files


def test_no_tracked_file_names_a_path_outside_the_repository():
    found = []
    for path in tracked_text_files():
        text = path.read_text(encoding="utf-8", errors="ignore")
        for name in OUTSIDE_NAMES:
            if name in text:
                found.append(f"{path.relative_to(ROOT)} names {name}")
    assert not found, "\n".join(found)


def test_every_relative_markdown_link_stays_inside_the_repository():
    outside = []
    for path in tracked_text_files():
        if path.suffix != ".md":
            continue
        for target in MARKDOWN_LINK.findall(path.read_text(encoding="utf-8")):
            if "://" in target or target.startswith("mailto:"):
                continue
            resolved = (path.parent / target).resolve()
            if not resolved.is_relative_to(ROOT) or not resolved.exists():
                outside.append(f"{path.relative_to(ROOT)} links to {target}")
    assert not outside, "\n".join(outside)


def test_the_authoring_reference_gives_the_levels_and_test_times():
    guide = (ROOT / "docs" / "authoring-reference.md").read_text(encoding="utf-8")
    for level in ("anterior-horn-cell", "nerve-root", "neuromuscular-junction", "not-weakness"):
        assert f"`{level}`" in guide
    assert "| nerve conduction studies and EMG, repetitive nerve stimulation | 240 |" in guide
    assert "authoring-reference.md" in (ROOT / "docs" / "case-format.md").read_text()


def make_dry_run(target: str) -> str:
    """The commands `make TARGET` would run from scratch, printed, not run (-n -B)."""
    return subprocess.run(
        ["make", "-n", "-B", target], cwd=ROOT, capture_output=True, text=True, check=True
    ).stdout


def test_make_run_installs_only_what_the_site_needs():
    run = make_dry_run("run")
    installs = [line for line in run.splitlines() if "pip install" in line and "-e" in line]
    assert installs, run
    assert not any("[test]" in line for line in installs), installs
    assert "runserver 127.0.0.1:8000" in run


def test_make_test_installs_the_test_tools():
    assert "-e '.[test]'" in make_dry_run("test")


def test_host_changes_the_address_make_run_serves_on():
    run = subprocess.run(
        ["make", "-n", "-B", "run", "HOST=0.0.0.0:8080"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert "runserver 0.0.0.0:8080" in run
    assert "make run HOST=" in (ROOT / "README.md").read_text(encoding="utf-8")


@pytest.mark.django_db
def test_load_content_says_how_many_questions_are_approved_and_drafts(capsys):
    call_command("load_content")
    line = next(
        line
        for line in capsys.readouterr().out.splitlines()
        if line.startswith("questions in the bank:")
    )
    assert re.match(r"questions in the bank: \d+ approved, \d+ drafts", line), line
    # The README quotes the same figures.
    assert line in (ROOT / "README.md").read_text(encoding="utf-8").replace("\n", " ")
